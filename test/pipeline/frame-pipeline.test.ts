import { afterEach, describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import { SLOT_EMPTY } from '../../shared/index.js';
import { type FrameMessage, FrameMessageSchema, IPC_CHANNELS, IpcValidationError, isAllowedSender, parseOrThrow } from '../../shared/contract/index.js';
import { FramePipeline } from '../../electron/core/pipeline/frame-pipeline.js';
import type { PlaneEvent } from '../../shared/events.js';
import { recordsOf } from '../helpers/positions.js';

function planeWith(id: string): Plane {
  return new Plane({ id, label: id, url: 'ws://127.0.0.1:9', color: 0x123456 }, { event: () => undefined });
}

function move(p: Plane, ids: number[], x: number): void {
  p.store.applyPositions(recordsOf(ids.map((id) => [id, [x, -x, 0]])), Date.now());
}

let seq = 0;
function event(plane: string, priority: PlaneEvent['priority'] = 'normal'): PlaneEvent {
  return { seq: seq++, plane, at: 0, origin: 'client', type: 'test', priority, payload: { n: seq } };
}

function ready(pipe: FramePipeline): FramePipeline {
  pipe.markReady();
  return pipe;
}

/** Copies what a sink must copy: the frame's arrays view live buffers. */
function capture(frames: FrameMessage[]) {
  return (f: FrameMessage) => frames.push(structuredClone(f));
}

const pipelines: FramePipeline[] = [];
afterEach(() => pipelines.splice(0).forEach((p) => p.stop()));

describe('FramePipeline', () => {
  it('a scoped view gets only its planes (positions, statuses, events); widening it sends every plane complete', () => {
    const a = planeWith('a');
    const b = planeWith('b');
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [a, b], capture(frames));
    move(a, [1, 2], 1);
    move(b, [7], 3);
    // Queued before the hello named the scope: a's is let go, b's is kept.
    pipe.push(event('a'));
    const early = event('b');
    pipe.push(early);
    pipe.scope(['b']);
    pipe.markReady();
    pipe.push(event('a'));
    const mine = event('b');
    pipe.push(mine);
    expect(pipe.flush()).toBe(true);
    const f0 = frames[0]!;
    expect(f0.positions.map((p) => p.plane)).toEqual(['b']);
    expect(f0.planes.map((s) => s.plane)).toEqual(['b']);
    expect(f0.events.map((e) => e.seq)).toEqual([early.seq, mine.seq]);
    // Out-of-scope events are not drops: nothing was the view's to lose.
    expect(f0.stats.eventsDropped).toBe(0);
    pipe.ack(f0.seq);
    // Every plane now: the next frame holds a and b whole, though b has not changed.
    pipe.scope(null);
    expect(pipe.flush()).toBe(true);
    const f1 = frames[1]!;
    expect(f1.positions.map((p) => [p.plane, p.slots === undefined, [...p.ids]])).toEqual([
      ['a', true, [1, 2]],
      ['b', true, [7]],
    ]);
    expect(f1.planes.map((s) => s.plane)).toEqual(['a', 'b']);
  });

  it('keeps one frame in flight: newer positions replace older ones and each is counted', () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = ready(new FramePipeline(() => [a], capture(frames)));
    move(a, [1, 2], 1);
    expect(pipe.flush()).toBe(true);
    for (let x = 2; x <= 6; x++) {
      move(a, [1, 2], x);
      expect(pipe.flush()).toBe(false); // in flight: nothing sent
    }
    pipe.ack(frames[0]!.seq);
    expect(pipe.flush()).toBe(true);
    expect(frames).toHaveLength(2);
    expect([...frames[1]!.positions[0]!.xy]).toEqual([6, -6, 6, -6]); // the latest
    expect(frames[1]!.stats.supersededPositions).toBe(4); // x = 2..5 never shown
  });

  it('never drops an event for a slow consumer, and keeps their order', () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = ready(new FramePipeline(() => [a], capture(frames)));
    const sent: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 50; k++) {
        const ev = event('a');
        sent.push(ev.seq);
        pipe.push(ev);
        move(a, [1], k);
        pipe.flush(); // most of these find a frame in flight
      }
      if (round % 3 === 0 && frames.length) pipe.ack(frames.at(-1)!.seq); // acks only now and then
    }
    pipe.ack(frames.at(-1)!.seq);
    pipe.flush();
    const received = frames.flatMap((f) => f.events.map((e) => e.seq));
    expect(received).toEqual(sent);
    expect(frames.at(-1)!.stats.eventsQueued).toBe(0);
    expect(frames.at(-1)!.stats.supersededPositions).toBeGreaterThan(900);
  });

  it('sends high and critical events at once, without waiting for the tick', async () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = ready(new FramePipeline(() => [a], capture(frames), { rateHz: 0.01 })); // a tick every 100 s
    pipe.start();
    pipelines.push(pipe);
    await new Promise((r) => setImmediate(r)); // markReady's own flush: the first, empty-handed frame
    expect(frames).toHaveLength(1);
    pipe.ack(frames[0]!.seq);
    await new Promise((r) => setImmediate(r)); // the ack's flush: nothing new to send
    expect(frames).toHaveLength(1);
    frames.length = 0;
    pipe.push(event('a', 'normal'));
    await new Promise((r) => setImmediate(r));
    expect(frames).toHaveLength(0);
    pipe.push(event('a', 'critical'));
    await new Promise((r) => setImmediate(r));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.events.map((e) => e.priority)).toEqual(['normal', 'critical']);
  });

  it('sends a frame as soon as positions arrive when the view is free, not at the next tick', async () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [a], capture(frames), { rateHz: 1000, tickMs: 100_000 });
    pipelines.push(pipe);
    pipe.start();
    pipe.markReady();
    await new Promise((r) => setTimeout(r, 5));
    pipe.ack(frames.at(-1)!.seq);
    await new Promise((r) => setTimeout(r, 5));
    const before = frames.length;
    move(a, [1, 2], 3);
    await new Promise((r) => setTimeout(r, 20)); // far less than the 100 s tick
    expect(frames.length).toBe(before + 1);
    expect([...frames.at(-1)!.positions[0]!.xy]).toEqual([3, -3, 3, -3]);
    // And never faster than the rate: a second change while in flight waits for the ack.
    move(a, [1, 2], 4);
    await new Promise((r) => setTimeout(r, 20));
    expect(frames.length).toBe(before + 1);
    pipe.ack(frames.at(-1)!.seq);
    await new Promise((r) => setTimeout(r, 20));
    expect(frames.length).toBe(before + 2);
  });

  it('sends nothing before the view is ready, then everything it missed', () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [a], capture(frames));
    move(a, [1], 1);
    pipe.push(event('a'));
    pipe.push(event('a'));
    expect(pipe.flush()).toBe(false);
    pipe.markReady();
    expect(pipe.flush()).toBe(true);
    expect(frames[0]!.events).toHaveLength(2);
    expect(frames[0]!.positions[0]!.slotCount).toBe(1);
  });

  it('frees a frame never acknowledged after the ack timeout, and sends its events again', () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = ready(new FramePipeline(() => [a], capture(frames), { ackTimeoutMs: 1000 }));
    move(a, [1], 1);
    const lost = event('a');
    pipe.push(lost);
    pipe.flush(1_000);
    const later = event('a');
    pipe.push(later);
    expect(pipe.flush(1_500)).toBe(false);
    expect(pipe.flush(2_001)).toBe(true);
    expect(frames[1]!.events.map((e) => e.seq)).toEqual([lost.seq, later.seq]);
    expect(frames[1]!.stats.framesTimedOut).toBe(1);
  });

  it('sends only the changed slots when few changed, and every slot when most did', () => {
    const a = planeWith('a');
    const frames: FrameMessage[] = [];
    const pipe = ready(new FramePipeline(() => [a], capture(frames)));
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    move(a, ids, 1);
    pipe.flush();
    expect(frames[0]!.positions[0]!.slots).toBeUndefined(); // first frame: all
    pipe.ack(frames[0]!.seq);
    move(a, [3, 7], 5); // 2 of 10 changed
    a.store.remove(9); // and one left
    pipe.flush();
    const partial = frames[1]!.positions[0]!;
    const slotOf = (id: number) => frames[0]!.positions[0]!.ids.indexOf(id);
    expect([...partial.slots!].sort()).toEqual([slotOf(3), slotOf(7), slotOf(9)].sort());
    expect(partial.slotCount).toBe(10);
    const k = [...partial.slots!].indexOf(slotOf(7));
    expect([partial.ids[k], partial.xy[2 * k], partial.xy[2 * k + 1]]).toEqual([7, 5, -5]);
    expect(partial.states[[...partial.slots!].indexOf(slotOf(9))]).toBe(SLOT_EMPTY);
    pipe.ack(frames[1]!.seq);
    move(a, ids.slice(0, 8), 6); // most changed: all again
    pipe.flush();
    expect(frames[2]!.positions[0]!.slots).toBeUndefined();
    expect(frames[2]!.positions[0]!.ids.length).toBe(10);
    expect(frames[2]!.positions[0]!.receivedAt).toBeGreaterThan(0); // new positions: their arrival time
    pipe.ack(frames[2]!.seq);
    a.store.setState(1, 3, Date.now()); // a state change alone
    pipe.flush();
    expect(frames[3]!.positions[0]!.receivedAt).toBe(0); // no new positions: no arrival time to measure from
    pipe.ack(frames[3]!.seq);
    expect(pipe.flush()).toBe(false); // nothing changed, nothing sent
  });

  it('builds frames that pass the contract, with each plane separate', () => {
    const a = planeWith('a');
    const b = planeWith('b');
    const frames: FrameMessage[] = [];
    const pipe = ready(new FramePipeline(() => [a, b], capture(frames)));
    move(a, [7, 8], 1);
    move(b, [7], 2); // agent 7 of plane b is not agent 7 of plane a
    pipe.flush();
    const f = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, frames[0]);
    expect(f.positions.map((p) => [p.plane, [...p.ids], [...p.xy]])).toEqual([
      ['a', [7, 8], [1, -1, 1, -1]],
      ['b', [7], [2, -2]],
    ]);
    expect(f.planes.map((p) => p.agents)).toEqual([2, 1]);
  });
});

describe('IPC contract validation', () => {
  const good = (): Record<string, unknown> => ({
    seq: 1,
    builtAt: 0,
    planes: [],
    positions: [{ plane: 'a', slotCount: 2, receivedAt: 0, ids: Uint32Array.of(1, 2), xy: new Float32Array(4), states: new Uint16Array(2) }],
    events: [],
    stats: { framesSent: 1, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 },
  });

  it('accepts a well-formed frame', () => {
    expect(parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, good()).seq).toBe(1);
  });

  it.each([
    ['a plain array where a typed array belongs', (f: Record<string, unknown>) => ((f.positions as Record<string, unknown>[])[0]!.ids = [1, 2]), 'positions.0.ids'],
    ['arrays shorter than slotCount', (f: Record<string, unknown>) => ((f.positions as Record<string, unknown>[])[0]!.xy = new Float32Array(2)), 'positions.0'],
    [
      'a slot index past slotCount',
      (f: Record<string, unknown>) =>
        Object.assign((f.positions as Record<string, unknown>[])[0]!, { slots: Uint32Array.of(0, 9), ids: Uint32Array.of(1, 2) }),
      'positions.0.slots.1',
    ],
    ['a negative seq', (f: Record<string, unknown>) => (f.seq = -1), 'seq'],
    ['an event without a payload', (f: Record<string, unknown>) => (f.events = [{ seq: 0, plane: 'a', at: 0, origin: 'vis', type: 't', priority: 'normal' }]), 'events.0.payload'],
  ])('rejects %s, naming the field', (_name, mutate, field) => {
    const f = good();
    mutate(f);
    try {
      parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, f);
      expect.unreachable('validation passed');
    } catch (e) {
      expect(e).toBeInstanceOf(IpcValidationError);
      expect((e as IpcValidationError).field).toBe(field);
    }
  });

  it('allows only senders of the app origin', () => {
    expect(isAllowedSender('app://swarmdeck/index.html', 'app://swarmdeck')).toBe(true);
    expect(isAllowedSender('app://evil/index.html', 'app://swarmdeck')).toBe(false);
    expect(isAllowedSender('https://swarmdeck/index.html', 'app://swarmdeck')).toBe(false);
    expect(isAllowedSender('http://127.0.0.1:5173/', 'http://127.0.0.1:5173')).toBe(true);
    expect(isAllowedSender('http://127.0.0.1:5174/', 'http://127.0.0.1:5173')).toBe(false);
    expect(isAllowedSender('file:///etc/passwd', 'app://swarmdeck')).toBe(false);
    expect(isAllowedSender(undefined, 'app://swarmdeck')).toBe(false);
    expect(isAllowedSender('not a url', 'app://swarmdeck')).toBe(false);
  });
});
