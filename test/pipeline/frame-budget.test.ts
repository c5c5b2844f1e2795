// Issue 22: a view that acknowledges slowly gets the latest positions in every frame, with fewer events, not a backlog.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import type { FrameMessage } from '../../shared/contract/index.js';
import { FramePipeline } from '../../electron/core/pipeline/frame-pipeline.js';
import { eventBytes } from '../../electron/core/monitor/index.js';
import type { PlaneEvent } from '../../shared/events.js';
import { recordsOf } from '../helpers/positions.js';

afterEach(() => vi.restoreAllMocks());

let seq = 0;
const event = (plane: string): PlaneEvent => ({ seq: seq++, plane, at: 0, origin: 'client', type: 'test', priority: 'normal', payload: { text: 'x'.repeat(1000) } });

describe('FramePipeline event budget', () => {
  it('slow acknowledgements shrink the events per frame; each frame still has the newest positions and their send time', () => {
    let perfNow = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => perfNow);
    const p = new Plane({ id: 'a', label: 'a', url: 'ws://127.0.0.1:9', color: 0 }, { event: () => undefined });
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [p], (f) => frames.push(structuredClone(f)), { maxFrameEventBytes: 1024 * 1024 });
    pipe.markReady();
    const bytesOf = (f: FrameMessage): number => f.events.reduce((n, e) => n + eventBytes(e), 0);
    // A new view starts at the minimum; prompt acknowledgements earn it the maximum.
    for (let i = 0; i < 20; i++) {
      p.store.applyPositions(recordsOf([[1, [-1, 0, 0]]]), Date.now());
      expect(pipe.flush()).toBe(true);
      perfNow += 5;
      pipe.ack(frames.at(-1)!.seq);
    }
    frames.length = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 1500; i++) pipe.push(event('a'));
      p.store.applyPositions(recordsOf([[1, [round, 0, 0]]]), Date.now(), 50_000 + round, 49_000 + round);
      expect(pipe.flush()).toBe(true);
      const f = frames.at(-1)!;
      // The newest positions, and when the plane sent them.
      expect(f.positions[0]!.xy[0]).toBe(round);
      expect(f.positions[0]!.sentAt).toBe(49_000 + round);
      // The view takes 3 s to acknowledge each frame.
      perfNow += 3000;
      pipe.ack(f.seq);
    }
    const sent = frames.map(bytesOf);
    expect(sent[0]).toBeGreaterThan(900 * 1024);
    expect(sent[1]).toBeLessThanOrEqual(512 * 1024);
    expect(sent[2]).toBeLessThanOrEqual(256 * 1024);
    expect(sent[3]).toBeLessThanOrEqual(128 * 1024 + 2000);
    // What did not go waits in the bounded queue, counted; nothing vanished uncounted.
    const s = frames.at(-1)!.stats;
    expect(s.eventsSent + s.eventsQueued + (s.eventsDropped ?? 0) + (s.eventsCoalesced ?? 0)).toBe(6000);
    // Fast acknowledgements bring the budget back.
    for (let i = 0; i < 8; i++) {
      p.store.applyPositions(recordsOf([[1, [9, 0, 0]]]), Date.now());
      pipe.flush();
      perfNow += 20;
      pipe.ack(frames.at(-1)!.seq);
    }
    expect(bytesOf(frames.at(-1)!)).toBeGreaterThan(512 * 1024);
    pipe.stop();
  });
});
