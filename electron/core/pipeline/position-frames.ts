// Positions for one view: per plane, the slots of the store the view has not
// seen, as typed arrays (PlaneFrame). Only the changed slots when at most half
// changed, else every slot. Split out of frame-pipeline.ts.

import { grownCapacity, type PipelineStats, type PlaneFrame, resized, type TypedArray } from '../../../shared/index.js';
import type { Plane } from '../connection/index.js';

/** Per plane and view: what the view has, and scratch reused frame to frame. */
export interface PlaneCursor {
  version: number;
  positionVersion: number;
  xy: Float32Array;
  vxy: Float32Array;
  load: Uint8Array;
  scratch: { slots: Uint32Array };
  ids: Uint32Array;
  states: Uint16Array;
}

/** `a` when it holds `n`, else a new array of the same kind, at least doubled (contents not kept: scratch). */
function scratchFor<T extends TypedArray>(a: T, n: number): T {
  return a.length >= n ? a : resized(a, grownCapacity(a.length, n, 0), 0);
}

/** CPU percent as the frame's u8 load, clamped to 0..100 (a Uint8Array store would wrap, and NaN becomes 0). */
function loadPercent(cpu: number): number {
  return cpu > 100 ? 100 : cpu > 0 ? cpu : 0;
}

/** A cursor for a plane new to the view: its first frame is complete. */
export function newPlaneCursor(): PlaneCursor {
  return { version: -1, positionVersion: 0, xy: new Float32Array(0), vxy: new Float32Array(0), load: new Uint8Array(0), scratch: { slots: new Uint32Array(0) }, ids: new Uint32Array(0), states: new Uint16Array(0) };
}

/**
 * The slots of `p` this view has not seen: only the changed ones when at
 * most half changed (index + data costs less than all), else every slot.
 * Arrays view the store or this view's scratch: valid until the next flush.
 */
export function planeFrame(p: Plane, c: PlaneCursor, stats: Pick<PipelineStats, 'supersededPositions'>): PlaneFrame | null {
  const store = p.store;
  if (c.version === store.version) return null;
  const skipped = store.positionVersion - c.positionVersion - 1;
  if (skipped > 0) stats.supersededPositions = (stats.supersededPositions ?? 0) + skipped;
  // Arrival and send times only when this frame brings positions the view has not had (not for a metrics-only change).
  const receivedAt = store.positionVersion !== c.positionVersion ? store.positionsReceivedAt : 0;
  const sentAt = receivedAt > 0 ? store.positionsSentAt : 0;
  const slotCount = store.slotCount;
  const changed = c.version < 0 ? -1 : store.changedSlots(c.version, c.scratch, slotCount >> 1);
  c.version = store.version;
  c.positionVersion = store.positionVersion;
  const pos = store.pos;
  const vel = store.vel;
  const cpu = store.cpu;
  const positioned = store.positionVersion > 0;
  // Every slot (a view's first frame, or more than half changed) or only the changed ones: the same copy either way.
  const full = changed < 0;
  const n = full ? slotCount : changed;
  const slots = c.scratch.slots;
  const xy = (c.xy = scratchFor(c.xy, 2 * n));
  const vxy = (c.vxy = scratchFor(c.vxy, 2 * n));
  const load = (c.load = scratchFor(c.load, n));
  for (let k = 0; k < n; k++) {
    const slot = full ? k : slots[k]!;
    xy[2 * k] = pos[3 * slot]!;
    xy[2 * k + 1] = pos[3 * slot + 1]!;
    vxy[2 * k] = vel[3 * slot]!;
    vxy[2 * k + 1] = vel[3 * slot + 1]!;
    load[k] = loadPercent(cpu[slot]!);
  }
  const frame = { plane: p.config.id, slotCount, receivedAt, sentAt, xy: xy.subarray(0, 2 * n), vxy: vxy.subarray(0, 2 * n), load: load.subarray(0, n), positioned };
  if (full) return { ...frame, ids: store.ids.subarray(0, slotCount), states: store.state.subarray(0, slotCount) };
  // A changed-slot frame names its slots, and copies their ids and states (the store's arrays are indexed by slot).
  const ids = (c.ids = scratchFor(c.ids, n));
  const states = (c.states = scratchFor(c.states, n));
  for (let k = 0; k < n; k++) {
    ids[k] = store.ids[slots[k]!]!;
    states[k] = store.state[slots[k]!]!;
  }
  return { ...frame, slots: slots.subarray(0, n), ids: ids.subarray(0, n), states: states.subarray(0, n) };
}
