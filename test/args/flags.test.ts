// The command line, one way for every verb (electron/core/args): every flag
// README.md "Commands" documents is in its verb's table and parses as named;
// repeatable flags collect; bad input (an unknown flag, a missing value, a
// stray operand, a bad duration, URL, count or token pairing) is a
// UsageError naming the flag; and each verb's entry reads its argv through it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FLAGS,
  UsageError,
  durationFlag,
  formatDuration,
  intFlag,
  parseDuration,
  parseFlags,
  tlsFlags,
  tokenArgWarning,
  tokenAt,
  tokenCommandFlag,
  urlTokens,
  wsUrlFlag,
  type VerbName,
} from '../../electron/core/args/index.js';
import { parseStartupArgs } from '../../electron/core/app/startup.js';
import { runDecode } from '../../electron/core/cli/decode.js';
import { runCommand, runTail } from '../../electron/core/cli/headless.js';
import { runInfo } from '../../electron/core/cli/info.js';
import { runProbe } from '../../electron/core/cli/probe.js';
import { runProfiles } from '../../electron/core/cli/profiles.js';
import { runRecord } from '../../electron/core/cli/record.js';
import { startSim } from '../../electron/core/cli/sim.js';
import { runTailRecording } from '../../electron/core/cli/tail-recording.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The verb a code span of README's Commands table runs, or null (npm test, bench, ...); "same" continues the span before. */
function verbOf(span: string): VerbName | 'same' | null {
  if (span.startsWith('--')) return 'same';
  const sub = /swarmdeck -- (\w+)(?: (\w+))?/.exec(span) ?? /^(profiles) (\w+)/.exec(span);
  if (sub) {
    const [, verb, next] = sub;
    if (verb === 'tail') return span.includes('--recording') ? 'tailRecording' : 'tail';
    if (verb === 'profiles') return `profiles${next![0]!.toUpperCase()}${next!.slice(1)}` as VerbName;
    return verb as VerbName;
  }
  if (/^(SWARMDECK_\w+=\S+ )?npm run sim\b/.test(span)) return 'sim';
  if (/^(npm start|npm run start:web|\.\.\. --)/.test(span)) return 'start';
  return null;
}

/** [verb, flag] for every flag a code span of README's "Commands" table names. */
function documentedFlags(): [VerbName, string][] {
  const md = readFileSync(README, 'utf8');
  const section = /## Commands\n([\s\S]*?)\n## /.exec(md)![1]!;
  const pairs: [VerbName, string][] = [];
  for (const row of section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
    let verb: VerbName | null = null;
    for (const [, span] of row.matchAll(/`([^`]+)`/g)) {
      const v = verbOf(span!);
      if (v !== 'same') verb = v;
      if (verb === null) continue;
      // Flags outside quoted arguments ("vault read -field=token ..." is one value).
      for (const [flag] of span!.replace(/"[^"]*"/g, '').matchAll(/(?<![\w-])--[a-z][a-z-]*/g)) pairs.push([verb, flag!.slice(2)]);
    }
  }
  return pairs;
}

describe('the flag tables', () => {
  const documented = documentedFlags();

  it('hold every flag README.md "Commands" documents, under its verb', () => {
    // The reading of README itself: enough rows found that a change to its layout cannot pass silently.
    expect(documented.length).toBeGreaterThan(35);
    expect(new Set(documented.map(([v]) => v))).toEqual(new Set(['start', 'sim', 'tail', 'probe', 'record', 'tailRecording', 'info', 'profilesAdd']));
    const missing = documented.filter(([verb, flag]) => !Object.hasOwn(FLAGS[verb].options, flag));
    expect(missing).toEqual([]);
  });

  it('hold what the README says in words: --profile on start, tail, command and probe; --dialect on sim', () => {
    for (const verb of ['start', 'tail', 'command', 'probe', 'record'] as const) expect(Object.keys(FLAGS[verb].options)).toContain('profile');
    expect(Object.keys(FLAGS.sim.options)).toContain('dialect');
  });

  it('parse each documented flag as named, with a value where it takes one', () => {
    for (const [verb, flag] of documented) {
      const spec = FLAGS[verb].options[flag as keyof (typeof FLAGS)[typeof verb]['options']] as { type: 'string' | 'boolean' };
      const argv = spec.type === 'boolean' ? [`--${flag}`] : [`--${flag}`, 'v'];
      const { values } = parseFlags(FLAGS[verb], argv);
      expect(values[flag as keyof typeof values], `${verb} --${flag}`).toEqual(spec.type === 'boolean' ? true : FLAGS[verb].options[flag as never]['multiple'] ? ['v'] : 'v');
    }
  });

  it('collect repeatable flags (--url, --token, --profile, --open) in order', () => {
    const { values } = parseFlags(FLAGS.start, ['--url', 'ws://a:1', '--token', 'ta', '--url', 'ws://b:2', '--token=tb', '--profile', 'P', '--profile', 'Q', '--open', 'x.mcap', '--open', 'y.mcap']);
    expect(values).toMatchObject({ url: ['ws://a:1', 'ws://b:2'], token: ['ta', 'tb'], profile: ['P', 'Q'], open: ['x.mcap', 'y.mcap'] });
    const rec = parseFlags(FLAGS.record, ['--url', 'ws://a:1', '--url', 'ws://b:2', '--profile', 'P', '--profile', 'Q', '--out', 'f']);
    expect(rec.values).toMatchObject({ url: ['ws://a:1', 'ws://b:2'], profile: ['P', 'Q'] });
    expect(parseFlags(FLAGS.sim, ['--fault', 'silence', '--fault', 'delay=1s']).values.fault).toEqual(['silence', 'delay=1s']);
    expect(parseFlags(FLAGS.profilesAdd, ['N', '--tag', 'a', '--tag', 'b']).values.tag).toEqual(['a', 'b']);
  });
});

describe('bad input is a UsageError naming what is wrong', () => {
  const usage = (f: () => unknown): UsageError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return e as UsageError;
    }
    throw new Error('no error thrown');
  };

  it('an unknown flag, named as typed, with the verb and the flags it takes', () => {
    const e = usage(() => parseFlags(FLAGS.tail, ['--url', 'ws://a:1', '--frobnicate', 'x']));
    expect(e.message).toBe("Unknown option '--frobnicate' for tail (it takes --url, --token, --token-command, --ca, --insecure, --profile, --for, --endpoints, --frames)");
    expect(usage(() => parseFlags(FLAGS.record, ['-x'])).message).toMatch(/^Unknown option '-x' for record \(it takes --url, /);
    expect(usage(() => parseFlags(FLAGS.profilesShow, ['--json'])).message).toBe("Unknown option '--json' for profiles show (it takes no flags)");
    // A near miss of a real flag is not taken for it.
    expect(usage(() => parseFlags(FLAGS.start, ['--urls', 'ws://a:1'])).message).toMatch(/'--urls' for start/);
  });

  it('a missing value, a value given to a switch, a flag where a value belongs', () => {
    expect(usage(() => parseFlags(FLAGS.tail, ['--url'])).message).toMatch(/--url.*argument missing/);
    expect(usage(() => parseFlags(FLAGS.probe, ['--json=yes'])).message).toMatch(/'--json' does not take an argument/);
    expect(usage(() => parseFlags(FLAGS.command, ['--agent', '--command', 'x'])).message).toMatch(/'--agent' argument is ambiguous/);
  });

  it('an operand to a verb that takes flags only; operands where a verb takes them', () => {
    expect(usage(() => parseFlags(FLAGS.tail, ['--url', 'ws://a:1', 'stray'])).message).toBe("Unexpected argument 'stray': tail takes flags only");
    expect(usage(() => parseFlags(FLAGS.profilesList, ['extra'])).message).toMatch(/'extra': profiles list/);
    expect(parseFlags(FLAGS.info, ['rec.mcap', '--json']).positionals).toEqual(['rec.mcap']);
    expect(parseFlags(FLAGS.profilesExport, ['A', 'B', '--out', 'f']).positionals).toEqual(['A', 'B']);
  });

  it('counts: integers at or above their minimum', () => {
    expect(intFlag('agents', undefined, 200)).toBe(200);
    expect(intFlag('agents', '0', 200)).toBe(0);
    for (const bad of ['', ' ', '1.5', '-1', 'ten', '1e400']) expect(usage(() => intFlag('agents', bad, 200)).message).toBe(`--agents must be an integer >= 0, got "${bad}"`);
    expect(usage(() => intFlag('rate', '0', 30, 1)).message).toBe('--rate must be an integer >= 1, got "0"');
  });

  it('durations: a number with a unit, positive', () => {
    expect([parseDuration('500ms'), parseDuration('10s'), parseDuration('2m'), parseDuration('1.5s'), parseDuration('1h'), parseDuration(' 3 S ')]).toEqual([500, 10_000, 120_000, 1500, 3_600_000, 3000]);
    for (const bad of ['10', '', 's', '-1s', '10 sec', '1e3ms', '1.s']) expect(parseDuration(bad), bad).toBeNull();
    expect([formatDuration(500), formatDuration(10_000), formatDuration(120_000), formatDuration(7_200_000), formatDuration(-3000), formatDuration(0)]).toEqual(['500ms', '10s', '2m', '2h', '-3s', '0ms']);
    expect(durationFlag('for', undefined)).toBeUndefined();
    expect(durationFlag('for', '1.5s')).toBe(1500);
    expect(usage(() => durationFlag('for', '10')).message).toBe('--for must be a positive duration like 500ms, 10s or 2m, got "10"');
    expect(usage(() => durationFlag('timeout', '0s')).message).toMatch(/^--timeout must be a positive duration/);
  });

  it('plane URLs: ws:// or wss:// with a host', () => {
    expect(wsUrlFlag('wss://h.example:8443/x')).toBe('h.example:8443');
    expect(wsUrlFlag('WS://h:1')).toBe('h:1');
    for (const bad of ['http://h:1', 'ws://', 'h:1', 'not a url', '']) expect(usage(() => wsUrlFlag(bad)).message).toBe(`--url must be a ws:// or wss:// URL, got "${bad}"`);
  });

  it('tokens: one for every URL, one per URL in order, else the environment', () => {
    expect(urlTokens(['a', 'b'], ['t'], {})).toEqual(['t']);
    expect([tokenAt(['t'], 0), tokenAt(['t'], 1)]).toEqual(['t', 't']);
    expect([tokenAt(['ta', 'tb'], 0), tokenAt(['ta', 'tb'], 1), tokenAt([], 0)]).toEqual(['ta', 'tb', undefined]);
    expect(urlTokens(['a'], undefined, { SWARMDECK_TOKEN: 'env' })).toEqual(['env']);
    expect(urlTokens(['a'], ['flag'], { SWARMDECK_TOKEN: 'env' })).toEqual(['flag']);
    expect(urlTokens(['a'], undefined, { SWARMDECK_TOKEN: '' })).toEqual([]);
    expect(usage(() => urlTokens(['a', 'b'], ['x', 'y', 'z'], {})).message).toBe('3 tokens for 2 URLs: give one token for all, or one per --url in the same order');
  });

  it('a token command: a program and its arguments, no shell', () => {
    expect(tokenCommandFlag(undefined)).toBeUndefined();
    expect(tokenCommandFlag('  vault  read -field=token  secret/p ')).toEqual({ command: 'vault', args: ['read', '-field=token', 'secret/p'] });
    expect(usage(() => tokenCommandFlag('   ')).message).toBe('--token-command needs a program');
  });

  it('TLS flags, and the --token warning', () => {
    expect(tlsFlags(undefined, undefined)).toBeUndefined();
    expect(tlsFlags('ca.pem', false)).toEqual({ caFile: 'ca.pem' });
    expect(tlsFlags(undefined, true)).toEqual({ insecureSkipVerify: true });
    expect(tokenArgWarning(['--url', 'ws://a:1'])).toBeNull();
    expect(tokenArgWarning(['--token=x'])).toMatch(/readable by every local user.*SWARMDECK_TOKEN/);
  });

  it('lenient (Electron): Chromium switches and the app path are ignored, the table flags kept with their types', () => {
    const { values } = parseFlags(FLAGS.start, ['--no-sandbox', '.', '--url', 'ws://a:1', '--enable-logging=stderr', '--insecure', '--planes'], { lenient: true });
    expect(values).toEqual({ url: ['ws://a:1'], insecure: true });
  });
});

describe('every verb reads its argv through the tables', () => {
  const unknown = /^Unknown option '--frobnicate' for /;
  it.each([
    ['start', () => parseStartupArgs(['--frobnicate'])],
    ['sim', () => startSim(['--frobnicate'])],
    ['tail', () => runTail(['--frobnicate'], () => undefined)],
    ['tail --recording', () => runTailRecording(['--recording', 'x.mcap', '--frobnicate'], () => undefined)],
    ['command', () => runCommand(['--frobnicate'], () => undefined)],
    ['probe', () => runProbe(['--frobnicate'], () => undefined)],
    ['record', () => runRecord(['--frobnicate'], () => undefined, () => undefined)],
    ['info', () => runInfo(['--frobnicate'], () => undefined)],
    ['profiles list', () => runProfiles(['list', '--frobnicate'])],
    ['profiles add', () => runProfiles(['add', 'N', '--frobnicate'])],
  ])('%s refuses an unknown flag by name', async (verb, run) => {
    const e = await (async () => run())().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(unknown);
    expect((e as Error).message).toContain(` for ${verb} (`);
  });

  it('decode answers a bad flag as its one JSON usage line, exit 2', async () => {
    const lines: string[] = [];
    expect(await runDecode(['f.bin', '--frobnicate'], (l) => lines.push(l))).toBe(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ usageError: "Unknown option '--frobnicate' for decode (it takes --compression, --max-inflated, --hex)" });
  });
});
