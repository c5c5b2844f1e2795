// `npm run bench -- shots DIR`: screenshots of browser mode at operator
// scale, for a person to look at (not a test): ten independent test planes of
// 5,000 agents with flows (nodes drawn as dots at the fit), at 1920 × 1080 and
// 1024 × 700, again after a reload, and with one plane killed.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../../playwright.config.js';
import { startWeb } from '../e2e/start-web.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runShotsBench(print: (l: string) => void, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const cp = fork(fileURLToPath(new URL('./procs/test-planes.ts', import.meta.url)), ['10', JSON.stringify({ agents: 5000, positionHz: 10, stampPositions: true, heartbeatIntervalMs: 1000, agentHeartbeatMs: 0, flows: 1000, messagesPerSec: 50 })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const urls = await new Promise<string[]>((resolve) => cp.once('message', (m) => resolve((m as { urls: string[] }).urls)));
  const app = await startWeb(urls.flatMap((u) => ['--url', u]));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
  try {
    const shot = async (name: string, width: number, height: number, then?: () => Promise<void>): Promise<void> => {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(app.url);
      for (let i = 0; i < 600 && (await page.evaluate(() => window.__swarmdeck?.scene()?.nodes ?? 0)) < 50_000; i++) await sleep(100);
      await sleep(3000);
      await then?.();
      const path = join(dir, `${name}.png`);
      await page.screenshot({ path });
      await page.reload();
      for (let i = 0; i < 600 && (await page.evaluate(() => window.__swarmdeck?.scene()?.nodes ?? 0)) < 40_000; i++) await sleep(100);
      await sleep(3000);
      await page.screenshot({ path: join(dir, `${name}-reloaded.png`) });
      print(`${name}: ${path} (and -reloaded)`);
      await page.close();
    };
    await shot('planes-1920x1080', 1920, 1080);
    await shot('planes-1024x700', 1024, 700);
    cp.send({ kill: 0 });
    await sleep(4000);
    await shot('planes-killed-1920x1080', 1920, 1080);
  } finally {
    await browser.close();
    await app.stop();
    cp.send('exit');
  }
}
