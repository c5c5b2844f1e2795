// The server's clock as one plane sees it: the offset (server minus local,
// used for TTLs and shown in status), its uncertainty, and the last round
// trip. NTP-style (issue 23): every server timestamp bounds the offset.
// * A one-way sample (a HEARTBEAT frame's server time, any JSON message's
//   timestamp, incl. heartbeats) stamped `ts` and received at `recv`:
//   offset ≥ ts − recv (nothing arrives before it is sent).
// * A two-way sample (handshake_ack's serverTime for a handshake sent at
//   `sent`): also offset ≤ ts − sent.
// The tightest bounds over the last SAMPLE_WINDOW_MS win (the lowest-delay
// sample), so the estimate is refined over time and follows drift. Estimate:
// the lower bound plus half the round trip (the pong's), never past the
// upper bound; the uncertainty is what is left of the interval.
// docs/PROTOCOL.md, "Handshake".
// Direction: a leaf; plane.ts and intake.ts feed it and read it.

/** Largest plausible server clock (JavaScript dates end at 8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;
/** Bounds older than this are forgotten (clocks drift). */
export const CLOCK_SAMPLE_WINDOW_MS = 5 * 60_000;
/** Bounds kept per side (the best of each slot of the window). */
const SLOTS = 10;

/** The best bound per time slot: max for lower bounds, min for upper ones. */
class BoundWindow {
  private readonly slots: { slot: number; value: number }[] = [];
  constructor(private readonly better: (a: number, b: number) => boolean) {}

  add(value: number, now: number): void {
    const slot = Math.floor(now / (CLOCK_SAMPLE_WINDOW_MS / SLOTS));
    const last = this.slots.at(-1);
    if (last && last.slot === slot) {
      if (this.better(value, last.value)) last.value = value;
    } else this.slots.push({ slot, value });
    while (this.slots.length > SLOTS + 1) this.slots.shift();
  }

  best(now: number): number | undefined {
    const oldest = Math.floor(now / (CLOCK_SAMPLE_WINDOW_MS / SLOTS)) - SLOTS;
    let b: number | undefined;
    for (const s of this.slots) if (s.slot >= oldest && (b === undefined || this.better(s.value, b))) b = s.value;
    return b;
  }
}

export class ServerClock {
  /** The last round trip (handshake or heartbeat ping), ms. */
  latencyMs: number | undefined;
  private readonly lower = new BoundWindow((a, b) => a > b);
  private readonly upper = new BoundWindow((a, b) => a < b);
  /** Samples taken (one-way and two-way). */
  samples = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Server minus local clock, ms; undefined until a server time was seen. */
  get offsetMs(): number | undefined {
    return this.estimate()?.offsetMs;
  }

  /** ± how far the true offset may be from offsetMs, ms. */
  get uncertaintyMs(): number | undefined {
    return this.estimate()?.uncertaintyMs;
  }

  private estimate(): { offsetMs: number; uncertaintyMs: number } | undefined {
    const now = this.clock();
    const lo = this.lower.best(now);
    const hi = this.upper.best(now);
    if (lo === undefined && hi === undefined) return undefined;
    const half = (this.latencyMs ?? 0) / 2;
    if (lo === undefined) return { offsetMs: hi! - half, uncertaintyMs: Math.max(half, 0) };
    if (hi === undefined || hi < lo) return { offsetMs: lo + half, uncertaintyMs: half };
    const mid = Math.min(lo + half, (lo + hi) / 2);
    return { offsetMs: mid, uncertaintyMs: Math.max(mid - lo, 0) };
  }

  /**
   * handshake_ack arrived at `receivedAt` for a handshake sent at `sentAt`:
   * a two-way sample. A late ack still bounds the offset but gives no round
   * trip (the wait, not the network, made it late).
   */
  fromHandshake(sentAt: number, receivedAt: number, serverTime: string | undefined, late: boolean): void {
    if (!late) this.latencyMs = receivedAt - sentAt;
    const serverMs = serverTime !== undefined ? Date.parse(serverTime) : Number.NaN;
    if (!plausible(serverMs)) return;
    this.samples++;
    this.lower.add(serverMs - receivedAt, receivedAt);
    this.upper.add(serverMs - sentAt, receivedAt);
  }

  /** A server time (a HEARTBEAT frame's, a JSON message's timestamp) received at `now`: a one-way sample. */
  fromHeartbeat(serverMs: number, now: number): void {
    if (!plausible(serverMs)) return;
    this.samples++;
    this.lower.add(serverMs - now, now);
  }

  /** A heartbeat ping's pong after `rttMs`. */
  fromPong(rttMs: number): void {
    this.latencyMs = rttMs;
  }
}

function plausible(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms < MAX_DATE_MS;
}

/**
 * When the plane sent a binary message's positions, on the local clock
 * (epoch ms): the data age the console shows starts here. POSITION_UPDATE
 * carries no time, so: a HEARTBEAT frame with the server's time in the same
 * message is its send time, the server clock minus the estimated offset;
 * without one, the arrival minus half the last round trip (the one-way
 * delay). Never after `receivedAt` (nothing arrives before it is sent).
 */
export function positionsSentAt(heartbeats: ArrayLike<number | null>, receivedAt: number, clock: ServerClock): number {
  let serverMs: number | null = null;
  for (let i = heartbeats.length - 1; i >= 0 && serverMs === null; i--) {
    const t = heartbeats[i];
    if (t !== null && t !== undefined && plausible(t)) serverMs = t;
  }
  if (serverMs !== null) {
    const offset = clock.offsetMs;
    return offset === undefined ? receivedAt : Math.min(receivedAt, serverMs - offset);
  }
  return receivedAt - (clock.latencyMs !== undefined && clock.latencyMs > 0 ? clock.latencyMs / 2 : 0);
}
