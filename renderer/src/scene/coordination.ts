// Coordination rounds as the graph shows them: who initiated, who takes
// part, each vote as it arrives, and the outcome for a few seconds after the
// round ends. The rounds are the core's (monitor/rounds.ts, the one
// implementation): this keeps only what drawing needs of each (agents by
// number, when a vote changed). Bounded (SCENE_MAX_ROUNDS, participants per
// round) and never waiting forever: a round with no end is forgotten after
// ROUND_FORGET_MS.

import { agentNumber, type Round as CoreRound, SCENE_MAX_ROUND_PARTICIPANTS, SCENE_MAX_ROUNDS } from '@shared';

/** An ended round's outcome stays on screen this long. */
export const OUTCOME_MS = 4_000;
/** A round that never ends is dropped this long after its last news. */
export const ROUND_FORGET_MS = 120_000;
/** A fresh vote pulses this long. */
export const VOTE_PULSE_MS = 800;

export interface Round {
  id: string;
  plane: string;
  pattern: string;
  initiator: number | null;
  /** Agent id → role. */
  participants: Map<number, string>;
  /** Agent id → vote ("approve", "reject", "pending", ...) and when it arrived. */
  votes: Map<number, { vote: string; at: number }>;
  startedAt: number;
  lastAt: number;
  /** Set when the round ended: "approved", "rejected", "COMPLETED", ... */
  outcome: string | null;
  endedAt: number;
}

export class Rounds {
  readonly rounds = new Map<string, Round>();
  /** Rounds forgotten at SCENE_MAX_ROUNDS. */
  evicted = 0;

  private key(plane: string, id: string): string {
    return `${plane}\u0000${id}`;
  }

  /** A round as the core holds it now (a backfill's or a frame's change); a finished one is shown for OUTCOME_MS from now. */
  apply(round: CoreRound, now: number): void {
    const k = this.key(round.plane, round.id);
    // An old finished round (a backfill after a reload) is history, not news: nothing to show.
    if (round.endedAt !== undefined && !this.rounds.has(k)) return;
    const r = this.ensure(round.plane, round.id, now);
    r.lastAt = now;
    r.pattern = round.pattern === 'UNKNOWN' ? r.pattern : round.pattern;
    if (round.initiator !== undefined) r.initiator = agentNumber(round.initiator);
    for (const p of round.participants) this.participant(r, p.id, p.role);
    for (const v of round.votes) {
      const n = this.participant(r, v.voter, 'voter');
      if (n === null) continue;
      const had = r.votes.get(n);
      if (!had || had.vote !== v.vote) r.votes.set(n, { vote: v.vote, at: now });
    }
    if (round.endedAt !== undefined && r.outcome === null) {
      r.outcome = round.result ?? round.status;
      r.endedAt = now;
    }
  }

  /** Drops rounds whose outcome has been shown, and rounds silent too long. */
  expire(now: number): void {
    for (const [k, r] of this.rounds) {
      if ((r.outcome !== null && now - r.endedAt > OUTCOME_MS) || now - r.lastAt > ROUND_FORGET_MS) this.rounds.delete(k);
    }
  }

  /** Rounds still running (no outcome yet). */
  active(): Round[] {
    return [...this.rounds.values()].filter((r) => r.outcome === null);
  }

  private participant(r: Round, agent: string, role: string): number | null {
    const n = agentNumber(agent);
    if (n === null) return null;
    if (!r.participants.has(n) && r.participants.size >= SCENE_MAX_ROUND_PARTICIPANTS) return null;
    if (!r.participants.has(n) || role !== 'voter') r.participants.set(n, role);
    return n;
  }

  private ensure(plane: string, id: string, now: number): Round {
    const k = this.key(plane, id);
    let r = this.rounds.get(k);
    if (!r) {
      if (this.rounds.size >= SCENE_MAX_ROUNDS) {
        const oldest = this.rounds.keys().next().value!;
        this.rounds.delete(oldest);
        this.evicted++;
      }
      r = { id, plane, pattern: 'COORDINATION', initiator: null, participants: new Map(), votes: new Map(), startedAt: now, lastAt: now, outcome: null, endedAt: 0 };
      this.rounds.set(k, r);
    }
    return r;
  }
}
