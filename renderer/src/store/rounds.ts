// Coordination rounds from coordination.* events: pattern, initiator,
// participants with roles, each vote as it arrives, threshold, timeout and
// outcome. Bounded: beyond the limit the oldest finished rounds are evicted.

import type { JsonObject, JsonValue, PlaneEvent } from '@shared';

export interface Vote {
  vote: string;
  at?: string;
}

export interface Round {
  key: string;
  plane: string;
  id: string;
  pattern: string;
  initiator?: string;
  participants: { id: string; role: string }[];
  votes: Record<string, Vote>;
  /** Fraction of votes in favour needed (0..1), when the round says. */
  threshold?: number;
  timeoutMs?: number;
  startedAt: number;
  /** Progress 0..1 as the plane reports it. */
  progress: number;
  status: string;
  result?: string;
  endedAt?: number;
  updatedAt: number;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: JsonValue | undefined): JsonObject | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined);
const DONE = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'ABORTED', 'REJECTED', 'APPROVED']);

/** Approvals over votes cast (pending ones excluded), and over all voters. */
export function tally(r: Round): { approve: number; reject: number; pending: number; voters: number } {
  let approve = 0;
  let reject = 0;
  let pending = 0;
  const voters = new Set([...r.participants.filter((p) => p.role !== 'observer').map((p) => p.id), ...Object.keys(r.votes)]);
  for (const id of voters) {
    const v = r.votes[id]?.vote.toLowerCase();
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

export class Rounds {
  private readonly byKey = new Map<string, Round>();
  evicted = 0;
  constructor(readonly capacity: number) {}

  /** Applies a coordination.* event; true when a round changed. */
  add(ev: PlaneEvent): boolean {
    if (!ev.type.startsWith('coordination.')) return false;
    const p = ev.payload;
    const id = str(p.coordinationId) ?? str(p.roundId) ?? str(p.id);
    if (id === undefined) return false;
    const key = `${ev.plane}\u0000${id}`;
    let r = this.byKey.get(key);
    if (!r) {
      r = { key, plane: ev.plane, id, pattern: 'UNKNOWN', participants: [], votes: {}, startedAt: ev.at, progress: 0, status: 'ACTIVE', updatedAt: ev.at };
      this.byKey.set(key, r);
      this.evict();
    }
    r.updatedAt = ev.at;
    const pattern = str(p.pattern);
    if (pattern !== undefined) r.pattern = pattern;
    const initiator = str(obj(p.initiator)?.id) ?? str(p.initiator);
    if (initiator !== undefined) r.initiator = initiator;
    if (Array.isArray(p.participants)) {
      r.participants = p.participants.flatMap((x) => {
        const o = obj(x);
        const pid = str(o?.id) ?? str(x);
        return pid === undefined ? [] : [{ id: pid, role: str(o?.role) ?? 'participant' }];
      });
    }
    const params = obj(p.parameters);
    const threshold = num(params?.consensusThreshold) ?? num(p.consensusThreshold) ?? num(p.threshold);
    if (threshold !== undefined) r.threshold = threshold;
    const timeout = num(params?.timeout) ?? num(p.timeout);
    if (timeout !== undefined) r.timeoutMs = timeout;
    const votes = obj(p.votes);
    if (votes) {
      for (const [voter, v] of Object.entries(votes)) {
        const o = obj(v);
        const vote = str(o?.vote) ?? str(v);
        if (vote === undefined) continue;
        const at = str(o?.timestamp);
        r.votes[voter] = at === undefined ? { vote } : { vote, at };
      }
    }
    const progress = num(p.progress);
    if (progress !== undefined) r.progress = Math.max(0, Math.min(1, progress));
    const status = str(p.status);
    if (status !== undefined) r.status = status.toUpperCase();
    const result = str(p.result) ?? str(p.outcome);
    if (result !== undefined) r.result = result;
    if (ev.type === 'coordination.completed' || ev.type === 'coordination.failed' || DONE.has(r.status) || result !== undefined) {
      if (ev.type === 'coordination.failed' && status === undefined) r.status = 'FAILED';
      if (ev.type === 'coordination.completed' && status === undefined) r.status = 'COMPLETED';
      r.endedAt ??= ev.at;
    }
    return true;
  }

  private evict(): void {
    while (this.byKey.size > this.capacity) {
      // Oldest finished first; an active round goes only when every kept one is active.
      let victim: string | undefined;
      for (const [k, r] of this.byKey) {
        if (r.endedAt !== undefined) {
          victim = k;
          break;
        }
      }
      this.byKey.delete(victim ?? this.byKey.keys().next().value!);
      this.evicted++;
    }
  }

  /** Active first, then finished; newest first within each. */
  list(): Round[] {
    const all = [...this.byKey.values()].reverse();
    return [...all.filter((r) => r.endedAt === undefined), ...all.filter((r) => r.endedAt !== undefined)];
  }

  get size(): number {
    return this.byKey.size;
  }
}
