// Agent liveness of one plane: every heartbeat/status_update naming an agent
// restarts its clock and refines its observed beat interval; silent longer
// than 3 × that interval, clamped to 1.5 s .. 60 s (issue 20), it is lost
// (once), and speaking again is recovered. Until an agent has beaten twice
// its limit is the plane's agentTimeoutMs. docs/PROTOCOL.md, "Liveness".
// Direction: plane.ts and intake.ts → agent-liveness.ts → LivenessEvents (declared here).

import { type JsonObject, MAX_AGENTS_PER_PLANE, MAX_LIVENESS_ID_CHARS } from '../../../shared/index.js';

/** An agent is lost after this many of its observed beat intervals of silence ... */
export const AGENT_LOST_INTERVALS = 3;
/** ... but never sooner than this ... */
export const AGENT_LOST_MIN_MS = 1500;
/** ... nor later than this. */
export const AGENT_LOST_MAX_MS = 60_000;

export interface LivenessEvents {
  lost(payload: JsonObject): void;
  recovered(payload: JsonObject): void;
}

export class AgentLiveness {
  /** Last beat per agent, ordered oldest first (delete then set on every beat). */
  private readonly beats = new Map<string, number>();
  /** Observed beat interval per agent: rises at once with a longer gap, falls slowly (a status_update right after a heartbeat is not the rhythm). */
  private readonly intervals = new Map<string, number>();
  private readonly lostAt = new Map<string, number>();

  /** Beats of agents not tracked because the plane already named MAX_AGENTS_PER_PLANE of them (JSON ids are not capped by the store). */
  refused = 0;
  /** Beats of new agents not tracked because the ids held already total MAX_LIVENESS_ID_CHARS (limits.livenessRefused). */
  charsRefused = 0;
  /** Characters of the ids held (beats' keys). */
  private idChars = 0;

  constructor(
    readonly timeoutMs: number,
    private readonly events: LivenessEvents,
    private readonly maxAgents = MAX_AGENTS_PER_PLANE,
    private readonly maxIdChars = MAX_LIVENESS_ID_CHARS,
  ) {}

  get lost(): number {
    return this.lostAt.size;
  }

  /** The silence after which this agent is lost. */
  limitFor(id: string): number {
    const iv = this.intervals.get(id);
    if (iv === undefined) return this.timeoutMs;
    return Math.min(AGENT_LOST_MAX_MS, Math.max(AGENT_LOST_MIN_MS, Math.round(AGENT_LOST_INTERVALS * iv)));
  }

  beat(id: string, now: number): void {
    const prev = this.beats.get(id);
    if (prev === undefined) {
      if (this.beats.size >= this.maxAgents) {
        this.refused++;
        return;
      }
      if (this.idChars + id.length > this.maxIdChars) {
        this.charsRefused++;
        return;
      }
      this.idChars += id.length;
    }
    this.beats.delete(id);
    this.beats.set(id, now);
    const at = this.lostAt.get(id);
    if (at !== undefined) {
      // The silence that lost it is not its rhythm.
      this.lostAt.delete(id);
      this.events.recovered({ agentId: id, lostForMs: now - at });
      return;
    }
    if (prev !== undefined && now > prev) {
      const gap = now - prev;
      const old = this.intervals.get(id);
      this.intervals.set(id, old === undefined ? gap : Math.max(gap, 0.9 * old + 0.1 * gap));
    }
  }

  /** We were not listening (the control endpoint reconnected): silence since then is not the agents'. */
  restartClocks(now: number): void {
    for (const id of this.beats.keys()) this.beats.set(id, now);
  }

  /** Declares agents silent past their limit lost. */
  check(now: number): void {
    const floor = Math.min(AGENT_LOST_MIN_MS, this.timeoutMs);
    for (const [id, at] of this.beats) {
      // Oldest first: past here nobody has been silent even the shortest limit.
      if (now - at <= floor) break;
      if (this.lostAt.has(id)) continue;
      const limit = this.limitFor(id);
      if (now - at <= limit) continue;
      this.lostAt.set(id, now);
      const iv = this.intervals.get(id);
      this.events.lost({ agentId: id, lastSeenAt: at, silentForMs: now - at, timeoutMs: limit, ...(iv !== undefined ? { observedIntervalMs: Math.round(iv) } : {}) });
    }
  }
}
