// What `npm start` and `npm run start:web` share: parse --url/--token (and
// the simulator's options), and when no --url is given start the embedded
// simulator and connect to it, so a first launch shows something live.

import { parseArgs } from 'node:util';
import type { PlaneConfig } from '../connection/plane.js';
import { type DialectName, dialectOf } from '../sim/dialects.js';
import { Simulator } from '../sim/simulator.js';
import { autoConnectProfiles, startupProfiles } from '../profiles/resolve.js';
import type { ProfileStore } from '../profiles/store.js';

export const PLANE_COLORS = [0x4cc9f0, 0xf72585, 0x90be6d, 0xf9c74f, 0x9d4edd, 0xf8961e, 0x43aa8b, 0xe5e5e5];

export interface StartupOptions {
  /** Control planes to connect to; none: the embedded simulator(s). */
  urls: string[];
  /** Bearer tokens, paired with `urls` by position; one token alone applies to every URL. */
  tokens: string[];
  /** Embedded simulators to start when no URL is given (each is its own plane). */
  sims: number;
  agents: number;
  rate: number;
  port: number;
  host: string;
  /** A PEM CA file trusted for wss:// (every --url). */
  caFile: string | undefined;
  /** Skip TLS verification: only by this explicit flag, and flagged in the UI. */
  insecure: boolean;
  /** Program (and its arguments, split on spaces) whose stdout is a fresh token, run again on AUTH_FAILED. */
  tokenCommand: string[] | undefined;
  /** The embedded simulator's dialect (sim/dialects.ts). */
  dialect: DialectName;
  /** Recordings to open as planes (--open FILE, repeatable); with no --url, no simulator starts. */
  open: string[];
  /** Saved profiles to connect (`--profile NAME`, repeatable), besides any --url. */
  profiles: string[];
  /** Browser mode serves source maps (`--dev`); without it they are not served. */
  dev: boolean;
}

export class UsageError extends Error {}

/**
 * The warning to print when `--token` is given on a command line (every
 * local user can read it with `ps`), or null. One place for every command.
 */
export function tokenArgWarning(argv: readonly string[]): string | null {
  if (!argv.some((a) => a === '--token' || a.startsWith('--token='))) return null;
  return 'swarmdeck: warning: --token on the command line is readable by every local user (ps, /proc/PID/cmdline); set SWARMDECK_TOKEN in the environment or use a saved profile (--profile NAME) instead';
}

function positiveInt(name: string, v: string | undefined, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

/**
 * Options shared by the app hosts; unknown flags are a usage error, except
 * with `lenient` (Electron, where Chromium's own switches share argv).
 * `--url` and `--token` may repeat: one plane per URL.
 */
export function parseStartupArgs(argv: readonly string[], opts: { lenient?: boolean } = {}): StartupOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string', multiple: true },
      token: { type: 'string', multiple: true },
      planes: { type: 'string' },
      agents: { type: 'string' },
      rate: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      ca: { type: 'string' },
      insecure: { type: 'boolean' },
      'token-command': { type: 'string' },
      dialect: { type: 'string' },
      open: { type: 'string', multiple: true },
      profile: { type: 'string', multiple: true },
      dev: { type: 'boolean' },
    },
    strict: !opts.lenient,
    allowPositionals: !!opts.lenient,
  });
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const urls = list(values.url);
  for (const url of urls) {
    if (!/^wss?:\/\/[^/]+/i.test(url)) throw new UsageError(`--url must be a ws:// or wss:// URL, got "${url}"`);
  }
  const tokens = list(values.token);
  if (tokens.length === 0 && process.env.SWARMDECK_TOKEN) tokens.push(process.env.SWARMDECK_TOKEN);
  if (tokens.length > 1 && tokens.length !== urls.length) {
    throw new UsageError(`${tokens.length} tokens for ${urls.length} URLs: give one token for all, or one per --url in the same order`);
  }
  return {
    urls,
    tokens,
    sims: positiveInt('planes', str(values.planes), 1, 1),
    agents: positiveInt('agents', str(values.agents), 200),
    rate: positiveInt('rate', str(values.rate), 30, 1),
    port: positiveInt('port', str(values.port), 0),
    host: str(values.host) ?? '127.0.0.1',
    caFile: str(values.ca),
    insecure: values.insecure === true,
    tokenCommand: tokenCommandOf(str(values['token-command'])),
    dialect: dialectArg(str(values.dialect)),
    open: list(values.open),
    profiles: list(values.profile),
    dev: values.dev === true,
  };
}

function dialectArg(v: string | undefined): DialectName {
  if (v === undefined) return 'strict';
  try {
    return dialectOf(v).name;
  } catch (e) {
    throw new UsageError(`--dialect: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function tokenCommandOf(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) throw new UsageError('--token-command needs a program');
  return parts;
}

export interface Startup {
  planes: PlaneConfig[];
  /** The embedded simulators started (none when URLs were given). */
  simulators: Simulator[];
}

/** Starts the embedded simulator(s) when no --url was given; returns the planes to connect. */
export async function resolveStartup(o: StartupOptions, store: ProfileStore | null = null): Promise<Startup> {
  if (o.profiles.length > 0) {
    // --profile reads the host's store when it has one open, else the default one.
    const fromProfiles = await startupProfiles(o.profiles, store ? { store } : {});
    const fromUrls = await resolveStartup({ ...o, profiles: [], sims: 0 });
    return { planes: [...fromProfiles.planes, ...fromUrls.planes], simulators: fromProfiles.simulators };
  }
  if (o.urls.length > 0 || o.open.length > 0) {
    const planes = o.urls.map((url, i): PlaneConfig => {
      const plane: PlaneConfig = { id: `plane-${i + 1}`, label: new URL(url).host, url, color: PLANE_COLORS[i % PLANE_COLORS.length]! };
      const token = o.tokens.length === 1 ? o.tokens[0] : o.tokens[i];
      if (token !== undefined) plane.token = token;
      if (o.tokenCommand) plane.tokenCommand = { command: o.tokenCommand[0]!, args: o.tokenCommand.slice(1) };
      if (o.caFile !== undefined || o.insecure) {
        plane.tls = {};
        if (o.caFile !== undefined) plane.tls.caFile = o.caFile;
        if (o.insecure) plane.tls.insecureSkipVerify = true;
      }
      return plane;
    });
    return { planes, simulators: [] };
  }
  const simulators: Simulator[] = [];
  const planes: PlaneConfig[] = [];
  for (let i = 0; i < o.sims; i++) {
    // Distinct seeds: each simulated plane is its own swarm.
    const sim = new Simulator({ agents: o.agents, rate: o.rate, seed: i + 1, dialect: o.dialect });
    await sim.start();
    simulators.push(sim);
    planes.push({
      id: o.sims === 1 ? 'sim' : `sim-${i + 1}`,
      label: o.sims === 1 ? 'Embedded simulator' : `Simulator ${i + 1}`,
      url: sim.url,
      color: PLANE_COLORS[i % PLANE_COLORS.length]!,
    });
  }
  return { planes, simulators };
}

/** Start-up options that choose the planes: any of them turns auto-connect off. */
const PLANE_FLAG = /^--(url|profile|planes|agents|rate|dialect|open)(=|$)/;

/**
 * What a host connects at launch, the desktop app and browser mode alike:
 * the --profile profiles and --url planes; with no plane flag at all, the
 * profiles marked auto-connect (on a first launch, the "Local simulator");
 * and the embedded simulator when nothing else gave a plane. An auto-connect
 * profile that cannot be resolved (its token unreadable here) is reported
 * through `warn` and skipped; a named --profile that cannot be is an error.
 */
export async function launchPlanes(argv: readonly string[], o: StartupOptions, store: ProfileStore | null, warn: (line: string) => void): Promise<Startup & { autoConnected: string[] }> {
  const auto = o.profiles.length === 0 && store !== null && !argv.some((a) => PLANE_FLAG.test(a));
  if (!auto || store === null) return { ...(await resolveStartup(o, store)), autoConnected: [] };
  const names = autoConnectProfiles(store);
  const fromProfiles = await startupProfiles(names, { store, onError: (name, e) => warn(`profile "${name}" not connected: ${e.message}`) });
  if (fromProfiles.planes.length > 0) return { ...fromProfiles, autoConnected: fromProfiles.planes.map((p) => p.label) };
  return { ...(await resolveStartup(o, store)), autoConnected: [] };
}
