// Coordination rounds of one plane, from coordination.* events (their typed
// view): pattern, initiator, participants with roles, each vote as it
// arrives, threshold, timeout, progress and outcome. The product's one
// implementation: panels and the graph draw what this holds. Bounded: rounds
// (MONITOR_ROUNDS, the oldest finished out first) and participants and votes
// per round (MONITOR_ROUND_PARTICIPANTS, further ones not kept); every
// eviction counted.

import type { CoordinationView, Round, StructureCount } from '../../../shared/index.js';
import { keptString } from '../protocol/index.js';

/** Statuses that end a round. */
const DONE = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'ABORTED', 'REJECTED', 'APPROVED']);

export interface RoundsOptions {
  maxRounds: number;
  maxParticipants: number;
  textChars: number;
}

export class Rounds {
  private readonly byId = new Map<string, { round: Round; bytes: number }>();
  private heldBytes = 0;
  lastRev = 0;
  evicted = 0;
  /** Participants and votes not kept (MONITOR_ROUND_PARTICIPANTS). */
  refused = 0;

  constructor(
    readonly plane: string,
    private readonly nextRev: () => number,
    private readonly opts: RoundsOptions,
  ) {}

  /** Applies one coordination event's view. */
  apply(v: CoordinationView, now: number): Round {
    const t = (s: string): string => keptString(s, this.opts.textChars);
    let e = this.byId.get(v.coordinationId);
    if (!e) {
      const id = t(v.coordinationId);
      e = { round: { key: `${this.plane}/${id}`, plane: this.plane, id, pattern: 'UNKNOWN', participants: [], votes: [], startedAt: now, progress: 0, status: 'ACTIVE', updatedAt: now, rev: 0 }, bytes: 0 };
      this.byId.set(v.coordinationId, e);
      this.evict(e.round);
    }
    const r = e.round;
    r.updatedAt = now;
    if (v.pattern !== undefined) r.pattern = t(v.pattern);
    if (v.initiator !== undefined) r.initiator = t(v.initiator);
    if (v.participants !== undefined) {
      const keep = v.participants.slice(0, this.opts.maxParticipants);
      this.refused += v.participants.length - keep.length;
      r.participants = keep.map((p) => ({ id: t(p.id), role: t(p.role) }));
    }
    for (const x of v.votes ?? []) {
      const had = r.votes.find((o) => o.voter === x.voter);
      const vote = x.at === undefined ? { voter: t(x.voter), vote: t(x.vote) } : { voter: t(x.voter), vote: t(x.vote), at: t(x.at) };
      if (had) Object.assign(had, vote);
      else if (r.votes.length < this.opts.maxParticipants) r.votes.push(vote);
      else this.refused++;
    }
    if (v.threshold !== undefined) r.threshold = v.threshold;
    if (v.timeoutMs !== undefined) r.timeoutMs = v.timeoutMs;
    if (v.progress !== undefined) r.progress = Math.max(0, Math.min(1, v.progress));
    if (v.status !== undefined) r.status = t(v.status.toUpperCase());
    if (v.result !== undefined) r.result = t(v.result);
    if (v.phase === 'end' || DONE.has(r.status) || v.result !== undefined) {
      if (v.phase === 'end' && v.status === undefined) r.status = v.suffix.toUpperCase();
      r.endedAt ??= now;
    }
    r.rev = this.lastRev = this.nextRev();
    this.heldBytes -= e.bytes;
    e.bytes = JSON.stringify(r).length;
    this.heldBytes += e.bytes;
    return r;
  }

  /** Active first, then finished; newest first within each. */
  list(): Round[] {
    const all = [...this.byId.values()].map((e) => e.round).reverse();
    return [...all.filter((r) => r.endedAt === undefined), ...all.filter((r) => r.endedAt !== undefined)];
  }

  since(rev: number): Round[] {
    if (this.lastRev <= rev) return [];
    const out: Round[] = [];
    for (const e of this.byId.values()) if (e.round.rev > rev) out.push(e.round);
    return out;
  }

  counts(): StructureCount {
    return { entries: this.byId.size, bytes: this.heldBytes, evicted: this.evicted, maxEntries: this.opts.maxRounds };
  }

  /** Oldest finished first; an active round goes only when every kept one is active (never `keep`, the one just added). */
  private evict(keep: Round): void {
    while (this.byId.size > this.opts.maxRounds) {
      let victim: string | undefined;
      for (const [k, e] of this.byId) {
        if (e.round.endedAt !== undefined) {
          victim = k;
          break;
        }
      }
      if (victim === undefined) for (const [k, e] of this.byId) if (e.round !== keep) {
        victim = k;
        break;
      }
      const gone = this.byId.get(victim!)!;
      this.heldBytes -= gone.bytes;
      this.byId.delete(victim!);
      this.evicted++;
    }
  }
}
