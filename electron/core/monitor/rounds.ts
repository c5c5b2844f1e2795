// Coordination rounds of one plane, from coordination.* events (their typed
// view): pattern, initiator, participants with roles, each vote as it
// arrives, threshold, timeout, progress and outcome. The product's one
// implementation: panels and the graph draw what this holds. Bounded: rounds
// (MONITOR_ROUNDS, the oldest finished out first) and participants and votes
// per round (MONITOR_ROUND_PARTICIPANTS, further ones not kept); every
// eviction counted.

import type { CoordinationView, Round, StructureCount } from '../../../shared/index.js';
import { keptString } from '../protocol/index.js';
import { VersionedMap } from './versioned-map.js';

/** Statuses that end a round. */
const DONE = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'ABORTED', 'REJECTED', 'APPROVED']);

export interface RoundsOptions {
  maxRounds: number;
  maxParticipants: number;
  textChars: number;
}

export class Rounds {
  /** By coordinationId. */
  private readonly byId: VersionedMap<string, Round>;
  /** Participants and votes not kept (MONITOR_ROUND_PARTICIPANTS). */
  refused = 0;

  constructor(
    readonly plane: string,
    nextRev: () => number,
    private readonly opts: RoundsOptions,
  ) {
    this.byId = new VersionedMap(nextRev);
  }

  get lastRev(): number {
    return this.byId.lastRev;
  }

  /** Applies one coordination event's view. */
  apply(v: CoordinationView, now: number): Round {
    const t = (s: string): string => keptString(s, this.opts.textChars);
    let r = this.byId.get(v.coordinationId);
    if (!r) {
      const id = t(v.coordinationId);
      r = this.byId.set(v.coordinationId, { key: `${this.plane}/${id}`, plane: this.plane, id, pattern: 'UNKNOWN', participants: [], votes: [], startedAt: now, progress: 0, status: 'ACTIVE', updatedAt: now, rev: 0 });
      this.evict(r);
    }
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
    this.byId.touched(v.coordinationId);
    return r;
  }

  /** Active first, then finished; newest first within each. */
  list(): Round[] {
    const all = this.byId.values().reverse();
    return [...all.filter((r) => r.endedAt === undefined), ...all.filter((r) => r.endedAt !== undefined)];
  }

  since(rev: number): Round[] {
    return this.byId.since(rev);
  }

  counts(): StructureCount {
    return this.byId.counts(this.opts.maxRounds);
  }

  /** Oldest finished first; an active round goes only when every kept one is active (never `keep`, the one just added). */
  private evict(keep: Round): void {
    while (this.byId.size > this.opts.maxRounds) {
      let victim: string | undefined;
      for (const [k, r] of this.byId.entries()) {
        if (r.endedAt !== undefined) {
          victim = k;
          break;
        }
      }
      if (victim === undefined) {
        for (const [k, r] of this.byId.entries()) {
          if (r !== keep) {
            victim = k;
            break;
          }
        }
      }
      this.byId.evict(victim!);
    }
  }
}
