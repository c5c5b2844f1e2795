// Liveness of one endpoint session: the client's heartbeats (a heartbeat
// message plus a WebSocket ping every interval; the pong gives the round
// trip) and the stale timer. The interval is the server's handshake_ack
// `heartbeatInterval`, clamped to the profile's range, else the default.
// Any inbound traffic is life: messages, the server's pings and pongs (a plane
// may keep a quiet endpoint alive with pings alone). With none for
// STALE_FACTOR × the interval (at least staleMinMs) the session is STALE and a
// ping probes the socket; anything heard makes it LIVE again, and nothing
// heard within max(the interval, staleMinMs) gives the socket up (closed and
// reconnected). docs/PROTOCOL.md, "Liveness". What silence leads to, and when,
// is decided here; the session only applies it.
// Direction: endpoint-session.ts → heartbeat.ts → HeartbeatPort (declared
// here, implemented by the session).

import { STALE_FACTOR } from '../../../shared/index.js';
import { quote } from './conformance.js';
import type { PlaneSettings } from './plane-config.js';
import type { Timers } from './timers.js';

export interface HeartbeatPort {
  /** Sends the client heartbeat message and a ping; false when the socket is not open. */
  beat(): boolean;
  note(code: string, message: string): void;
  /** Nothing from the server for too long: the session is STALE (`reason` says why). */
  stale(info: StaleInfo, reason: string): void;
  /** Sends a WebSocket ping to probe a STALE socket; false when it is not open. */
  probe(): boolean;
  /** Heard again while STALE: LIVE. */
  revived(silentForMs: number): void;
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
  /** STALE: a probe is out. */
  private isStale = false;

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
    this.isStale = false;
  }

  /** Silence that makes the session STALE. */
  get staleAfterMs(): number {
    return Math.max(STALE_FACTOR * this.intervalMs, this.limits.staleMinMs);
  }

  /** How long a probe of a STALE socket waits for anything. */
  get probeMs(): number {
    return Math.max(this.intervalMs, this.limits.staleMinMs);
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
    this.isStale = false;
    this.timers.clear('probe');
    this.timers.timeout('stale', this.staleAfterMs, () => this.onStale());
  }

  /** The server was heard: the upgrade, any message, a ping or a pong. */
  heard(now: number): void {
    const silentForMs = now - this.lastRxAt;
    this.lastRxAt = now;
    if (this.isStale) {
      this.isStale = false;
      this.timers.clear('probe');
      this.timers.timeout('stale', this.staleAfterMs, () => this.onStale());
      this.port.revived(silentForMs);
      return;
    }
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
    const early = this.staleAfterMs - silentForMs;
    if (early > 0) {
      this.timers.timeout('stale', early, () => this.onStale());
      return;
    }
    this.isStale = true;
    const reason = `no traffic for ${silentForMs} ms (limit ${this.limitText()}); probing with a ping`;
    this.port.stale({ silentForMs, lastRxAt: this.lastRxAt, heartbeatIntervalMs: this.intervalMs }, reason);
    this.port.probe();
    this.timers.timeout('probe', this.probeMs, () => this.onProbeFailed());
  }

  private onProbeFailed(): void {
    if (!this.isStale) return;
    const silentForMs = Date.now() - this.lastRxAt;
    this.port.dead(`no traffic for ${silentForMs} ms, and no answer to a ping within ${this.probeMs} ms (STALE after ${this.limitText()})`);
  }

  private limitText(): string {
    const factor = STALE_FACTOR * this.intervalMs;
    return factor >= this.limits.staleMinMs ? `${STALE_FACTOR} × ${this.intervalMs} ms` : `${this.limits.staleMinMs} ms, the least`;
  }
}
