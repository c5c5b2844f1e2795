// The server clock: offset from the handshake's midpoint, from HEARTBEAT
// frames (half the last round trip in flight), round trips from pongs, and
// nothing from an implausible time.

import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../electron/core/connection/clock.js';

describe('server clock', () => {
  it('takes the offset against the midpoint of the handshake, and its round trip unless late; the lowest-RTT sample wins', () => {
    const c = new ServerClock(() => 9_000);
    c.fromHandshake(1_000, 1_200, new Date(5_100).toISOString(), false);
    expect(c.offsetMs).toBe(4_000);
    expect(c.uncertaintyMs).toBe(100);
    expect(c.latencyMs).toBe(200);
    // A late ack (7 s round trip) bounds the offset only loosely (1,500 .. 8,500): the 200 ms sample still wins.
    c.fromHandshake(2_000, 9_000, new Date(10_500).toISOString(), true);
    expect(c.offsetMs).toBe(4_000);
    expect(c.latencyMs).toBe(200);
  });

  it('corrects a HEARTBEAT frame time by half the last round trip; a pong sets the round trip', () => {
    const c = new ServerClock(() => 7_000);
    c.fromPong(100);
    c.fromHeartbeat(10_000, 7_000);
    expect(c.offsetMs).toBe(3_050);
    expect(c.latencyMs).toBe(100);
  });

  it('ignores a server time that cannot be a date', () => {
    const c = new ServerClock();
    c.fromHandshake(1_000, 1_100, 'not a date', false);
    c.fromHeartbeat(Number.NaN, 1);
    c.fromHeartbeat(9e15, 1);
    c.fromHeartbeat(-5, 1);
    expect(c.offsetMs).toBeUndefined();
    expect(c.latencyMs).toBe(100);
  });
});
