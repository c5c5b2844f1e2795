// The server's clock as one plane sees it: the offset (server minus local,
// used for TTLs and shown in status) and the last round trip. Fed by the
// handshake_ack's serverTime, by HEARTBEAT frames carrying a server time and
// by heartbeat pongs. docs/PROTOCOL.md, "Handshake". A better estimate
// (NTP-style filtering over several samples) belongs here and nowhere else.
// Direction: a leaf; plane.ts and intake.ts feed it and read it.

/** Largest plausible server clock (JavaScript dates end at 8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

export class ServerClock {
  /** Server minus local clock, ms; undefined until a server time was seen. */
  offsetMs: number | undefined;
  /** The last round trip (handshake or heartbeat ping), ms. */
  latencyMs: number | undefined;

  /**
   * handshake_ack arrived at `receivedAt` for a handshake sent at `sentAt`:
   * offset = serverTime − midpoint. A late ack still gives the offset but not
   * the round trip (the wait, not the network, made it late).
   */
  fromHandshake(sentAt: number, receivedAt: number, serverTime: string | undefined, late: boolean): void {
    if (!late) this.latencyMs = receivedAt - sentAt;
    const serverMs = serverTime !== undefined ? Date.parse(serverTime) : Number.NaN;
    if (plausible(serverMs)) this.offsetMs = serverMs - (sentAt + receivedAt) / 2;
  }

  /** A HEARTBEAT frame's server time (ms) received at `now`: half the last round trip is in flight. */
  fromHeartbeat(serverMs: number, now: number): void {
    if (!plausible(serverMs)) return;
    this.offsetMs = serverMs + (this.latencyMs ?? 0) / 2 - now;
  }

  /** A heartbeat ping's pong after `rttMs`. */
  fromPong(rttMs: number): void {
    this.latencyMs = rttMs;
  }
}

function plausible(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms < MAX_DATE_MS;
}
