// A hostile plane sends 60 KB strings at up to 2,000 messages a second for
// 45 s in CI (SWARMDECK_HOSTILE_SECONDS=120 for the full two minutes; a sliced
// cut passes the bound within 20 s, so 45 s catches it): agent.state.changed events
// for 10,000 agents, each reason distinct. The core keeps a 256-character cut
// of each reason in the agent's history; were that cut a V8 slice it would
// hold the whole 60 KB message (2,000 x 60 KB a second: gigabytes within a
// minute). The peak resident memory of `tail` and of browser mode stays
// under a fixed bound, printed with the figures.

import { closeSync, mkdtempSync, openSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { type Child, startCli } from './child.js';
import { HostilePlane, visEvent } from './hostile-plane.js';
import { openPage, type PageClient } from './page-client.js';

const GRAPH = 'graph/ws';
const SECONDS = Number(process.env.SWARMDECK_HOSTILE_SECONDS ?? 45);
const RATE = 2000;
const STRING_CHARS = 60_000;
/** Peak resident memory (VmHWM) allowed, MB: the event log (8 MB), the agents' side data (64 M characters) and the runtime. */
const BOUND_MB = { tail: 600, web: 700 };
/**
 * Browser mode runs with its V8 old space capped at this (MB): unbounded, V8 lets
 * garbage pile up at 60 KB x 1,000 messages a second (peak RSS 958 MB measured
 * here at 120 s, all of it collectable: with the cap it peaked at 227 MB). The
 * cap makes the bound about what is kept, not when V8 collects; a kept slice of
 * each message (gigabytes a minute) exhausts it and the child dies.
 */
const WEB_OLD_SPACE_MB = 384;

/** Each test's own plane, child and page (the two run at once), stopped whatever happens. */
async function withParts(run: (parts: { plane: HostilePlane; set: (c: Child, p?: PageClient) => void }) => Promise<void>): Promise<void> {
  const plane = new HostilePlane();
  let child: Child | null = null;
  let page: PageClient | null = null;
  try {
    await run({ plane, set: (c, p) => ((child = c), (page = p ?? page)) });
  } finally {
    (page as PageClient | null)?.close();
    await (child as Child | null)?.stop();
    await plane.stop();
  }
}

/** Sends for SECONDS at up to RATE a second (paced by the client's reading); resolves with the messages sent. */
async function flood(p: HostilePlane): Promise<number> {
  const ws = await p.ready(GRAPH);
  const pad = 'R'.repeat(STRING_CHARS);
  const end = Date.now() + SECONDS * 1000;
  const perTick = RATE / 100;
  let sent = 0;
  while (Date.now() < end) {
    const tick = Date.now();
    for (let k = 0; k < perTick; k++, sent++) {
      // Distinct from the first character on: no two reasons share a parent or intern together.
      const reason = `${sent}:${pad}`;
      const text = visEvent('agent.state.changed', { agentId: `agent-${sent % 10_000}`, newState: sent % 2 ? 'ACTIVE' : 'IDLE', reason }, `s-${sent}`, 'low');
      if (k === perTick - 1) await p.send(ws, text);
      else ws.send(text);
    }
    const wait = 10 - (Date.now() - tick);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return sent;
}

/** The last 256 KB of a file. */
function tailOf(path: string): string {
  const size = statSync(path).size;
  const n = Math.min(size, 256 * 1024);
  const buf = Buffer.alloc(n);
  const fd = openSync(path, 'r');
  readSync(fd, buf, 0, n, size - n);
  closeSync(fd);
  return buf.toString('utf8');
}

async function goodData(p: HostilePlane, tag: string, seen: () => boolean): Promise<void> {
  const ws = await p.ready(GRAPH);
  await p.send(ws, visEvent('agent.state.changed', { agentId: 'agent-1', newState: 'ACTIVE', reason: tag }, `good-${tag}`, 'high'));
  await waitFor(`good data "${tag}" after the flood`, seen, 60_000, 100);
}

// The two floods run at once (each is its own plane and child process): the file takes SECONDS, not twice that.
describe.concurrent('hostile plane: 60 KB strings at 2,000 msg/s', () => {
  const timeout = SECONDS * 1000 + 120_000;

  it(`tail: alive, peak memory under ${BOUND_MB.tail} MB`, { timeout }, () =>
    withParts(async ({ plane, set }) => {
      const url = await plane.start();
      // tail prints every event (60 KB lines): to a file, of which the test reads the end.
      const out = join(mkdtempSync(join(tmpdir(), 'swarmdeck-tail-')), 'out.jsonl');
      const fd = openSync(out, 'w');
      const child = startCli(['tail', '--url', url], {}, { stdoutFd: fd });
      set(child);
      closeSync(fd);
      await plane.ready(GRAPH);
      const base = child.memory().peakMb;
      const t0 = Date.now();
      const sent = await flood(plane);
      const s = (Date.now() - t0) / 1000;
      await goodData(plane, 'tail', () => tailOf(out).includes('good-tail'));
      const mem = child.memory();
      console.log(`60 KB strings to tail: ${sent} messages in ${s.toFixed(0)} s (${(sent / s).toFixed(0)}/s, ${((sent * STRING_CHARS) / 1e9).toFixed(1)} GB); peak RSS ${base.toFixed(0)} → ${mem.peakMb.toFixed(0)} MB (bound ${BOUND_MB.tail} MB)`);
      expect(child.alive()).toBe(true);
      expect(sent).toBeGreaterThan(SECONDS * 100);
      expect(mem.peakMb).toBeLessThan(BOUND_MB.tail);
    }));

  it(`browser mode: alive, peak memory under ${BOUND_MB.web} MB`, { timeout }, () =>
    withParts(async ({ plane, set }) => {
      const url = await plane.start();
      const child = startCli(['web', '--url', url], {}, { nodeArgs: [`--max-old-space-size=${WEB_OLD_SPACE_MB}`] });
      set(child);
      const open = (await child.line(/browser mode\): (http\S+)/)).replace(/.*browser mode\): /, '');
      await plane.ready(GRAPH);
      const base = child.memory().peakMb;
      const t0 = Date.now();
      const sent = await flood(plane);
      const s = (Date.now() - t0) / 1000;
      const page = await openPage(open, { match: /good-web|"web"/ });
      set(child, page);
      await goodData(plane, 'web', () => page.matched.length > 0);
      const mem = child.memory();
      console.log(`60 KB strings to browser mode: ${sent} messages in ${s.toFixed(0)} s (${(sent / s).toFixed(0)}/s, ${((sent * STRING_CHARS) / 1e9).toFixed(1)} GB); peak RSS ${base.toFixed(0)} → ${mem.peakMb.toFixed(0)} MB (bound ${BOUND_MB.web} MB)`);
      expect(child.alive()).toBe(true);
      expect(sent).toBeGreaterThan(SECONDS * 100);
      expect(mem.peakMb).toBeLessThan(BOUND_MB.web);
    }));
});
