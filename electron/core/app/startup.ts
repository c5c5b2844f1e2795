// What `npm start` and `npm run start:web` share: parse --url/--token (and
// the simulator's options), and when no --url is given start the embedded
// simulator and connect to it, so a first launch shows something live.

import { parseArgs } from 'node:util';
import type { PlaneConfig } from '../connection/plane.js';
import { Simulator } from '../sim/simulator.js';

export const PLANE_COLORS = [0x4cc9f0, 0xf72585, 0x90be6d, 0xf9c74f, 0x9d4edd, 0xf8961e, 0x43aa8b, 0xe5e5e5];

export interface StartupOptions {
  url: string | undefined;
  token: string | undefined;
  agents: number;
  rate: number;
  port: number;
  host: string;
}

export class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

/**
 * Options shared by the app hosts; unknown flags are a usage error, except
 * with `lenient` (Electron, where Chromium's own switches share argv).
 */
export function parseStartupArgs(argv: readonly string[], opts: { lenient?: boolean } = {}): StartupOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      agents: { type: 'string' },
      rate: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    },
    strict: !opts.lenient,
    allowPositionals: !!opts.lenient,
  });
  const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
  const url = str(values.url);
  if (url !== undefined && !/^wss?:\/\/[^/]+/i.test(url)) {
    throw new UsageError(`--url must be a ws:// or wss:// URL, got "${url}"`);
  }
  return {
    url,
    token: str(values.token) ?? process.env.SWARMDECK_TOKEN,
    agents: positiveInt('agents', str(values.agents), 200),
    rate: positiveInt('rate', str(values.rate), 30, 1),
    port: positiveInt('port', str(values.port), 0),
    host: str(values.host) ?? '127.0.0.1',
  };
}

export interface Startup {
  planes: PlaneConfig[];
  simulator: Simulator | null;
}

/** Starts the embedded simulator when no --url was given; returns the planes to connect. */
export async function resolveStartup(o: StartupOptions): Promise<Startup> {
  if (o.url !== undefined) {
    const plane: PlaneConfig = { id: 'plane-1', label: new URL(o.url).host, url: o.url, color: PLANE_COLORS[0]! };
    if (o.token !== undefined) plane.token = o.token;
    return { planes: [plane], simulator: null };
  }
  const simulator = new Simulator({ agents: o.agents, rate: o.rate });
  await simulator.start();
  return {
    planes: [{ id: 'sim', label: 'Embedded simulator', url: simulator.url, color: PLANE_COLORS[0]! }],
    simulator,
  };
}
