// Reading a command line: node:util parseArgs over the verb's table
// (flags.ts), and the checks every verb shares for the values that mean the
// same thing everywhere (a plane URL, its tokens, a token command, TLS, a
// duration, a count). Every refusal is a UsageError (exit 2) naming the flag.

import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { parseDuration } from './duration.js';
import { parseByteSize } from './bytes.js';
import type { VerbFlags } from './flags.js';

/** Bad command-line input: the CLI prints the message and the verb's usage, and exits 2. */
export class UsageError extends Error {}

/** The environment variable that carries a bearer token, kept out of `ps` (unlike --token). */
export const TOKEN_ENV = 'SWARMDECK_TOKEN';

/** What parseArgs gives for a table: each flag typed (string, boolean, or a list when it repeats). */
export type ParsedFlags<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;

/**
 * `argv` read against the verb's table. An unknown flag, a missing value, a
 * value given to a switch, or an operand the verb does not take is a
 * UsageError naming it. `lenient` (Electron, where Chromium's own switches
 * and the app path share argv) keeps only the table's flags with values of
 * the right type and ignores the rest.
 */
export function parseFlags<F extends VerbFlags>(flags: F, argv: readonly string[], opts: { lenient?: boolean } = {}): ParsedFlags<F['options']> {
  if (opts.lenient) return lenientFlags(flags, argv);
  let parsed: ParsedFlags<F['options']>;
  try {
    parsed = parseArgs({ args: [...argv], options: flags.options as F['options'], strict: true, allowPositionals: true });
  } catch (e) {
    throw usageErrorOf(flags, argv, e);
  }
  if (!flags.positionals && parsed.positionals.length > 0) throw new UsageError(`Unexpected argument '${parsed.positionals[0]}': ${flags.verb} takes flags only`);
  return parsed;
}

/** The flags a verb knows, for messages: "--url, --token, --for". */
export function flagList(flags: VerbFlags): string {
  return Object.keys(flags.options).map((n) => `--${n}`).join(', ');
}

function usageErrorOf(flags: VerbFlags, argv: readonly string[], e: unknown): Error {
  if (!(e instanceof Error) || !('code' in e) || typeof e.code !== 'string' || !e.code.startsWith('ERR_PARSE_ARGS')) return e instanceof Error ? e : new Error(String(e));
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // Named from the tokens, not from Node's wording: the flag exactly as typed.
    const { tokens } = parseArgs({ args: [...argv], options: flags.options, strict: false, allowPositionals: true, tokens: true });
    const unknown = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(flags.options, t.name));
    const name = unknown?.kind === 'option' ? unknown.rawName : '?';
    return new UsageError(`Unknown option '${name}' for ${flags.verb} (it takes ${flagList(flags) || 'no flags'})`);
  }
  // Missing value, a value given to a switch, a value that looks like a flag: Node's message names the flag.
  return new UsageError(e.message);
}

function lenientFlags<F extends VerbFlags>(flags: F, argv: readonly string[]): ParsedFlags<F['options']> {
  const { values } = parseArgs({ args: [...argv], options: flags.options, strict: false, allowPositionals: true });
  const kept: Record<string, string | boolean | (string | boolean)[]> = {};
  for (const [name, spec] of Object.entries(flags.options)) {
    const v: unknown = values[name];
    if (spec.multiple) {
      const list = Array.isArray(v) ? v.filter((x): x is string | boolean => typeof x === spec.type) : [];
      if (list.length > 0) kept[name] = list;
    } else if (typeof v === spec.type) kept[name] = v as string | boolean;
  }
  // Each kept value has its table type, checked just above.
  return { values: kept, positionals: [] } as unknown as ParsedFlags<F['options']>;
}

/** An integer flag of at least `min`; `dflt` when absent. */
export function intFlag(name: string, v: string | undefined, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

/** A positive duration flag ("500ms", "10s", "2m", "1h") in milliseconds; undefined when absent. */
export function durationFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms === null || ms <= 0) throw new UsageError(`--${name} must be a positive duration like 500ms, 10s or 2m, got "${v}"`);
  return ms;
}

/** A duration flag that also takes 0 (a bare "0": off), e.g. --rewind. */
export function durationOrZeroFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\s*0+(\.0+)?\s*$/.test(v)) return 0;
  const ms = parseDuration(v);
  if (ms === null) throw new UsageError(`--${name} must be a duration like 30s, 15m or 1h, or 0 (off), got "${v}"`);
  return ms;
}

/** A positive byte size flag: 2GiB, 500MB, 65536. */
export function byteSizeFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseByteSize(v);
  if (n === null || n <= 0) throw new UsageError(`--${name} must be a size like 2GiB, 500MB or a number of bytes, got "${v}"`);
  return n;
}

/** A control plane's URL: ws:// or wss:// with a host. Returns the host (a plane's default label). */
export function wsUrlFlag(url: string): string {
  try {
    const u = new URL(url);
    if ((u.protocol === 'ws:' || u.protocol === 'wss:') && u.host !== '') return u.host;
  } catch {
    // refused below
  }
  throw new UsageError(`--url must be a ws:// or wss:// URL, got "${url}"`);
}

/** `--token-command "CMD ARGS"`: the program and its arguments, split on spaces (no shell). */
export function tokenCommandFlag(v: string | undefined): { command: string; args: string[] } | undefined {
  if (v === undefined) return undefined;
  const [command, ...args] = v.trim().split(/\s+/).filter(Boolean);
  if (command === undefined) throw new UsageError('--token-command needs a program');
  return { command, args };
}

/** The token from the environment, if set and not empty. */
export function envToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[TOKEN_ENV] || undefined;
}

/**
 * The tokens for repeated --url flags: the --token flags (one for every URL,
 * or one per URL in the same order), else the environment's. Pick a URL's
 * with `tokenAt`.
 */
export function urlTokens(urls: readonly string[], tokens: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const list = [...(tokens ?? [])];
  const fromEnv = envToken(env);
  if (list.length === 0 && fromEnv !== undefined) list.push(fromEnv);
  if (list.length > 1 && list.length !== urls.length) {
    throw new UsageError(`${list.length} tokens for ${urls.length} URLs: give one token for all, or one per --url in the same order`);
  }
  return list;
}

/** The token of the `i`th --url: the only one, or its own. */
export function tokenAt(tokens: readonly string[], i: number): string | undefined {
  return tokens.length === 1 ? tokens[0] : tokens[i];
}

/** `--ca FILE` / `--insecure` as a plane's TLS settings; undefined when neither is given. */
export function tlsFlags(ca: string | undefined, insecure: boolean | undefined): { caFile?: string; insecureSkipVerify?: true } | undefined {
  if (ca === undefined && !insecure) return undefined;
  return { ...(ca !== undefined ? { caFile: ca } : {}), ...(insecure ? { insecureSkipVerify: true as const } : {}) };
}

/**
 * The warning to print when `--token` is given on a command line (every
 * local user can read it with `ps`), or null. One place for every command.
 */
export function tokenArgWarning(argv: readonly string[]): string | null {
  if (!argv.some((a) => a === '--token' || a.startsWith('--token='))) return null;
  return `swarmdeck: warning: --token on the command line is readable by every local user (ps, /proc/PID/cmdline); set ${TOKEN_ENV} in the environment or use a saved profile (--profile NAME) instead`;
}
