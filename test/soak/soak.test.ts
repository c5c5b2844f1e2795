import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// A few minutes at moderate load (2 planes x 2,000 agents x 30 Hz plus events, one
// acknowledging view): the heap after forced GC must stay flat. SWARMDECK_SOAK_SECONDS
// lengthens it (default 150; at least 90: 60 s of warm-up, then 30 s or more judged).
const SECONDS = Number(process.env.SWARMDECK_SOAK_SECONDS ?? 150);

interface Sample {
  t: number;
  heapUsed: number;
  frames?: number;
  events?: number;
}

/** Least-squares slope, bytes per second. */
function slope(s: Sample[]): number {
  const n = s.length;
  const mt = s.reduce((a, x) => a + x.t, 0) / n;
  const mh = s.reduce((a, x) => a + x.heapUsed, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of s) {
    num += (x.t - mt) * (x.heapUsed - mh);
    den += (x.t - mt) ** 2;
  }
  return num / den;
}

describe('soak', () => {
  it(
    `keeps the heap flat for ${SECONDS} s at moderate load, losing no frames' worth of work`,
    async () => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/soak/soak-run.ts'], {
        env: { ...process.env, SWARMDECK_SOAK_SECONDS: String(SECONDS) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(0);
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Sample & { done?: boolean; planes?: number[] });
      const done = lines.at(-1)!;
      const samples = lines.filter((l) => !l.done);
      expect(samples.length).toBeGreaterThanOrEqual(Math.floor(SECONDS / 5) - 1);
      expect(done.planes).toEqual([2000, 2000]);
      // The view kept receiving: at least ~10 frames/s and the simulators' events.
      expect(done.frames).toBeGreaterThan(SECONDS * 10);
      expect(done.events).toBeGreaterThan(SECONDS * 10);
      // Flat: judged after 60 s of warm-up (JIT, buffers reaching size, bounded windows filling).
      const steady = samples.filter((s) => s.t >= 60);
      if (steady.length < 6) throw new Error(`a soak of ${SECONDS} s leaves ${steady.length} samples after the 60 s warm-up; run at least 90 s`);
      const growthPerSecond = slope(steady);
      const first = steady[0]!.heapUsed;
      const last = steady.at(-1)!.heapUsed;
      console.log(`soak: heap ${(first / 1e6).toFixed(1)} MB -> ${(last / 1e6).toFixed(1)} MB, slope ${(growthPerSecond / 1e3).toFixed(1)} kB/s over ${steady.length} samples`);
      // Per frame: a leak of one 100-byte object per frame (~30-60 frames/s) shows as >= 3 kB/s.
      const framesPerSecond = done.frames! / SECONDS;
      console.log(`soak: ${framesPerSecond.toFixed(0)} frames/s, ${(growthPerSecond / framesPerSecond).toFixed(1)} B of heap growth per frame`);
      expect(growthPerSecond / framesPerSecond).toBeLessThan(50);
      expect(last).toBeLessThan(first * 1.1 + 1_000_000);
    },
    (SECONDS + 60) * 1000,
  );
});
