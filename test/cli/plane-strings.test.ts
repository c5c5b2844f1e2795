// Every string a plane chose that the CLI prints reaches the terminal with its
// bidi and control characters escaped: a plane's U+202E cannot reorder the
// operator's line, nor a C1 CSI (U+009B) or ESC drive the terminal. Fed from
// an independent TestPlane (command results, tail events) and from a
// recording's plane list (info).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInfo } from '../../electron/core/cli/info.js';
import { neutraliseText } from '../../shared/index.js';
import { TestPlane } from '../helpers/test-plane.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOSTILE = 'ok \u202eevil\u202c \u2066x\u2069 \u001b[31mred \u009b2J \u0007bell';
/** What must never reach stdout raw. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const planes: TestPlane[] = [];
afterEach(async () => {
  for (const p of planes.splice(0)) await p.stop();
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', 'electron/core/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    const t = setTimeout(() => c.kill('SIGKILL'), 30_000);
    c.on('close', (code) => (clearTimeout(t), resolve({ code, stdout })));
  });
}

describe('plane strings the CLI prints', () => {
  it('command: the result message from the plane is escaped', async () => {
    const tp = new TestPlane({ agents: 2 });
    tp.onCommand = (m) => ({ type: 'response', request_id: m.request_id, timestamp: new Date().toISOString(), payload: { status: 'success', message: HOSTILE } });
    planes.push(tp);
    const url = await tp.start();
    const r = await cli(['command', '--url', url, '--agent', 'agent-1', '--command', 'restart']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"status":"success"');
    expect(r.stdout).not.toMatch(RAW);
    // The same value, escaped: JSON.parse gives the plane's string back.
    expect((JSON.parse(r.stdout.trim()) as { message: string }).message).toBe(HOSTILE);
  }, 60_000);

  it('info: plane labels, urls and topics of a recording are escaped in the table', () => {
    const lines = formatInfo({
      file: 'x.mcap', bytes: 1, complete: true, startMs: 0, durationMs: 0, chunks: 0, snapshots: 0,
      planes: [{ id: 'p', label: HOSTILE, url: 'ws://h', endpoints: ['graph'] }],
      channels: [{ topic: HOSTILE, encoding: 'json', messages: 1 }],
    } as unknown as Parameters<typeof formatInfo>[0]).map((l) => neutraliseText(l));
    expect(lines.join('\n')).not.toMatch(RAW);
    expect(lines.join('\n')).toContain('‹U+202E›');
  });
});

describe('the CLI sources', () => {
  it('print JSON through jsonLine (bidi and C1 escaped), never a bare JSON.stringify', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = `${ROOT}/electron/core/cli`;
    const bare = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n').map((l, i) => [`${f}:${i + 1}`, l] as const))
      .filter(([, l]) => /\b(out|log)\(\s*JSON\.stringify\(/.test(l) || /^\s*JSON\.stringify\(\{\s*$/.test(l));
    expect(bare.map(([at]) => at)).toEqual([]);
  });
});
