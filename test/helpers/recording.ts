// Shared by the recording tests: record a simulator session into a file, and
// compare stores agent by agent with the store's public columns.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Plane, type PlaneConfig } from '../../electron/core/connection/plane.js';
import { SLOT_EMPTY } from '../../shared/model.js';
import type { PlaneEvent } from '../../shared/events.js';
import { Recorder, type RecorderOptions } from '../../electron/core/recording/recorder.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Simulator, type SimulatorOptions } from '../../electron/core/sim/simulator.js';
import type { AgentStore } from '../../electron/core/store/agent-store.js';

export interface AgentRow {
  pos: number[];
  vel: number[];
  state: number;
  flags: number;
  cpu: number;
  mem: number;
  tasks: number;
  successRate: number;
  avgMs: number;
}

/** The store's agents by id, copied out field by field (independent of the snapshot code). */
export function storeRows(s: AgentStore): Map<number, AgentRow> {
  const out = new Map<number, AgentRow>();
  for (let slot = 0; slot < s.slotCount; slot++) {
    if (s.state[slot] === SLOT_EMPTY) continue;
    out.set(s.ids[slot]!, {
      pos: [...s.pos.subarray(slot * 3, slot * 3 + 3)],
      vel: [...s.vel.subarray(slot * 3, slot * 3 + 3)],
      state: s.state[slot]!,
      flags: s.flags[slot]!,
      cpu: s.cpu[slot]!,
      mem: s.mem[slot]!,
      tasks: s.tasks[slot]!,
      successRate: s.successRate[slot]!,
      avgMs: s.avgMs[slot]!,
    });
  }
  return out;
}

export function expectSameAgents(actual: Map<number, AgentRow>, expected: Map<number, AgentRow>, what: string): void {
  expect([...actual.keys()].sort((a, b) => a - b), `${what}: agent ids`).toEqual([...expected.keys()].sort((a, b) => a - b));
  for (const [id, row] of expected) expect(actual.get(id), `${what}: agent ${id}`).toEqual(row);
}

export function tempDir(): { dir: string; file(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-rec-'));
  return { dir, file: (n) => join(dir, n), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every kind of message, quickly. */
export const BUSY_SIM: SimulatorOptions = {
  agents: 200,
  rate: 20,
  stateChangesPerSecond: 20,
  messagesPerSecond: 20,
  agentHeartbeatMs: 500,
  metricsIntervalMs: 300,
  systemMetricsIntervalMs: 400,
  coordinationEveryMs: 300,
  flowStatsEveryMs: 500,
  capabilityEveryMs: 400,
  heartbeatIntervalMs: 1000,
};

export interface RecordedSession {
  sim: Simulator;
  plane: Plane;
  recorder: Recorder;
  stop(): Promise<void>;
}

/** A live plane on `sim` recorded into `path` from before it connects. */
export async function recordSession(
  path: string,
  sim: Simulator,
  opts: RecorderOptions = {},
  config: Partial<PlaneConfig> = {},
  tap?: (ev: PlaneEvent) => void,
): Promise<RecordedSession> {
  let rec: Recorder | null = null;
  const plane = new Plane(
    { id: 'p1', label: 'sim one', color: 0x4cc9f0, url: sim.url, backoff: { minMs: 50, maxMs: 200 }, ...config },
    {
      event: (ev) => {
        tap?.(ev);
        rec?.event(ev);
      },
      inbound: (endpoint, data, isBinary, at) => rec?.inbound('p1', endpoint, data, isBinary, at),
    },
  );
  rec = await Recorder.start(await fileSink(path), [plane], opts);
  plane.connect();
  return {
    sim,
    plane,
    recorder: rec,
    stop: async () => {
      await rec!.stop();
      plane.close();
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const turn = async (): Promise<void> => {
  await new Promise<void>((r) => setImmediate(r));
  await new Promise<void>((r) => setImmediate(r));
};
