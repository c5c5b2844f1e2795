// `npm run -s swarmdeck -- <command>`: the headless entry to the core.
//   sim     the control-plane simulator alone (`npm run sim -- --agents 500 --rate 30 --port 8787`)
//   web     browser mode: the core plus the renderer on 127.0.0.1 (`npm run start:web`)
//   decode  raw AGNT bytes to JSON lines (docs/PROTOCOL.md)
// Exit codes: 0 ok, 1 failure, 2 usage error.

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SwarmCore } from '../app/core.js';
import { parseStartupArgs, resolveStartup, UsageError } from '../app/startup.js';
import { WebHost } from '../host/web-host.js';
import { Simulator } from '../sim/simulator.js';

const USAGE = `usage: swarmdeck <command> [options]
  sim     [--agents N] [--rate HZ] [--port P] [--host H] [--token T]
  web     [--url ws://HOST:PORT] [--token T] [--port P] [--agents N] [--rate HZ]
  decode  FILE [--compression gzip|deflate|brotli] [--max-inflated BYTES]`;

const RENDERER_DIR = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));

function onSignal(stop: () => Promise<void>): void {
  const handler = (): void => void stop().then(() => process.exit(0));
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

async function sim(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      agents: { type: 'string' },
      rate: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined, d: number, min: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
  const s = new Simulator({
    agents: num('agents', values.agents, 500, 0),
    rate: num('rate', values.rate, 30, 1),
    port: num('port', values.port, 8787, 0),
    host: values.host ?? '127.0.0.1',
    token: values.token,
    seed: num('seed', values.seed, 1, 0),
  });
  await s.start();
  console.log(`swarmdeck simulator: ${s.world.count} agents at ${s.options.rate} Hz on ${s.url}${values.token ? ' (token required)' : ''}`);
  onSignal(() => s.stop());
  return new Promise<number>(() => undefined); // runs until a signal
}

async function web(argv: string[]): Promise<number> {
  const o = parseStartupArgs(argv);
  const { planes, simulator } = await resolveStartup({ ...o, port: 0 });
  const core = new SwarmCore(planes);
  core.start();
  const host = new WebHost({ core, rendererDir: RENDERER_DIR, port: o.port, host: o.host });
  const url = await host.start();
  const target = simulator ? `embedded simulator ${simulator.url} (${simulator.world.count} agents)` : planes[0]!.url;
  console.log(`swarmdeck (browser mode): ${url}\nconnected to ${target}`);
  onSignal(async () => {
    await host.stop();
    core.stop();
    await simulator?.stop();
  });
  return new Promise<number>(() => undefined);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'sim':
      return sim(rest);
    case 'web':
      return web(rest);
    case undefined:
    case '-h':
    case '--help':
      console.log(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof UsageError || (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'));
    console.error(`swarmdeck: ${e instanceof Error ? e.message : String(e)}${usage ? `\n${USAGE}` : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
