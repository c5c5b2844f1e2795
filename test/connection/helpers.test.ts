// Small parts of the connection engine: backoff, token bucket, dedupe window,
// the token command runner, durations, session message helpers.

import { describe, expect, it } from 'vitest';
import { Backoff } from '../../electron/core/connection/backoff.js';
import { Commands, buildCommandMessage } from '../../electron/core/connection/commands.js';
import { DedupeWindow } from '../../electron/core/connection/dedupe.js';
import { isRecoverable, suggestedAction } from '../../electron/core/connection/errors.js';
import { TokenBucket } from '../../electron/core/connection/token-bucket.js';
import { runTokenCommand } from '../../electron/core/connection/token-command.js';
import { parseDuration } from '../../electron/core/args/index.js';
import { normaliseObject } from '../../electron/core/protocol/json.js';
import { ackMessage, compareVersions, featuresOf, selectVersion, versionNegotiateMessage } from '../../electron/core/protocol/session.js';

describe('backoff', () => {
  it('draws under an exponential ceiling capped at maxMs, never below minMs/2, and resets', () => {
    const draws = [1, 1, 1, 1, 1, 1, 1];
    const b = new Backoff(100, 1000, () => draws.shift() ?? 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    expect(b.attempts).toBe(5);
    b.reset();
    expect(b.next()).toBe(100);
    const low = new Backoff(100, 1000, () => 0);
    expect(low.next()).toBe(50);
  });

  it('spreads delays over the whole range (full jitter)', () => {
    const b = new Backoff(1000, 30_000);
    for (let i = 0; i < 10; i++) b.next();
    const xs = Array.from({ length: 400 }, () => b.next());
    expect(Math.max(...xs)).toBeLessThanOrEqual(30_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(500);
    // Full jitter: both halves of the range are used.
    expect(xs.some((x) => x < 10_000)).toBe(true);
    expect(xs.some((x) => x > 20_000)).toBe(true);
  });
});

describe('token bucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let t = 0;
    const b = new TokenBucket(2, 3, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.msUntilNext()).toBe(500);
    t = 499;
    expect(b.take()).toBe(false);
    t = 1000;
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
    t = 100_000;
    expect(b.available).toBe(3);
  });
});

describe('dedupe window', () => {
  it('drops an id seen within the window, forgets it after, and holds at most `size` ids', () => {
    const d = new DedupeWindow(3, 1000);
    expect(d.check('a', 0)).toBe(false);
    expect(d.check('a', 500)).toBe(true);
    expect(d.check('a', 1001)).toBe(false);
    for (const k of ['b', 'c', 'd']) d.check(k, 1100);
    expect(d.count).toBe(3);
    expect(d.check('a', 1200)).toBe(false); // evicted by size
  });
});

describe('token command', () => {
  const node = process.execPath;
  it('returns trimmed stdout', async () => {
    await expect(runTokenCommand({ command: node, args: ['-e', 'process.stdout.write("  tok-123\\n")'] })).resolves.toBe('tok-123');
  });
  it('runs without a shell: metacharacters are plain arguments', async () => {
    await expect(runTokenCommand({ command: node, args: ['-e', 'console.log(process.argv[1])', '$(id);rm&&`x`|y'] })).resolves.toBe('$(id);rm&&`x`|y');
  });
  it('says plainly why a token command failed', async () => {
    await expect(runTokenCommand({ command: node, args: ['-e', 'console.error("no creds"); process.exit(3)'] })).rejects.toThrow(/exited with code 3: no creds/);
    await expect(runTokenCommand({ command: '/nonexistent/token-helper' })).rejects.toThrow(/not found/);
    await expect(runTokenCommand({ command: node, args: ['-e', ''] })).rejects.toThrow(/printed no token/);
    await expect(runTokenCommand({ command: node, args: ['-e', 'console.log("a b")'] })).rejects.toThrow(/whitespace/);
    await expect(runTokenCommand({ command: node, args: ['-e', 'setTimeout(() => {}, 5000)'], timeoutMs: 200 })).rejects.toThrow(/timed out after 200 ms/);
  });
});

describe('durations', () => {
  it('accepts ms, s, m, h and refuses bare numbers and junk', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1h')).toBe(3_600_000);
    for (const bad of ['10', '', 's', '-1s', '10 sec', '1e3ms']) expect(parseDuration(bad)).toBeNull();
  });
});

describe('session messages', () => {
  it('negotiates versions: preferred when common, else the highest common, else null', () => {
    expect(selectVersion(['1.0', '1.1', '2.0'], '2.0', ['1.0', '1.1', '2.0'])).toBe('2.0');
    expect(selectVersion(['1.0', '1.1', '2.0'], '2.0', ['1.0', '1.1'])).toBe('1.1');
    expect(selectVersion(['1.0', '1.1', '2.0'], '2.0', ['3.0'])).toBeNull();
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect([...featuresOf('1.0')]).toEqual(['basic']);
    expect(featuresOf('1.1').has('binary')).toBe(true);
    expect(featuresOf('1.1').has('multiplexing')).toBe(false);
    expect(featuresOf('2.0').has('multiplexing')).toBe(true);
  });

  it('builds messages the normaliser accepts', () => {
    const v = normaliseObject(versionNegotiateMessage(['1.0', '1.1', '2.0']));
    expect(v).toMatchObject({ type: 'version.negotiate', payload: { supported: ['1.0', '1.1', '2.0'], preferred: '2.0' } });
    const ack = normaliseObject(ackMessage('msg-1', 'received', 'alerts', 4));
    expect(ack).toMatchObject({ origin: 'cp', type: 'ack', id: 'msg-1', payload: { messageId: 'msg-1', status: 'received', channel: 'alerts', sequence: 4 } });
    for (const req of [
      { kind: 'command' as const, command: 'restart', parameters: { delay_seconds: 1 }, agentId: 'agent-001' },
      { kind: 'execute' as const, targetAgent: 'agent-001', command: 'execute_tool' },
      { kind: 'configure' as const, multiAgentId: 'm-1', configuration: { topology: 'MESH' } },
    ]) {
      const ev = normaliseObject(buildCommandMessage(req, 'req-1', 5000));
      expect(ev.type).not.toBe('protocol.invalid_message');
      expect(ev.id).toBe('req-1');
    }
  });
});

describe('errors', () => {
  it("follows the seed's recoverable table unless the server says, and suggests an action", () => {
    expect(isRecoverable('INTERNAL_ERROR')).toBe(false);
    expect(isRecoverable('AUTH_FAILED')).toBe(true);
    expect(isRecoverable('INVALID_COMMAND')).toBe(true);
    expect(isRecoverable('AGENT_NOT_FOUND', false)).toBe(false);
    expect(suggestedAction('AGENT_NOT_FOUND')).toBe('verify_agent_id');
    expect(suggestedAction('AGENT_NOT_FOUND', 'ask_bob')).toBe('ask_bob');
  });
});

describe('commands without a server', () => {
  it('refuses locally past the token bucket with RATE_LIMIT_EXCEEDED, and times out unsent ones', async () => {
    const sent: unknown[] = [];
    const c = new Commands({ planeId: 'p', send: (m) => (sent.push(m), true), live: () => false }, { rateLimit: { perSecond: 1, burst: 2 }, defaultTimeoutMs: 50 });
    const a = c.submit({ kind: 'command', command: 'restart' });
    const b = c.submit({ kind: 'command', command: 'restart' });
    const refused = await c.submit({ kind: 'command', command: 'restart' });
    expect(refused).toMatchObject({ status: 'refused', code: 'RATE_LIMIT_EXCEEDED' });
    expect(await a).toMatchObject({ status: 'timeout', sent: false, timeoutMs: 50 });
    expect(await b).toMatchObject({ status: 'timeout', sent: false });
    expect(sent).toEqual([]);
    expect(c.size).toBe(0);
  });
});

describe('RateMeter', () => {
  it('measures over whole windows, so frequent sampling of a slow stream does not read 0', async () => {
    const { RateMeter } = await import('../../electron/core/connection/rates.js');
    const r = new RateMeter(1000);
    let count = 0;
    r.sample(count, 1000);
    // 20 messages per second, sampled every 50 ms.
    for (let t = 1050; t <= 3000; t += 50) {
      if (t % 100 === 0) count += 2; // 2 per 100 ms
      r.sample(count, t);
      if (t > 2000) expect(r.perSecond).toBeGreaterThan(15);
    }
    expect(r.perSecond).toBeCloseTo(20, 0);
  });
});
