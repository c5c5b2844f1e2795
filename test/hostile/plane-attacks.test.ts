// Each attack of issue 14 from a hostile control plane (hostile-plane.ts,
// not the simulator), one at a time, against `tail` and browser mode, each
// in a fresh child process. For each: the process is alive afterwards, its
// peak resident memory stays under the attack's bound, good data sent after
// the attack still arrives, and the counters say what happened.
//
// Not here (the connection engine's bounds, issue 14's other half):
// heartbeatInterval extremes, COMPRESSED_BATCH inflate budget, repeated abuse.

import { afterEach, describe, expect, it } from 'vitest';
import type { PlaneStatus } from '../../shared/index.js';
import { MAX_AGENTS_PER_PLANE, MAX_FRAME_EVENT_BYTES, MAX_JSON_DEPTH } from '../../shared/limits.js';
import { waitFor } from '../helpers/wait.js';
import { type Child, startCli } from './child.js';
import { concat, HostilePlane, positionFrames, stateFrame, visEvent } from './hostile-plane.js';
import { openPage, type PageClient } from './page-client.js';

const AGENTS = '/api/visualisation/agents/ws';
const GRAPH = '/api/graph/ws';

interface Attack {
  name: string;
  /** Peak resident memory (VmHWM) the child may reach, MB: well under what the unbounded code reached. */
  peakMb: { tail: number; web: number };
  run(p: HostilePlane, page: PageClient | null): Promise<void>;
  /** tail's stdout shows the attack was seen and bounded. */
  tailSaw(lines: string[]): boolean;
  /** Browser mode's plane status (what the page shows) says what happened. */
  webSaw(s: PlaneStatus, page: PageClient): boolean | Promise<boolean>;
}

const deep = (n: number): string => `{"a":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;

const ATTACKS: Attack[] = [
  {
    name: 'distinct agent ids past the per-plane cap (1.1 M)',
    peakMb: { tail: 500, web: 550 },
    async run(p) {
      const ws = await p.ready(AGENTS.slice(-9));
      const n = MAX_AGENTS_PER_PLANE + 100_000;
      // A bijection of u32: distinct ids scattered over the whole range (the sparse index, not the dense one).
      const ids = new Uint32Array(n);
      for (let i = 0; i < n; i++) ids[i] = Math.imul(i + 1, 0x9e3779b1) >>> 0;
      const frames = positionFrames(ids);
      for (let i = 0; i < frames.length; i += 100) await p.send(ws, concat(frames.slice(i, i + 100)));
    },
    tailSaw: (lines) => lines.some((l) => l.includes('"AGENT_LIMIT"')),
    webSaw: (s) => s.agents === MAX_AGENTS_PER_PLANE && (s.limits?.agentsRefused ?? 0) >= 100_000,
  },
  {
    name: 'a 10 MB string in an event',
    peakMb: { tail: 300, web: 300 },
    async run(p) {
      const ws = await p.ready(GRAPH.slice(-9));
      await p.send(ws, visEvent('agent.state.changed', { agentId: 'agent-7', newState: 'ACTIVE', reason: 'R'.repeat(10_000_000) }, 'big-1'));
    },
    tailSaw: (lines) => lines.some((l) => l.includes('"big-1"') && l.includes('"truncated":1') && l.length < 200_000),
    webSaw: (s) => (s.limits?.stringsTruncated ?? 0) >= 1,
  },
  {
    name: 'STATE_BATCH metadata nested 32,758 deep',
    peakMb: { tail: 250, web: 250 },
    async run(p, page) {
      const ws = await p.ready(AGENTS.slice(-9));
      await p.send(ws, stateFrame(5, 1, deep(32_758)));
      await p.send(ws, stateFrame(6, 1, deep(MAX_JSON_DEPTH)));
      if (page) {
        // Inspecting the agent with the deepest metadata allowed is answered (the packer used to throw and never answer).
        let detail: { meta: unknown } | null = null;
        for (let i = 0; i < 50 && detail === null; i++) {
          detail = (await page.request('swarmdeck:inspect', { plane: 'plane-1', id: 6 })) as { meta: unknown } | null;
          if (detail === null) await new Promise((r) => setTimeout(r, 200));
        }
        expect(detail?.meta).not.toBeNull();
        expect(await page.request('swarmdeck:inspect', { plane: 'plane-1', id: 5 })).toBeNull();
      }
    },
    tailSaw: (lines) => lines.some((l) => l.includes('deeper than 64')),
    webSaw: (s) => s.counters.protocolErrors >= 1,
  },
  {
    name: 'an event flood (100,000 events) to a page that does not acknowledge',
    peakMb: { tail: 500, web: 450 },
    async run(p, page) {
      if (page) page.acking = false;
      const ws = await p.ready(GRAPH.slice(-9));
      const pri = ['low', 'normal', 'high', 'critical'];
      for (let i = 0; i < 100_000; i++) {
        const agentId = `agent-${i % 500}`;
        const text =
          i % 10 === 0
            ? visEvent('agent.state.changed', { agentId, newState: 'ACTIVE', reason: `flood ${i}` }, `f-${i}`, pri[(i / 10) % 4])
            : visEvent('agent.performance.update', { agentId, metrics: { tasksCompleted: i } }, `f-${i}`, 'low');
        ws.send(text);
        if (i % 2000 === 1999) await p.send(ws, '{"type":"heartbeat","timestamp":"2024-01-01T00:00:00Z","payload":{}}');
      }
      if (page) {
        // The tab wakes up: from its next frame on it acknowledges again.
        page.acking = true;
      }
    },
    tailSaw: (lines) => lines.filter((l) => l.includes('"f-')).length >= 99_000,
    webSaw: (s, page) => {
      const st = page.lastFrame!.stats;
      return page.maxFrameBytes < MAX_FRAME_EVENT_BYTES + 256 * 1024 && (st.eventsDropped ?? 0) + (st.eventsCoalesced ?? 0) > 0 && s.counters.messagesIn >= 100_000;
    },
  },
];

let plane: HostilePlane | null = null;
let child: Child | null = null;
let page: PageClient | null = null;
afterEach(async () => {
  page?.close();
  await child?.stop();
  await plane?.stop();
  page = null;
  child = null;
  plane = null;
});

async function goodDataArrives(p: HostilePlane, tag: string, seen: () => boolean): Promise<void> {
  const ws = await p.ready(GRAPH.slice(-9));
  await p.send(ws, visEvent('agent.state.changed', { agentId: 'agent-1', newState: 'ACTIVE', reason: tag }, `good-${tag}`, 'high'));
  try {
    await waitFor(`good data "${tag}" after the attack`, seen, 45_000, 100);
  } catch (e) {
    const said = child?.lines.filter((l) => l.includes('"client.')).slice(-10).join('\n');
    throw new Error(`${e instanceof Error ? e.message : String(e)}; sessions ended: ${p.closes.join('; ')}; last client events:\n${said}`);
  }
}

describe.each(ATTACKS)('hostile plane: $name', (attack) => {
  it('tail: alive, bounded memory, good data after, the output says what happened', { timeout: 120_000 }, async () => {
    plane = new HostilePlane();
    const url = await plane.start();
    child = startCli(['tail', '--url', url]);
    await plane.ready(AGENTS.slice(-9));
    await plane.ready(GRAPH.slice(-9));
    await attack.run(plane, null);
    const tag = `after-${attack.name.length}-tail`;
    await goodDataArrives(plane, tag, () => child!.lines.some((l) => l.includes(tag)));
    // The endpoints are separate sockets: what the attack caused may print just after the good data.
    await waitFor(`tail to say what happened (${attack.name})`, () => attack.tailSaw(child!.lines), 20_000, 100);
    expect(child.alive()).toBe(true);
    expect(child.stderr.join('')).not.toMatch(/uncaught exception|unhandled rejection/);
    const mem = child.memory();
    console.log(`hostile tail ${attack.name}: peak RSS ${mem.peakMb.toFixed(0)} MB (bound ${attack.peakMb.tail} MB)`);
    expect(mem.peakMb).toBeLessThan(attack.peakMb.tail);
  });

  it('browser mode: alive, bounded memory, good data after, plane status says what happened', { timeout: 120_000 }, async () => {
    plane = new HostilePlane();
    const url = await plane.start();
    child = startCli(['web', '--url', url]);
    const open = (await child.line(/browser mode\): (http\S+)/)).replace(/.*browser mode\): /, '');
    const tag = `after-${attack.name.length}-web`;
    page = await openPage(open, { match: new RegExp(tag) });
    await plane.ready(AGENTS.slice(-9));
    await plane.ready(GRAPH.slice(-9));
    await attack.run(plane, page);
    await goodDataArrives(plane, tag, () => page!.matched.length > 0);
    expect(child.alive()).toBe(true);
    expect(child.stderr.join('')).not.toMatch(/uncaught exception|unhandled rejection/);
    const status = await waitFor('plane status', () => page!.planes().find((s) => s.plane === 'plane-1'));
    await waitFor(`the status to say what happened (${attack.name})`, async () => attack.webSaw(page!.planes().find((s) => s.plane === 'plane-1') ?? status, page!), 20_000, 200);
    const mem = child.memory();
    console.log(`hostile web ${attack.name}: peak RSS ${mem.peakMb.toFixed(0)} MB (bound ${attack.peakMb.web} MB), largest frame ${(page.maxFrameBytes / 1e6).toFixed(1)} MB`);
    expect(mem.peakMb).toBeLessThan(attack.peakMb.web);
  });
});
