// Agent liveness of one plane: every heartbeat/status_update naming an agent
// restarts its clock; silent longer than the timeout is lost (once), and
// speaking again is recovered. docs/PROTOCOL.md, "Liveness".
// Direction: plane.ts and intake.ts → agent-liveness.ts → LivenessEvents (declared here).

import { type JsonObject, MAX_AGENTS_PER_PLANE, MAX_LIVENESS_ID_CHARS } from '../../../shared/index.js';

export interface LivenessEvents {
  lost(payload: JsonObject): void;
  recovered(payload: JsonObject): void;
}

export class AgentLiveness {
  /** Last beat per agent, ordered oldest first (delete then set on every beat). */
  private readonly beats = new Map<string, number>();
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

  beat(id: string, now: number): void {
    if (!this.beats.delete(id)) {
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
    this.beats.set(id, now);
    const at = this.lostAt.get(id);
    if (at !== undefined) {
      this.lostAt.delete(id);
      this.events.recovered({ agentId: id, lostForMs: now - at });
    }
  }

  /** We were not listening (the control endpoint reconnected): silence since then is not the agents'. */
  restartClocks(now: number): void {
    for (const id of this.beats.keys()) this.beats.set(id, now);
  }

  /** Declares agents silent past the timeout lost. */
  check(now: number): void {
    for (const [id, at] of this.beats) {
      if (now - at <= this.timeoutMs) break;
      if (this.lostAt.has(id)) continue;
      this.lostAt.set(id, now);
      this.events.lost({ agentId: id, lastSeenAt: at, silentForMs: now - at, timeoutMs: this.timeoutMs });
    }
  }
}
