import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/core/args/index.js';
import { parseStartupArgs, resolveStartup } from '../../electron/core/app/startup.js';

describe('start-up options (npm start / npm run start:web)', () => {
  it('maps several --url with tokens in order, and the TLS and token-command flags, onto plane profiles', async () => {
    const o = parseStartupArgs(['--url', 'wss://a.example:443', '--token', 'ta', '--url', 'ws://b:9', '--token', 'tb', '--insecure', '--ca', '/etc/ca.pem', '--token-command', 'get-token --plane x']);
    const { planes, simulators } = await resolveStartup(o);
    expect(simulators).toEqual([]);
    expect(planes.map((p) => [p.id, p.url, p.token])).toEqual([
      ['plane-1', 'wss://a.example:443', 'ta'],
      ['plane-2', 'ws://b:9', 'tb'],
    ]);
    expect(planes[0]!.tls).toEqual({ caFile: '/etc/ca.pem', insecureSkipVerify: true });
    expect(planes[1]!.tokenCommand).toEqual({ command: 'get-token', args: ['--plane', 'x'] });
    expect(new Set(planes.map((p) => p.color)).size).toBe(2);
  });

  it('one token applies to every URL', async () => {
    const { planes } = await resolveStartup(parseStartupArgs(['--url', 'ws://a:1', '--url', 'ws://b:2', '--token', 't']));
    expect(planes.map((p) => p.token)).toEqual(['t', 't']);
  });

  it.each([
    [['--url', 'http://x'], /ws:\/\/ or wss:\/\//],
    [['--url', 'ws://a:1', '--url', 'ws://b:2', '--token', 'x', '--token', 'y', '--token', 'z'], /3 tokens for 2 URLs/],
    [['--agents=-4'], /--agents must be an integer >= 0/],
    [['--rate', '0'], /--rate must be an integer >= 1/],
    [['--token-command', '  '], /needs a program/],
  ])('refuses %j with a clear message', (args, message) => {
    expect(() => parseStartupArgs(args)).toThrow(UsageError);
    expect(() => parseStartupArgs(args)).toThrow(message);
  });

  it('refuses an unknown flag outside Electron, and ignores Chromium switches inside it', () => {
    expect(() => parseStartupArgs(['--frobnicate'])).toThrow(/Unknown option/);
    expect(parseStartupArgs(['--no-sandbox', '--url', 'ws://a:1', '.'], { lenient: true }).urls).toEqual(['ws://a:1']);
  });

  it('--dev (serve source maps in browser mode) is a switch of the start table, off unless given', () => {
    expect(parseStartupArgs([]).dev).toBe(false);
    expect(parseStartupArgs(['--dev']).dev).toBe(true);
    expect(() => parseStartupArgs(['--dev=yes'])).toThrow(UsageError);
  });

  it('--rewind (default 15m, 0 off) and --rewind-bytes (default 2 GiB) set the flight recorder', () => {
    expect(parseStartupArgs([]).rewindMs).toBe(15 * 60_000);
    expect(parseStartupArgs([]).rewindBytes).toBe(2 * 1024 ** 3);
    expect(parseStartupArgs(['--rewind', '0']).rewindMs).toBe(0);
    expect(parseStartupArgs(['--rewind', '90s', '--rewind-bytes', '500MB'])).toMatchObject({ rewindMs: 90_000, rewindBytes: 500_000_000 });
    expect(() => parseStartupArgs(['--rewind', 'soon'])).toThrow(UsageError);
    expect(() => parseStartupArgs(['--rewind-bytes', '0'])).toThrow(UsageError);
  });
});
