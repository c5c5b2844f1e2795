// A round's standing, as the Coordination panel shows it (pure: tested):
// approvals and rejections over voters, and the time left.

import type { Round } from '@shared';

/** Approvals over votes cast (pending ones excluded), and over all voters. */
export function tally(r: Round): { approve: number; reject: number; pending: number; voters: number } {
  let approve = 0;
  let reject = 0;
  let pending = 0;
  const votes = new Map(r.votes.map((v) => [v.voter, v.vote.toLowerCase()]));
  const voters = new Set([...r.participants.filter((p) => p.role !== 'observer').map((p) => p.id), ...votes.keys()]);
  for (const id of voters) {
    const v = votes.get(id);
    if (v === 'approve' || v === 'yes' || v === 'accept') approve++;
    else if (v === 'reject' || v === 'no' || v === 'deny') reject++;
    else pending++;
  }
  return { approve, reject, pending, voters: voters.size };
}

/** ms left before the round's timeout, or undefined when it has none or is over. */
export function timeLeft(r: Round, now: number): number | undefined {
  if (r.endedAt !== undefined || r.timeoutMs === undefined) return undefined;
  return Math.max(0, r.startedAt + r.timeoutMs - now);
}

/** Active first, then finished; newest first within each (by start). */
export function roundOrder(rounds: readonly Round[]): Round[] {
  const newest = [...rounds].sort((a, b) => b.startedAt - a.startedAt || (a.key < b.key ? -1 : 1));
  return [...newest.filter((r) => r.endedAt === undefined), ...newest.filter((r) => r.endedAt !== undefined)];
}
