// What `npm start` and `npm run start:web` share: parse --url/--token (and
// the simulator's options), and when no --url is given start the embedded
// simulator and connect to it, so a first launch shows something live.

import { byteSizeFlag, durationOrZeroFlag, FLAGS, intFlag, parseFlags, tlsFlags, tokenAt, tokenCommandFlag, TOKEN_ENV, urlTokens, UsageError, wsUrlFlag } from '../args/index.js';
import type { PlaneConfig } from '../connection/index.js';
import { REWIND_DEFAULT_BYTES, REWIND_DEFAULT_MS } from '../../../shared/index.js';
import { type DialectName, dialectOf, Simulator } from '../sim/index.js';
import { autoConnectProfiles, type ProfileStore, startupProfiles } from '../profiles/index.js';

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
  /** Program and its arguments (split on spaces) whose stdout is a fresh token, run again on AUTH_FAILED. */
  tokenCommand: { command: string; args: string[] } | undefined;
  /** The embedded simulator's dialect (sim/dialects.ts). */
  dialect: DialectName;
  /** Recordings to open as planes (--open FILE, repeatable); with no --url, no simulator starts. */
  open: string[];
  /** Saved profiles to connect (`--profile NAME`, repeatable), besides any --url. */
  profiles: string[];
  /** Browser mode serves source maps (`--dev`); without it they are not served. */
  dev: boolean;
  /** The flight recorder's window in ms (`--rewind`, default REWIND_DEFAULT_MS; 0: off). */
  rewindMs: number;
  /** Its disk budget across all planes (`--rewind-bytes`, default REWIND_DEFAULT_BYTES). */
  rewindBytes: number;
}

/**
 * Options shared by the app hosts (the `start` table of args/flags.ts);
 * unknown flags are a usage error, except with `lenient` (Electron, where
 * Chromium's own switches share argv). `--url` and `--token` may repeat: one
 * plane per URL.
 */
export function parseStartupArgs(argv: readonly string[], opts: { lenient?: boolean } = {}): StartupOptions {
  const { values } = parseFlags(FLAGS.start, argv, opts);
  const urls = values.url ?? [];
  for (const url of urls) wsUrlFlag(url);
  return {
    urls,
    tokens: urlTokens(urls, values.token),
    sims: intFlag('planes', values.planes, 1, 1),
    agents: intFlag('agents', values.agents, 200),
    rate: intFlag('rate', values.rate, 30, 1),
    port: intFlag('port', values.port, 0),
    host: values.host ?? '127.0.0.1',
    caFile: values.ca,
    insecure: values.insecure === true,
    tokenCommand: tokenCommandFlag(values['token-command']),
    dialect: dialectArg(values.dialect),
    open: values.open ?? [],
    profiles: values.profile ?? [],
    dev: values.dev === true,
    rewindMs: durationOrZeroFlag('rewind', values.rewind) ?? REWIND_DEFAULT_MS,
    rewindBytes: byteSizeFlag('rewind-bytes', values['rewind-bytes']) ?? REWIND_DEFAULT_BYTES,
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
      const plane: PlaneConfig = { id: `plane-${i + 1}`, label: wsUrlFlag(url), url, color: PLANE_COLORS[i % PLANE_COLORS.length]! };
      const token = tokenAt(o.tokens, i);
      if (token !== undefined) plane.token = token;
      if (o.tokenCommand) plane.tokenCommand = { command: o.tokenCommand.command, args: [...o.tokenCommand.args] };
      const tls = tlsFlags(o.caFile, o.insecure);
      if (tls) plane.tls = tls;
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

/** Start-up flags that choose the planes: any of them turns auto-connect off. */
const PLANE_FLAGS = ['url', 'profile', 'planes', 'agents', 'rate', 'dialect', 'open'] as const;

/**
 * What a host connects at launch, the desktop app and browser mode alike:
 * the --profile profiles and --url planes; with no plane flag at all, the
 * profiles marked auto-connect (on a first launch, the "Local simulator");
 * and the embedded simulator when nothing else gave a plane. An auto-connect
 * profile that cannot be resolved (its token unreadable here) is reported
 * through `warn` and skipped; a named --profile that cannot be is an error.
 */
export async function launchPlanes(argv: readonly string[], o: StartupOptions, store: ProfileStore | null, warn: (line: string) => void): Promise<Startup & { autoConnected: string[] }> {
  // Read leniently: Electron's argv carries Chromium's switches too (parseStartupArgs has refused bad flags already).
  const given = parseFlags(FLAGS.start, argv, { lenient: true }).values;
  const auto = o.profiles.length === 0 && store !== null && !PLANE_FLAGS.some((f) => given[f] !== undefined);
  if (!auto || store === null) return { ...(await resolveStartup(o, store)), autoConnected: [] };
  const names = autoConnectProfiles(store);
  // Auto-connect profiles are not named on the command line: SWARMDECK_TOKEN is not theirs (docs/SECURITY.md, trust boundaries).
  const { [TOKEN_ENV]: _token, ...env } = process.env;
  const fromProfiles = await startupProfiles(names, { store, env, onError: (name, e) => warn(`profile "${name}" not connected: ${e.message}`) });
  if (fromProfiles.planes.length > 0) return { ...fromProfiles, autoConnected: fromProfiles.planes.map((p) => p.label) };
  return { ...(await resolveStartup(o, store)), autoConnected: [] };
}
