// Message rates measured over whole windows.

import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../electron/core/connection/rates.js';

describe('RateMeter', () => {
  it('measures over whole windows, so frequent sampling of a slow stream does not read 0', () => {
    const r = new RateMeter(1000);
    let count = 0;
    r.sample(count, 1000);
    // 20 messages per second, sampled every 50 ms.
    for (let t = 1050; t <= 3000; t += 50) {
      if (t % 100 === 0) count += 2; // 2 per 100 ms
      r.sample(count, t);
      if (t > 2000) expect(r.perSecond).toBeGreaterThan(15);
    }
    expect(r.perSecond).toBeCloseTo(20, 0);
  });
});
