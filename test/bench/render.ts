// `npm run bench -- render` (issue 10): our scene against sigma.js v3 in the
// same Chromium (Debian's, through Playwright), each in its own page of the
// benchmark (built with esbuild into a temp dir and served on 127.0.0.1), at a
// 1200×800 viewport, on the same generated graph: N moving nodes and 2N
// persistent edges. Prints frames per second, JS ms per frame (all of it, and
// the part updating the scene's data) and the ratios. Under SwiftShader only
// the ratios mean anything. Not a test.
//   --sizes 1000,10000   the N to run (default 1k, 10k, 50k, 100k)
//   --seconds 3          measured seconds per renderer and N (after a warm-up)
//   --renderers ours     run only one side (ours, sigma); ratios need both
//   --profile            CPU-profile each measured run (CDP) and print the top self-time functions
//   --shots DIR          a screenshot of each page after its run, as DIR/render-<renderer>-<N>.png
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../../playwright.config.js';
import type { BenchResult } from './render-pages/graph.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const PAGES = ['ours', 'sigma'] as const;
const VIEWPORT = { width: 1200, height: 800 };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Sampled JS time (not idle, GC or native) in a CDP CPU profile, ms. */
function jsTime(profile: { nodes: ProfileNode[]; startTime: number; endTime: number }): number {
  const hits = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0) || 1;
  const perHit = (profile.endTime - profile.startTime) / 1000 / hits;
  let js = 0;
  for (const node of profile.nodes) if (!/^\((idle|program|garbage collector|root)\)$/.test(node.callFrame.functionName)) js += (node.hitCount ?? 0) * perHit;
  return js;
}

/** The functions with the most self time in a CDP CPU profile, as "ms  name (file:line)". */
function topSelfTime(profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] }, count: number): string[] {
  const hits = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0) || 1;
  const perHit = (profile.endTime - profile.startTime) / 1000 / hits;
  const by = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} (${f.url.split('/').pop()}:${f.lineNumber + 1})`;
    by.set(key, (by.get(key) ?? 0) + (node.hitCount ?? 0) * perHit);
  }
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${k}`);
}

async function buildPages(dir: string, minify: boolean): Promise<void> {
  await build({
    entryPoints: PAGES.map((p) => join(here, 'render-pages', `${p}.ts`)),
    outdir: dir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify,
    sourcemap: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const p of PAGES) {
    writeFileSync(
      join(dir, `${p}.html`),
      `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#0d1117}#host{width:${VIEWPORT.width}px;height:${VIEWPORT.height}px;position:relative}</style></head><body><div id="host"></div><script type="module" src="./${p}.js"></script></body></html>`,
    );
  }
}

function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '');
    if (path.includes('..')) return void res.writeHead(400).end();
    readFile(join(dir, path)).then(
      (body) => res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const f = (x: number, d = 1): string => x.toFixed(d);

export async function runRenderBench(print: (line: string) => void): Promise<void> {
  const sizes = (arg('sizes') ?? '1000,10000,50000,100000').split(',').map(Number);
  const seconds = Number(arg('seconds') ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-render-bench-'));
  const profile = process.argv.includes('--profile');
  const shots = arg('shots');
  const server = await buildPages(dir, !profile).then(() => serve(dir));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', ...(process.env.RENDER_BENCH_UNCAPPED ? ['--disable-gpu-vsync', '--disable-frame-rate-limit'] : [])],
  });
  print(`render: Chromium ${browser.version()}, ${VIEWPORT.width}x${VIEWPORT.height}, N nodes moving every frame + 2N persistent edges, ${seconds} s per run (SwiftShader: compare ratios only)`);
  print('     N  renderer              fps   JS ms/frame mean   p95    max   update ms   setup ms');
  try {
    for (const n of sizes) {
      const results: Partial<Record<(typeof PAGES)[number], BenchResult>> = {};
      const only = arg('renderers')?.split(',');
      for (const p of PAGES) {
        if (only && !only.includes(p)) continue;
        const page = await browser.newPage({ viewport: VIEWPORT });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        // A shader that fails to compile is only logged: the run would measure a scene missing a mesh.
        page.on('console', (m) => void (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text())));
        const cdp = profile ? await page.context().newCDPSession(page) : null;
        if (cdp) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
          await cdp.send('Profiler.start');
        }
        await page.goto(`http://127.0.0.1:${port}/${p}.html?n=${n}&seconds=${seconds}`, { waitUntil: 'commit', timeout: 120_000 });
        if (cdp) {
          await page.waitForFunction(() => window.__benchMeasuring === true, undefined, { timeout: 600_000, polling: 50 });
          const { profile: setup } = await cdp.send('Profiler.stop');
          print(`        profile of ${p} at N=${n}, setup:`);
          for (const line of topSelfTime(setup as unknown as Parameters<typeof topSelfTime>[0], 8)) print(`        ${line}`);
          await cdp.send('Profiler.start');
        }
        const r = await page.waitForFunction(() => window.__benchResult, undefined, { timeout: (seconds + 600) * 1000, polling: 250 }).then((h) => h.jsonValue() as Promise<BenchResult | { error: string }>);
        if (cdp) {
          const { profile: prof } = await cdp.send('Profiler.stop');
          const pr = prof as unknown as Parameters<typeof topSelfTime>[0];
          print(`        profile of ${p} at N=${n}, measured run: sampled JS ${f(jsTime(pr), 0)} ms over ${'frames' in r ? r.frames : '?'} frames + warm-up = ${'frames' in r ? f(jsTime(pr) / (r.frames + 2), 2) : '?'} ms CPU per frame; self time:`);
          for (const line of topSelfTime(pr, 12)) print(`        ${line}`);
        }
        // A software-GL frame can take seconds: a screenshot that times out is skipped, not fatal.
        if (shots && !('error' in r)) await page.screenshot({ path: join(shots, `render-${p}-${n}.png`), timeout: 60_000 }).catch(() => print(`        (no screenshot of ${p} at N=${n}: timed out)`));
        await page.close();
        if ('error' in r) throw new Error(`${p} at N=${n}: ${r.error}`);
        if (errors.length) throw new Error(`${p} at N=${n}: ${errors.join('; ')}`);
        results[p] = r;
        print(`${String(n).padStart(6)}  ${r.renderer.padEnd(20)} ${f(r.fps).padStart(5)}   ${f(r.jsMean, 2).padStart(16)} ${f(r.jsP95).padStart(5)} ${f(r.jsMax).padStart(6)}   ${f(r.updateMean, 2).padStart(9)}   ${f(r.setupMs, 0).padStart(8)}`);
      }
      const o = results.ours, s = results.sigma;
      if (o && s) print(`${String(n).padStart(6)}  ratio ours/sigma:  fps ${f(o.fps / s.fps, 2)}x, JS ms per frame ${f(o.jsMean / s.jsMean, 2)}x (edges held ${o.edges} vs ${s.edges})`);
      if (o?.lod) print(`        ours drew ${o.edgesDrawn} edges for ${o.edges} flows (level of detail: ${o.lod.merged} merged into aggregates, ${o.lod.hidden} hidden under dense nodes or a node, ${o.lod.culled} off screen, ${o.lod.cut} cut as not among a cell's top)`);
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
