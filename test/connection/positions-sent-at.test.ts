// When a position message was sent, on the local clock: the start of the data age the console shows.
import { describe, expect, it } from 'vitest';
import { positionsSentAt, ServerClock } from '../../electron/core/connection/clock.js';

describe('positionsSentAt', () => {
  it('a HEARTBEAT time in the same message is the send time, corrected by the offset', () => {
    let now = 1_700_000_000_000;
    const clock = new ServerClock(() => now);
    // The server runs 5 s ahead; a handshake with a 20 ms round trip pins the offset to 5,000 ± 10.
    clock.fromHandshake(now - 20, now, new Date(now - 10 + 5000).toISOString(), false);
    now += 1000;
    const received = now;
    // Sent 300 ms ago (server clock): the age is 300 ms, not 5.3 s or -4.7 s.
    const sent = positionsSentAt([null, received - 300 + 5000], received, clock);
    expect(received - sent).toBeGreaterThanOrEqual(290);
    expect(received - sent).toBeLessThanOrEqual(310);
    // Never after the arrival, whatever the server says.
    expect(positionsSentAt([received + 60_000], received, clock)).toBe(received);
  });

  it('without a time: arrival minus half the round trip', () => {
    const clock = new ServerClock(() => 1000);
    expect(positionsSentAt([], 5000, clock)).toBe(5000);
    clock.fromPong(40);
    expect(positionsSentAt([null], 5000, clock)).toBe(4980);
  });
});
