// From a saved profile to what the connection engine takes: `--profile NAME`
// for start, start:web, tail, command (and probe). The token comes from the
// profile's secret store, else SWARMDECK_TOKEN; a token command is passed on
// as such. A simulator profile has no URL: the host starts its simulator.

import { TOKEN_ENV } from '../args/index.js';
import type { PlaneConfig } from '../connection/index.js';
import { ENDPOINTS, type EndpointName } from '../protocol/index.js';
import { type Profile, SUPPORTED_VERSIONS } from '../../../shared/index.js';
import { Simulator } from '../sim/index.js';
import { defaultConfigDir } from './paths.js';
import { KeychainSecretBackend } from './secrets.js';
import { ProfileError, ProfileStore } from './store.js';


/** The store browser mode and the CLI use: the config directory and the OS keychain. */
export function openDefaultProfileStore(env: NodeJS.ProcessEnv = process.env): Promise<ProfileStore> {
  return ProfileStore.open({ dir: defaultConfigDir(env), secrets: new KeychainSecretBackend() });
}

export function colorNumber(hex: string): number {
  return Number.parseInt(hex.slice(1), 16);
}

/** A profile's connection settings (not its token) as PlaneConfig fields. */
export function planeFields(p: Profile, url: string): PlaneConfig {
  const c: PlaneConfig = { id: p.id, label: p.name, url, color: colorNumber(p.color) };
  if (p.endpoints) {
    const e: NonNullable<PlaneConfig['endpoints']> = {};
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      const v = p.endpoints[name];
      if (v !== undefined) e[name] = v;
    }
    c.endpoints = e;
  }
  if (p.auth.type === 'command') c.tokenCommand = { command: p.auth.command, args: [...p.auth.args] };
  if (p.tls && (p.tls.caFile !== undefined || p.tls.insecureSkipVerify)) {
    c.tls = { ...(p.tls.caFile !== undefined ? { caFile: p.tls.caFile } : {}), ...(p.tls.insecureSkipVerify ? { insecureSkipVerify: true } : {}) };
  }
  // The engine prefers the highest version offered: offer up to the preferred one.
  if (p.protocolVersion) c.protocolVersions = SUPPORTED_VERSIONS.filter((v) => Number(v) <= Number(p.protocolVersion));
  if (p.compression === 'none') c.compression = false;
  else if (p.compression !== 'auto') c.compression = { algorithms: [p.compression] };
  const t = p.timing;
  if (t?.heartbeatTimeoutMs !== undefined) c.agentTimeoutMs = t.heartbeatTimeoutMs;
  if (t?.handshakeTimeoutMs !== undefined) c.handshakeTimeoutMs = t.handshakeTimeoutMs;
  if (t?.backoffMinMs !== undefined || t?.backoffMaxMs !== undefined) {
    c.backoff = { ...(t.backoffMinMs !== undefined ? { minMs: t.backoffMinMs } : {}), ...(t.backoffMaxMs !== undefined ? { maxMs: t.backoffMaxMs } : {}) };
  }
  return c;
}

/**
 * The token to connect with: the stored one, else SWARMDECK_TOKEN. A store
 * that cannot be read is an error only when SWARMDECK_TOKEN is not there to
 * stand in; the message never holds a token.
 */
export async function profileToken(store: ProfileStore, p: Profile, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const fromEnv = env[TOKEN_ENV] || undefined;
  if (p.auth.type !== 'token') return p.auth.type === 'none' ? fromEnv : undefined;
  try {
    const t = await store.token(p.id);
    if (t !== null) return t;
    if (fromEnv) return fromEnv;
    throw new ProfileError(`profile "${p.name}" has no token in ${p.auth.store}; set ${TOKEN_ENV} or save one (profiles add ... --token-stdin)`);
  } catch (e) {
    if (fromEnv) return fromEnv;
    throw e;
  }
}

/** The saved profile `name`, or an error listing what there is. */
export function findProfile(store: ProfileStore, name: string): Profile {
  const p = store.get(name);
  if (p) return p;
  const names = store.list().map((x) => `"${x.name}"`);
  throw new ProfileError(`no profile "${name}"${names.length ? `; saved profiles: ${names.join(', ')}` : ''} (npm run -s swarmdeck -- profiles list)`);
}

/**
 * `tail --profile NAME`, `command --profile NAME` (and `probe`): the profile
 * as a PlaneConfig, with only `endpoints` connected. Remote profiles only: a
 * simulator profile runs inside the app.
 */
export async function cliPlaneConfig(name: string, endpoints: readonly EndpointName[], opts: { env?: NodeJS.ProcessEnv; store?: ProfileStore } = {}): Promise<PlaneConfig> {
  const env = opts.env ?? process.env;
  const store = opts.store ?? (await openDefaultProfileStore(env));
  const p = findProfile(store, name);
  if (p.url === undefined) throw new ProfileError(`profile "${p.name}" is a simulator profile; it runs inside the app (npm start -- --profile "${p.name}")`);
  const config = planeFields(p, p.url);
  const token = await profileToken(store, p, env);
  if (token !== undefined) config.token = token;
  config.endpoints ??= {};
  for (const e of Object.keys(ENDPOINTS) as EndpointName[]) if (!endpoints.includes(e)) config.endpoints[e] = false;
  return config;
}

/** Connection flags that may come with `--profile` on tail/command/probe: they override the profile's. */
export interface ProfileFlagOverrides {
  url?: string | undefined;
  token?: string | undefined;
  tokenCommand?: { command: string; args: string[] } | undefined;
  ca?: string | undefined;
  insecure?: boolean | undefined;
}

/** `cliPlaneConfig` with the command's own connection flags applied on top; `--url` and `--profile` exclude each other. */
export async function cliProfileConfig(name: string, flags: ProfileFlagOverrides, endpoints: readonly EndpointName[], opts: { env?: NodeJS.ProcessEnv; store?: ProfileStore } = {}): Promise<PlaneConfig> {
  if (flags.url !== undefined) throw new ProfileError('give --profile or --url, not both');
  const config = await cliPlaneConfig(name, endpoints, opts);
  if (flags.token !== undefined) config.token = flags.token;
  if (flags.tokenCommand !== undefined) {
    config.tokenCommand = { command: flags.tokenCommand.command, args: [...flags.tokenCommand.args] };
    delete config.token;
  }
  if (flags.ca !== undefined) config.tls = { ...config.tls, caFile: flags.ca };
  if (flags.insecure) config.tls = { ...config.tls, insecureSkipVerify: true };
  return config;
}

/** Profiles marked auto-connect, by name: what the desktop app connects when started without plane flags. */
export function autoConnectProfiles(store: ProfileStore): string[] {
  return store.list().filter((p) => p.autoConnect).map((p) => p.name);
}

export interface StartupProfilesOptions {
  env?: NodeJS.ProcessEnv;
  store?: ProfileStore;
  /** Seed of the first simulator started (each simulator profile its own swarm). */
  seedBase?: number;
  /** Given: a profile that cannot be resolved is reported here and skipped, instead of failing them all. */
  onError?: (name: string, e: Error) => void;
}

/** One profile as a plane; a simulator profile's simulator is started and pushed to `simulators`. */
async function startupProfile(store: ProfileStore, p: Profile, seed: number, env: NodeJS.ProcessEnv, simulators: Simulator[]): Promise<PlaneConfig> {
  if (p.simulator) {
    if (p.simulator.dialect !== 'swarmdeck') throw new ProfileError(`profile "${p.name}": the embedded simulator speaks only the "swarmdeck" dialect, not "${p.simulator.dialect}"`);
    const sim = new Simulator({ agents: p.simulator.agents, rate: p.simulator.rate, seed, ...(p.simulator.heartbeatMs !== undefined ? { heartbeatIntervalMs: p.simulator.heartbeatMs } : {}) });
    await sim.start();
    simulators.push(sim);
    return planeFields(p, sim.url);
  }
  const config = planeFields(p, p.url!);
  const token = await profileToken(store, p, env);
  if (token !== undefined) config.token = token;
  return config;
}

/**
 * `npm start -- --profile NAME` / `start:web`: each named profile as a plane;
 * a simulator profile starts its simulator first (stopped by the caller).
 */
export async function startupProfiles(names: readonly string[], opts: StartupProfilesOptions = {}): Promise<{ planes: PlaneConfig[]; simulators: Simulator[] }> {
  const env = opts.env ?? process.env;
  const store = opts.store ?? (await openDefaultProfileStore(env));
  const planes: PlaneConfig[] = [];
  const simulators: Simulator[] = [];
  try {
    for (const [i, name] of names.entries()) {
      try {
        const p = findProfile(store, name);
        if (!planes.some((x) => x.id === p.id)) planes.push(await startupProfile(store, p, (opts.seedBase ?? 1) + i, env, simulators));
      } catch (e) {
        if (!opts.onError || !(e instanceof Error)) throw e;
        opts.onError(name, e);
      }
    }
  } catch (e) {
    await Promise.all(simulators.map((s) => s.stop()));
    throw e;
  }
  return { planes, simulators };
}
