// Shared setup of the connection-engine integration tests: simulators and
// planes on 127.0.0.1 that are stopped after each test, and event helpers.

import { afterEach } from 'vitest';
import { Plane, type PlaneConfig } from '../../electron/core/connection/plane.js';
import type { PlaneEvent } from '../../shared/events.js';
import { Simulator, type SimulatorOptions } from '../../electron/core/sim/simulator.js';
import { waitFor } from './wait.js';

export { QUIET } from './quiet-sim.js';

export interface TestPlane {
  plane: Plane;
  events: PlaneEvent[];
  of(type: string): PlaneEvent[];
  /** Waits for an event matching `pred` (among all so far) and returns it. */
  event(what: string, pred: (e: PlaneEvent) => boolean, timeoutMs?: number): Promise<PlaneEvent>;
  state(s: string, timeoutMs?: number): Promise<void>;
}

export function useHarness(): {
  sim(opts?: SimulatorOptions): Promise<Simulator>;
  plane(config: Partial<PlaneConfig> & { url: string }, connect?: boolean): TestPlane;
  defer(fn: () => Promise<void> | void): void;
} {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  return {
    async sim(opts = {}) {
      const s = new Simulator({ port: 0, ...opts });
      await s.start();
      cleanup.push(() => s.stop());
      return s;
    },
    plane(config, connect = true) {
      const events: PlaneEvent[] = [];
      const plane = new Plane(
        { id: 'p', label: 'test', color: 0xffffff, backoff: { minMs: 50, maxMs: 200 }, heartbeatLimitsMs: { minMs: 50 }, ...config },
        { event: (e) => events.push(e) },
      );
      if (connect) plane.connect();
      cleanup.push(() => plane.close());
      return {
        plane,
        events,
        of: (type) => events.filter((e) => e.type === type),
        event: (what, pred, timeoutMs = 10_000) => waitFor(what, () => events.find(pred), timeoutMs),
        state: async (s, timeoutMs = 10_000) => {
          await waitFor(`state ${s} (now ${plane.state}: ${plane.status().reason ?? ''})`, () => plane.state === s, timeoutMs);
        },
      };
    },
    defer(fn) {
      cleanup.push(fn);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A visualisation-envelope message. */
export function vis(id: string, type: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type, timestamp: new Date().toISOString(), payload, ...extra };
}
