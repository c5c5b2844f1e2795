// The frame fields the scene needs beyond positions: velocity (dead
// reckoning), load (node size) and whether the plane sends positions at all
// (local layout), filled by the pipeline and carried by browser mode's wire.
import { describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import { FrameMessageSchema, IPC_CHANNELS, parseOrThrow, PlaneFrameSchema, type FrameMessage } from '../../shared/contract/index.js';
import { packMessage, unpackMessage } from '../../shared/wire.js';
import { FramePipeline } from '../../electron/core/pipeline/frame-pipeline.js';
import { recordsOf } from '../helpers/positions.js';

function plane(): Plane {
  return new Plane({ id: 'a', label: 'a', url: 'ws://127.0.0.1:9', color: 1 }, { event: () => undefined });
}

describe('frame fields for the scene', () => {
  it('carries velocity and clamped load per slot, full and partial, and says the plane is positioned', () => {
    const a = plane();
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [a], (f) => frames.push(structuredClone(f)));
    pipe.markReady();
    a.store.applyPositions(recordsOf([[1, [1, 2, 0], [3, -4, 0]], [2, [0, 0, 0], [0, 0, 0]], [3, [0, 0, 0], [0, 0, 0]], [4, [0, 0, 0], [0, 0, 0]]]), Date.now());
    a.store.cpu[0] = 250; // out of range: clamped
    a.store.cpu[1] = 42.7;
    a.store.cpu[2] = NaN;
    pipe.flush();
    const full = frames[0]!.positions[0]!;
    expect(full.slots).toBeUndefined();
    expect([...full.vxy!.subarray(0, 2)]).toEqual([3, -4]);
    expect([...full.load!.subarray(0, 3)]).toEqual([100, 42, 0]);
    expect(full.positioned).toBe(true);
    pipe.ack(frames[0]!.seq);
    a.store.applyPositions(recordsOf([[4, [9, 9, 0], [5, 6, 0]]]), Date.now());
    pipe.flush();
    const part = frames[1]!.positions[0]!;
    expect(part.slots!.length).toBe(1);
    expect([...part.vxy!]).toEqual([5, 6]);
    expect(part.load!.length).toBe(1);
  });

  it('says a plane that only sent states has no positions', () => {
    const a = plane();
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [a], (f) => frames.push(structuredClone(f)));
    pipe.markReady();
    a.store.setState(7, 2, Date.now());
    pipe.flush();
    expect(frames[0]!.positions[0]!.positioned).toBe(false);
  });

  it('travels over the browser-mode wire and validates; wrong lengths are refused', () => {
    const frame = {
      plane: 'a',
      slotCount: 2,
      receivedAt: 0,
      ids: new Uint32Array([1, 2]),
      xy: new Float32Array([0, 0, 1, 1]),
      states: new Uint16Array([0, 0]),
      vxy: new Float32Array([0.5, -0.5, 2, 3]),
      load: new Uint8Array([10, 90]),
      positioned: true,
    };
    const msg = { seq: 0, builtAt: 0, planes: [], positions: [frame], events: [], stats: { framesSent: 0, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 } };
    const packed = packMessage(IPC_CHANNELS.frame, msg);
    const buf = packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength) as ArrayBuffer;
    const got = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, unpackMessage(buf).payload);
    expect([...got.positions[0]!.vxy!]).toEqual([0.5, -0.5, 2, 3]);
    expect([...got.positions[0]!.load!]).toEqual([10, 90]);
    expect(got.positions[0]!.positioned).toBe(true);
    expect(PlaneFrameSchema.safeParse({ ...frame, vxy: new Float32Array(3) }).success).toBe(false);
    expect(PlaneFrameSchema.safeParse({ ...frame, load: new Uint8Array(1) }).success).toBe(false);
    expect(PlaneFrameSchema.safeParse({ ...frame, load: [10, 90] }).success).toBe(false);
  });
});
