// Liveness of one endpoint session: the client's heartbeats (a heartbeat
// message plus a WebSocket ping every interval; the pong gives the round
// trip) and the stale timer (no message from the server for 2 × the interval:
// the session is stale). The interval is the server's handshake_ack
// `heartbeatInterval`, clamped to the profile's range, else the default.
// Any message restarts the stale timer; pongs do not (ws answers pings even
// when the server application is hung). docs/PROTOCOL.md, "Liveness".
// What silence leads to, and when (STALE, then the socket closed and
// reconnected), is decided here, in onStale; the session only applies it.
// Direction: endpoint-session.ts → heartbeat.ts → HeartbeatPort (declared
// here, implemented by the session).

import { quote } from './conformance.js';
import type { PlaneSettings } from './plane-config.js';
import type { Timers } from './timers.js';

export interface HeartbeatPort {
  /** Sends the client heartbeat message and a ping; false when the socket is not open. */
  beat(): boolean;
  note(code: string, message: string): void;
  /** Nothing from the server for too long: the session is STALE (`reason` says why). */
  stale(info: StaleInfo, reason: string): void;
  /** Give up on this socket: close it and reconnect. */
  dead(reason: string): void;
}

export interface StaleInfo {
  silentForMs: number;
  lastRxAt: number;
  heartbeatIntervalMs: number;
}

export class Heartbeat {
  /** The interval in use this session; 0 before it started. */
  intervalMs = 0;
  /** When the server was last heard (any message, or the upgrade). */
  lastRxAt = 0;
  private pingSentAt = 0;

  constructor(
    private readonly limits: PlaneSettings['heartbeat'],
    /** The session's timers (so closing the session clears these too). */
    private readonly timers: Timers,
    private readonly port: HeartbeatPort,
  ) {}

  /** A new session: no interval yet, no ping out. */
  reset(): void {
    this.intervalMs = 0;
    this.pingSentAt = 0;
  }

  get running(): boolean {
    return this.timers.has('heartbeat');
  }

  /** Heartbeats and the stale timer at the server's interval, clamped (a note when it was); the default when not asked. */
  start(asked: number | undefined): void {
    const hb = this.limits;
    let ms = hb.defaultMs;
    if (asked !== undefined) {
      if (!Number.isFinite(asked) || asked < hb.minMs || asked > hb.maxMs) {
        ms = Number.isFinite(asked) ? Math.min(hb.maxMs, Math.max(hb.minMs, Math.round(asked))) : hb.defaultMs;
        this.port.note('heartbeat_clamped', `heartbeatInterval ${quote(asked)} ms is outside ${hb.minMs}..${hb.maxMs} ms: ${ms} ms used`);
      } else {
        ms = Math.round(asked);
      }
    }
    this.intervalMs = ms;
    this.timers.interval('heartbeat', ms, () => this.tick());
    this.timers.timeout('stale', 2 * ms, () => this.onStale());
  }

  /** The server was heard (the upgrade, or any message). */
  heard(now: number): void {
    this.lastRxAt = now;
    this.timers.refresh('stale');
  }

  /** A pong: the round trip of the last ping, or undefined when none was out. */
  pong(now: number): number | undefined {
    if (this.pingSentAt <= 0) return undefined;
    const rtt = now - this.pingSentAt;
    this.pingSentAt = 0;
    return rtt;
  }

  private tick(): void {
    if (this.port.beat()) this.pingSentAt = Date.now();
  }

  private onStale(): void {
    const now = Date.now();
    const silentForMs = now - this.lastRxAt;
    // Timers run on the event loop's cached clock and may fire a millisecond early by Date.now().
    const early = 2 * this.intervalMs - silentForMs;
    if (early > 0) {
      this.timers.timeout('stale', early, () => this.onStale());
      return;
    }
    const reason = `no heartbeat or data for ${silentForMs} ms (limit 2 × ${this.intervalMs} ms)`;
    this.port.stale({ silentForMs, lastRxAt: this.lastRxAt, heartbeatIntervalMs: this.intervalMs }, reason);
    this.port.dead(reason);
  }
}
