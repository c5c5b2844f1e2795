// The Metrics panel with a single sample (issue 23): the x-axis reads as a few
// distinct 24-hour times around it, not one crowded label. Against the
// independent test plane, which sends exactly one system.metrics.
import { expect, test } from '@playwright/test';
import { openPanel } from './console-page.js';
import { TestPlane } from '../helpers/test-plane.js';
import { startWeb, type WebApp } from './start-web.js';

let tp: TestPlane;
let app: WebApp;
test.beforeAll(async () => {
  tp = new TestPlane({ agents: 5, heartbeatIntervalMs: 1000 });
  await tp.start();
  app = await startWeb(['--url', tp.url]);
});
test.afterAll(async () => {
  await app?.stop();
  await tp?.stop();
});

test('one metrics sample: the time axis spans a minute around it with distinct, readable ticks', async ({ browser }, info) => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  await page.goto(app.url);
  await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
  tp.send('agents', tp.event('system.metrics', { activeAgents: 4, totalAgents: 5, systemLoad: { cpu: 0.5, memory: 0.25, gpu: 0 }, messageMetrics: { rate: 12, queueDepth: 3, averageLatency: 20, errorRate: 0 }, networkHealth: 0.9, coordinationEfficiency: 0.8 }));
  await openPanel(page, 'Metrics');
  const chart = page.locator('[data-testid="metric-chart"][data-metric="activeAgents"]');
  await expect(chart.getByTestId('metric-latest')).toHaveText('4');
  const ticks = async (): Promise<string[]> => ((await chart.locator('[data-x-ticks]').getAttribute('data-x-ticks')) ?? '').split(' ').filter(Boolean);
  await expect.poll(async () => (await ticks()).length).toBeGreaterThanOrEqual(2);
  const labels = await ticks();
  for (const l of labels) expect(l).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  expect(new Set(labels).size, labels.join(" ")).toBe(labels.length);
  const secs = labels.map((l) => l.split(':').map(Number)).map(([h, m, s]) => h! * 3600 + m! * 60 + s!);
  // Ticks a readable step apart, within the minute around the sample (midnight aside).
  for (let i = 1; i < secs.length; i++) expect((secs[i]! - secs[i - 1]! + 86_400) % 86_400).toBeGreaterThanOrEqual(5);
  expect((secs.at(-1)! - secs[0]! + 86_400) % 86_400).toBeLessThanOrEqual(60);
  await chart.screenshot({ path: info.outputPath('metrics-one-sample.png') });
  await page.close();
});
