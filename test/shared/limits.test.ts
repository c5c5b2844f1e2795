// The bounds of limits.ts, each at its edge: what is kept, what is refused,
// and that the refusal is counted.
import { describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import { FrameMessageSchema, type FrameMessage } from '../../shared/contract/index.js';
import { packMessage } from '../../shared/wire.js';
import {
  HISTORY_LENGTH,
  MAX_CAPABILITIES_PER_AGENT,
  MAX_EVENT_STRING_CHARS,
  MAX_HISTORY_STRING_CHARS,
  MAX_JSON_DEPTH,
  MAX_METADATA_CHARS,
  MAX_REJECTION_REASONS,
} from '../../shared/limits.js';
import { FramePipeline } from '../../electron/core/pipeline/frame-pipeline.js';
import { DecodedMessage, decodeMessage, StateColumns } from '../../electron/core/protocol/binary.js';
import { encodeStateBatch } from '../../electron/core/protocol/encode.js';
import type { PlaneEvent } from '../../shared/events.js';
import { normaliseJson } from '../../electron/core/protocol/json.js';
import { truncateStrings } from '../../electron/core/protocol/string-bounds.js';
import { AgentStore } from '../../electron/core/store/agent-store.js';
import { RejectionLog } from '../../electron/core/host/rejection-log.js';
import { decodedPath, fileInside } from '../../electron/core/host/request-path.js';
import { requestTarget } from '../../electron/core/protocol/request-target.js';
import { tokenArgWarning } from '../../electron/core/args/index.js';
import { recordsOf } from '../helpers/positions.js';

const at = (id: number): [number, [number, number, number]] => [id, [id, 0, 0]];

function stateEvent(agentId: string, extra: Record<string, unknown> = {}): PlaneEvent {
  return { seq: 0, plane: 'p', at: 1, origin: 'vis', type: 'agent.state.changed', priority: 'normal', agentId, payload: { agentId, newState: 'ACTIVE', ...extra } };
}

describe('agents per plane', () => {
  it('refuses new ids past the cap, counts each, and keeps updating known agents', () => {
    const s = new AgentStore({ maxAgents: 3 });
    const notices: number[] = [];
    s.onRefused((r) => notices.push(r.refused));
    s.applyPositions(recordsOf([at(1), at(2), at(3), at(4), at(5)]), 1);
    expect(s.agents).toBe(3);
    expect(s.slotOf(4)).toBe(-1);
    expect(s.agentsRefused).toBe(2);
    expect(s.limits.agentsRefused).toBe(2);
    expect(notices).toEqual([1]); // one notice a second at most; the counter counts every record
    s.applyPositions(recordsOf([[2, [99, 0, 0]]]), 2);
    expect(s.pos[s.slotOf(2) * 3]).toBe(99);
    const cols = new StateColumns();
    cols.reserve(2);
    cols.ids.set([3, 6]);
    cols.codes.set([1, 1]);
    cols.count = 2;
    s.applyStates(cols, 3);
    expect(s.state[s.slotOf(3)]).toBe(1);
    expect(s.agentsRefused).toBe(3);
    s.applyEvent(stateEvent('agent-7'));
    expect(s.history.has(7)).toBe(false);
    expect(s.agentsRefused).toBe(4);
    // A departed agent frees room for a new one.
    s.remove(1);
    s.applyPositions(recordsOf([at(8)]), 4);
    expect(s.slotOf(8)).toBeGreaterThanOrEqual(0);
  });

  it('a plane reports the refusal as a protocol error and in status().limits', () => {
    const events: PlaneEvent[] = [];
    const p = new Plane({ id: 'p', label: 'p', url: 'ws://127.0.0.1:9', color: 0 }, { event: (e) => events.push(e) });
    // The real default cap, filled past in one message.
    expect(p.store.maxAgents).toBe(1_000_000);
    const ids: [number, [number, number, number]][] = [];
    for (let i = 0; i < 1_000_005; i++) ids.push(at(i));
    p.store.applyPositions(recordsOf(ids), 1);
    expect(p.store.agents).toBe(1_000_000);
    const st = p.status();
    expect(st.limits?.agentsRefused).toBe(5);
    expect(st.counters.protocolErrors).toBe(1);
    const err = events.find((e) => e.type === 'protocol.error');
    expect(err?.payload.code).toBe('AGENT_LIMIT');
  });
});

describe('strings, metadata, history', () => {
  it('cuts long strings and keys in JSON messages, keeps the rest, and says how many', () => {
    const big = 'x'.repeat(MAX_EVENT_STRING_CHARS + 10);
    const ev = normaliseJson(
      JSON.stringify({ id: 'm1', type: 'agent.state.changed', timestamp: '2024-01-01T00:00:00Z', payload: { agentId: 'agent-1', newState: 'ACTIVE', reason: big, [big]: 1, list: [big, 'ok'] } }),
    );
    expect(ev.type).toBe('agent.state.changed');
    expect(ev.truncated).toBe(3);
    const reason = ev.payload.reason as string;
    expect(reason.length).toBeLessThan(MAX_EVENT_STRING_CHARS + 60);
    expect(reason).toMatch(/…\[10 more characters not kept\]$/);
    expect((ev.payload.list as string[])[1]).toBe('ok');
    expect(normaliseJson(JSON.stringify({ id: 'm2', type: 'agent.state.changed', timestamp: '2024-01-01T00:00:00Z', payload: { agentId: 'a', newState: 'b' } })).truncated).toBeUndefined();
    // A surrogate pair at the cut is not split.
    const pair = { s: 'a'.repeat(9) + '\u{1F600}' + 'b' };
    truncateStrings(pair, 10);
    expect(pair.s.startsWith('a'.repeat(9) + '…')).toBe(true);
  });

  it('a plane counts truncated strings in status().limits', () => {
    const p = new Plane({ id: 'p', label: 'p', url: 'ws://127.0.0.1:9', color: 0 }, { event: () => undefined });
    const big = 'y'.repeat(MAX_EVENT_STRING_CHARS * 2);
    // `ingest` is the plane's replay path into the same decoder; it normalises like a live socket.
    p.ingest('graph', Buffer.from(JSON.stringify({ id: 'm1', type: 'agent.state.changed', timestamp: '2024-01-01T00:00:00Z', payload: { agentId: 'agent-1', newState: 'ACTIVE', reason: big } })), false);
    expect(p.status().limits?.stringsTruncated).toBe(1);
    expect(p.store.history.get(1)![0]!.reason!.length).toBe(MAX_HISTORY_STRING_CHARS);
  });

  it('bounds history strings and length, metadata size and capabilities per agent', () => {
    const s = new AgentStore();
    for (let i = 0; i < HISTORY_LENGTH + 5; i++) s.applyEvent(stateEvent('agent-1', { previousState: 'p'.repeat(1000), reason: `r${i}` }));
    const h = s.history.get(1)!;
    expect(h.length).toBe(HISTORY_LENGTH);
    expect(h[0]!.from.length).toBe(MAX_HISTORY_STRING_CHARS);
    expect(h.at(-1)!.reason).toBe(`r${HISTORY_LENGTH + 4}`);
    s.applyEvent(stateEvent('agent-2', { metadata: { blob: 'm'.repeat(MAX_METADATA_CHARS) } }));
    expect(s.meta.has(2)).toBe(false);
    expect(s.limits.metadataRefused).toBe(1);
    s.applyEvent(stateEvent('agent-2', { metadata: { small: true } }));
    expect(s.meta.get(2)).toEqual({ small: true });
    for (let i = 0; i < MAX_CAPABILITIES_PER_AGENT + 3; i++) {
      s.applyEvent({ ...stateEvent('agent-3'), type: 'agent.capability.update', payload: { agentId: 'agent-3', action: 'add', capability: { name: `c${i}` } } });
    }
    expect(s.capabilities.get(3)!.size).toBe(MAX_CAPABILITIES_PER_AGENT);
    expect(s.limits.sideDataRefused).toBe(3);
  });

  it('refuses side data past the plane budget, and frees it when agents leave', () => {
    const s = new AgentStore({ maxSideDataChars: 2000 });
    for (let i = 1; i <= 50; i++) s.applyEvent(stateEvent(`agent-${i}`, { metadata: { pad: 'z'.repeat(200) } }));
    const kept = s.meta.size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(50);
    expect(s.limits.sideDataRefused).toBeGreaterThan(0);
    for (let i = 1; i <= 50; i++) s.remove(i);
    s.applyEvent(stateEvent('agent-99', { metadata: { pad: 'z'.repeat(200) } }));
    expect(s.meta.has(99)).toBe(true);
  });

  it('STATE_BATCH metadata deeper than the JSON limit is a protocol error, at the limit it is kept', () => {
    const nest = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const d = new DecodedMessage('js');
    decodeMessage(encodeStateBatch([{ id: 1, state: 1, metaRaw: nest(MAX_JSON_DEPTH) }]), d);
    expect(d.protocolErrors).toEqual([]);
    expect(d.states.meta.size).toBe(1);
    decodeMessage(encodeStateBatch([{ id: 1, state: 1, metaRaw: nest(MAX_JSON_DEPTH + 1) }]), d);
    expect(d.protocolErrors[0]?.kind).toBe('bad_json');
    expect(d.protocolErrors[0]?.reason).toMatch(/deeper than 64/);
    // Brackets inside strings do not count.
    decodeMessage(encodeStateBatch([{ id: 1, state: 1, metaRaw: JSON.stringify({ s: '{'.repeat(500) + '\\"' }) }]), d);
    expect(d.protocolErrors).toEqual([]);
    // The deepest metadata the store can hold still packs for the inspector.
    const s = new AgentStore();
    s.applyStates(d.states, 1);
    decodeMessage(encodeStateBatch([{ id: 2, state: 1, metaRaw: nest(MAX_JSON_DEPTH) }]), d);
    s.applyStates(d.states, 1);
    expect(() => packMessage('swarmdeck:inspect', { r: 1, value: { meta: s.meta.get(2) } })).not.toThrow();
  });
});

describe('view pipeline bounds', () => {
  const plane = new Plane({ id: 'p', label: 'p', url: 'ws://127.0.0.1:9', color: 0 }, { event: () => undefined });
  let seq = 0;
  const ev = (priority: PlaneEvent['priority'], type = 'test', agentId?: string): PlaneEvent => ({
    seq: seq++,
    plane: 'p',
    at: 0,
    origin: 'vis',
    type,
    priority,
    ...(agentId ? { agentId } : {}),
    payload: { n: seq },
  });

  it('coalesces older low-priority updates, then drops low before high and critical, counting each', () => {
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [plane], (f) => frames.push(structuredClone(f)), { maxQueuedEvents: 100 });
    // Not ready: everything queues.
    for (let i = 0; i < 40; i++) pipe.push(ev('critical'));
    for (let i = 0; i < 40; i++) pipe.push(ev('normal', 'agent.performance.update', 'agent-1'));
    for (let i = 0; i < 40; i++) pipe.push(ev('low'));
    const st = pipe.stats;
    expect(st.eventsQueued).toBeLessThanOrEqual(100);
    expect(st.eventsCoalesced).toBeGreaterThan(0);
    expect(st.eventsDroppedHigh).toBe(0);
    pipe.markReady();
    pipe.flush();
    const sent = frames[0]!.events;
    expect(sent.filter((e) => e.priority === 'critical').length).toBe(40);
    // Order is kept.
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.seq).toBeGreaterThan(sent[i - 1]!.seq);
    pipe.stop();
  });

  it('drops critical events only when nothing else is left, and counts them apart', () => {
    const pipe = new FramePipeline(() => [plane], () => undefined, { maxQueuedEvents: 10 });
    for (let i = 0; i < 30; i++) pipe.push(ev('critical'));
    expect(pipe.stats.eventsQueued).toBeLessThanOrEqual(10);
    expect(pipe.stats.eventsDroppedHigh).toBe(pipe.stats.eventsDropped);
    expect(pipe.stats.eventsDropped).toBeGreaterThan(0);
    pipe.stop();
  });

  it('bounds the events of one frame in bytes; the rest follow after the ack', () => {
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [plane], (f) => frames.push(structuredClone(f)), { maxFrameEventBytes: 2000 });
    for (let i = 0; i < 100; i++) pipe.push(ev('normal'));
    pipe.markReady();
    pipe.flush();
    const first = frames[0]!;
    expect(first.events.length).toBeGreaterThan(0);
    expect(first.events.length).toBeLessThan(100);
    expect(JSON.stringify(first.events).length).toBeLessThan(2200);
    pipe.ack(first.seq);
    pipe.flush();
    expect(frames[1]!.events[0]!.seq).toBe(first.events.at(-1)!.seq + 1);
    pipe.stop();
  });

  it('sends an oversized event as a stub naming its size', () => {
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [plane], (f) => frames.push(structuredClone(f)), { maxEventBytes: 1000 });
    pipe.push({ ...ev('normal'), payload: { blob: 'b'.repeat(5000) } });
    pipe.markReady();
    pipe.flush();
    expect(frames[0]!.events[0]!.payload.oversized).toBe(true);
    expect(pipe.stats.eventsOversized).toBe(1);
    expect(FrameMessageSchema.safeParse(frames[0]).success).toBe(true);
    pipe.stop();
  });

  it('re-sends an unacknowledged frame after a wait that doubles, not with every event', () => {
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [plane], (f) => frames.push(structuredClone(f)), { ackTimeoutMs: 1000, maxResendBackoffMs: 4000 });
    pipe.markReady();
    pipe.push(ev('normal'));
    let t = 1_000_000;
    expect(pipe.flush(t)).toBe(true);
    for (let i = 0; i < 50; i++) pipe.push(ev('high'));
    expect(pipe.flush(t + 999)).toBe(false); // still waiting
    expect(pipe.flush(t + 1000)).toBe(true); // first re-send after 1 s
    expect(pipe.stats.resendWaitMs).toBe(2000);
    t += 1000;
    expect(pipe.flush(t + 1999)).toBe(false);
    expect(pipe.flush(t + 2000)).toBe(true);
    t += 2000;
    expect(pipe.flush(t + 3999)).toBe(false);
    expect(pipe.flush(t + 4000)).toBe(true);
    t += 4000;
    expect(pipe.stats.resendWaitMs).toBe(4000); // capped
    expect(pipe.flush(t + 4000)).toBe(true);
    expect(pipe.stats.framesTimedOut).toBe(4);
    pipe.ack(frames.at(-1)!.seq);
    expect(pipe.stats.resendWaitMs).toBe(1000);
    pipe.stop();
  });
});

describe('host helpers', () => {
  it('reads request targets and paths without throwing', () => {
    expect(requestTarget('//')?.rawPath).toBe('//');
    expect(requestTarget('/ipc?token=a%20b')?.params.get('token')).toBe('a b');
    expect(requestTarget('http://evil/')).toBeNull();
    expect(requestTarget('*')).toBeNull();
    expect(requestTarget(undefined)).toBeNull();
    expect(decodedPath('/%')).toBeNull();
    expect(decodedPath('/%zz')).toBeNull();
    expect(decodedPath('/a%00b')).toBeNull();
    expect(decodedPath('/a%20b')).toBe('/a b');
  });

  it('keeps files inside the root, siblings with the root as a prefix included', () => {
    expect(fileInside('/srv/renderer', '/index.html')).toBe('/srv/renderer/index.html');
    expect(fileInside('/srv/renderer', '/')).toBe('/srv/renderer/index.html');
    // A path that names the sibling "renderer-private" is refused (the check has the separator)...
    expect(fileInside('/srv/renderer', '../renderer-private/x')).toBeNull();
    expect(fileInside('/srv/renderer', '..')).toBeNull();
    // ...and rooted ones clamp at the root: whatever comes back is inside it.
    for (const p of ['/../renderer-private/x', decodedPath('/..%2frenderer-private%2fx')!, '/../../etc/passwd', '/..\\..\\x']) {
      const f = fileInside('/srv/renderer', p);
      expect(f === null || f.startsWith('/srv/renderer/')).toBe(true);
    }
    expect(fileInside('/srv/renderer', '/a/../b.js')).toBe('/srv/renderer/b.js');
  });

  it('keeps a bounded, aggregated rejection log', () => {
    const log = new RejectionLog();
    for (let i = 0; i < 10_000; i++) log.push(`reason ${i} ${'x'.repeat(1000)}`);
    expect(log.total).toBe(10_000);
    expect(log.length).toBe(MAX_REJECTION_REASONS);
    expect(log.counts.size).toBe(MAX_REJECTION_REASONS);
    expect(log.counts.get('(other reasons)')).toBe(10_000 - (MAX_REJECTION_REASONS - 1));
    expect(log.at(0)!.length).toBeLessThan(210);
  });

  it('warns about --token on a command line, not about the environment', () => {
    expect(tokenArgWarning(['--url', 'ws://x', '--token', 's3cret'])).toMatch(/SWARMDECK_TOKEN/);
    expect(tokenArgWarning(['--token=s3cret'])).not.toBeNull();
    expect(tokenArgWarning(['--token-command', 'pass show x'])).toBeNull();
    expect(tokenArgWarning([])).toBeNull();
  });
});
