// A TTL'd message replayed long after it was recorded: shown as it was live
// (with its recorded timestamp), and one that had expired live stays dropped.

import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import type { PlaneStatus } from '../../shared/model.js';
import { PlaneFeed } from '../../electron/core/recording/feed.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { Recorder } from '../../electron/core/recording/recorder.js';
import { recordingLines } from '../../electron/core/recording/tail.js';
import { AgentStore } from '../../electron/core/store/agent-store.js';
import { tempDir } from '../helpers/recording.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
afterEach(() => vi.useRealTimers());

async function recordTtl(path: string): Promise<{ fresh: string; stale: string }> {
  const store = new AgentStore();
  const config = { id: 'p', label: 'p', url: 'ws://x.invalid', color: 0 };
  const plane = { config, store, status: () => ({ plane: 'p', label: 'p', color: 0, url: config.url, state: 'LIVE', agents: 0 }) as unknown as PlaneStatus };
  const rec = await Recorder.start(await fileSink(path), [plane as Plane], { snapshotEveryMs: 0 });
  const at = Date.now();
  const fresh = new Date(at - 10).toISOString();
  const stale = new Date(at - 120_000).toISOString();
  const msg = (id: string, ts: string): Buffer =>
    Buffer.from(JSON.stringify({ id, type: 'agent.state.changed', timestamp: ts, payload: { agentId: 'agent-001', newState: 'WAITING' }, metadata: { priority: 'critical', ttl: 60_000 } }));
  rec.inbound('p', 'control', msg('fresh-1', fresh), false, at);
  rec.inbound('p', 'control', msg('stale-1', stale), false, at + 1);
  await rec.stop();
  return { fresh, stale };
}

describe('TTL in replay', () => {
  it('an hour later: the fresh message is shown with its recorded timestamp, the expired one is not', async () => {
    const path = tmp.file('ttl.mcap');
    const { fresh } = await recordTtl(path);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_600_000);
    const lines: string[] = [];
    for await (const l of recordingLines(path)) lines.push(l);
    const events = lines.map((l) => JSON.parse(l) as { id?: string; timestamp?: string });
    expect(events.map((e) => e.id)).toEqual(['fresh-1']);
    expect(events[0]!.timestamp).toBe(fresh);

    const rec = await Recording.open(path);
    const plane = new Plane({ id: 'p', label: 'p', url: 'mcap:', color: 0 }, { event: () => undefined });
    const feed = new PlaneFeed(plane);
    for (const m of await rec.readChunk(0)) feed.apply(m);
    await rec.close();
    expect(plane.counters.ttlExpired).toBe(1);
    expect(plane.store.state[plane.store.slotOf(1)]).toBe(3); // WAITING, from the fresh one
  });
});
