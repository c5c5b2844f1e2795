// Memory attacks on browser mode in a child process, as an operator runs it:
// the host's peak resident memory (VmHWM) during the attack against its peak
// with a well-behaved page. Pages that acknowledge frames but never read
// their socket are closed (each view's queue is capped, and all views'
// together); clients that pipeline requests for a large file and read it
// slowly cost a stream buffer each, not the file. Before these caps the
// first grew the host by 64 MiB per socket, the second by the file per request.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PAGE_QUEUED_BYTES } from '../../shared/index.js';
import { type Child, startCli } from './child.js';
import { nonReadingViews, slowPipelinedReads, wellBehavedPage } from './memory-attacks.js';

const MB = 1024 * 1024;
let child: Child | null = null;
afterEach(async () => {
  await child?.stop();
  child = null;
});

async function urlOf(c: Child): Promise<string> {
  return (await c.line(/browser mode\): (http\S+)/, 60_000)).replace(/.*browser mode\): /, '');
}

describe('browser mode under memory attacks', () => {
  it('12 page sockets that acknowledge frames without reading them: every one is closed, the host stays within its queue budget', async () => {
    child = startCli(['web', '--agents', '20000']);
    const url = await urlOf(child);
    await wellBehavedPage(url, 3000);
    const base = child.memory().peakMb;
    const r = await nonReadingViews(url, 12, 40_000, true);
    const grew = child.memory().peakMb - base;
    console.log(`12 non-reading views: host peak RSS ${base.toFixed(0)} → ${child.memory().peakMb.toFixed(0)} MB (+${grew.toFixed(0)}); ${r.closed} closed by the host`);
    expect(child.alive()).toBe(true);
    expect(r.closed).toBe(12);
    // The open views' queues together, plus what closing views hold for their grace period and the frames in packing.
    expect(grew).toBeLessThan(MAX_PAGE_QUEUED_BYTES / MB + 150);
    expect(await wellBehavedPage(url, 1500)).toBeGreaterThan(0);
  }, 90_000);

  it('10 clients pipelining 8 requests each for a 6 MB file and reading 160 KB/s: the host grows by a stream buffer per request, not the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'big.js'), randomBytes(6 * MB).toString('base64').slice(0, 6 * MB));
    child = startCli([dir], {}, { script: 'test/hostile/static-host.child.ts' });
    const url = await urlOf(child);
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/big.js`)).status).toBe(200);
    const base = child.memory().peakMb;
    const read = await slowPipelinedReads(origin, '/big.js', 10, 8, 6000);
    const grew = child.memory().peakMb - base;
    console.log(`10 x 8 pipelined slow reads of 6 MB for 6 s: host peak RSS ${base.toFixed(0)} → ${child.memory().peakMb.toFixed(0)} MB (+${grew.toFixed(0)}); clients read ${(read / MB).toFixed(1)} MB`);
    expect(child.alive()).toBe(true);
    expect(read).toBeGreaterThan(0);
    // Whole files would be 10 x 8 x 6 MB = 480 MB.
    expect(grew).toBeLessThan(80);
    expect((await fetch(`${origin}/`)).status).toBe(200);
  }, 90_000);
});
