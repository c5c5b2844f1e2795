// `npm run -s swarmdeck -- <command>`: the headless entry to the core.
//   sim      the control-plane simulator alone (`npm run sim -- --agents 500 --rate 30 --port 8787 --fault drop-every=5s`)
//   web      browser mode: the core plus the renderer on 127.0.0.1 (`npm run start:web`)
//   tail     every normalised event of one control plane, one JSON line each
//   command  send one command, print its result as one JSON line
//   probe    a conformance report of one control plane (table, or --json)
//   decode   raw AGNT bytes to JSON lines (docs/PROTOCOL.md)
// Exit codes: 0 ok, 1 failure, 2 usage error; tail/command add 3 timeout,
// 4 refused (rate limit, auth), 5 connection failed (docs/PROTOCOL.md, "Headless CLI").

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tokenArgWarning, UsageError } from '../app/startup.js';
import { CLI_STDOUT_MAX_BYTES } from '../limits.js';
import { boundedLines } from './bounded-lines.js';
import { installLastResort } from '../host/last-resort.js';
import { startWeb } from '../app/web.js';
import { FAULT_SPECS, type Faults, parseFaultArg } from '../sim/faults.js';
import { DIALECT_NAMES, dialectOf } from '../sim/dialects.js';
import { Simulator } from '../sim/simulator.js';
import { runDecode } from './decode.js';
import { formatDuration, parseDuration } from './duration.js';
import { COMMAND_USAGE, TAIL_USAGE, runCommand, runTail } from './headless.js';
import { PROBE_USAGE, runProbe } from './probe.js';
import { PROFILES_USAGE, runProfiles } from './profiles.js';
// Usage lines only: the recording commands load their modules (MCAP, WebAssembly codecs) when run.
import { INFO_USAGE, RECORD_USAGE, TAIL_RECORDING_USAGE } from '../recording/usage.js';

const USAGE = `usage: swarmdeck <command> [options]
  sim     [--agents N] [--rate HZ] [--port P] [--host H] [--token T] [--seed N] [--heartbeat DURATION]
          [--versions 1.0,1.1,2.0] [--tls-cert FILE --tls-key FILE] [--fault NAME[=VALUE]]... [--dialect NAME]
  web     [--url ws://HOST:PORT]... [--token T]... [--port P] [--planes N] [--agents N] [--rate HZ] [--dev]
  ${TAIL_USAGE}
  ${COMMAND_USAGE}
  ${PROBE_USAGE}
  ${RECORD_USAGE}
  ${TAIL_RECORDING_USAGE}
  ${INFO_USAGE}
  decode  FILE [--compression gzip|deflate|brotli|none] [--max-inflated BYTES] [--hex]
  ${PROFILES_USAGE}
durations: 500ms, 10s, 2m, 1h
dialects (sim --dialect, start/start:web --dialect): ${DIALECT_NAMES.join(', ')}
environment: SWARMDECK_TOKEN  the bearer token, instead of --token (which every local user can read with ps):
             sim requires it of clients, web/tail/command send it
faults (sim --fault):
${FAULT_SPECS.map((f) => `  ${f.name.padEnd(22)} ${f.help}`).join('\n')}`;

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
      heartbeat: { type: 'string' },
      versions: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      fault: { type: 'string', multiple: true },
      dialect: { type: 'string' },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined, d: number, min: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
  const faults: Partial<Faults> = {};
  for (const f of values.fault ?? []) {
    try {
      const [k, v] = parseFaultArg(f);
      (faults as Record<string, unknown>)[k] = v;
    } catch (e) {
      throw new UsageError(`--fault: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let heartbeatIntervalMs: number | undefined;
  if (values.heartbeat !== undefined) {
    const ms = parseDuration(values.heartbeat);
    if (ms === null || ms <= 0) throw new UsageError(`--heartbeat must be a positive duration like 30s, got "${values.heartbeat}"`);
    heartbeatIntervalMs = ms;
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  // The same variable as the clients': a token kept out of `ps`.
  const token = values.token ?? (process.env.SWARMDECK_TOKEN || undefined);
  const tls = values['tls-cert'] !== undefined ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']!) } : undefined;
  let dialect: (typeof DIALECT_NAMES)[number] = 'strict';
  if (values.dialect !== undefined) {
    try {
      dialect = dialectOf(values.dialect).name;
    } catch (e) {
      throw new UsageError(`--dialect: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const s = new Simulator({
    dialect,
    agents: num('agents', values.agents, 500, 0),
    rate: num('rate', values.rate, 30, 1),
    port: num('port', values.port, 8787, 0),
    host: values.host ?? '127.0.0.1',
    token,
    seed: num('seed', values.seed, 1, 0),
    faults,
    ...(heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs } : {}),
    ...(values.versions !== undefined ? { versions: values.versions.split(',').map((v) => v.trim()).filter(Boolean) } : {}),
    ...(tls ? { tls } : {}),
  });
  await s.start();
  const active = Object.entries(faults).filter(([, v]) => v !== false && v !== 0 && !(Array.isArray(v) && v.length === 0)).map(([k, v]) => {
    const spec = FAULT_SPECS.find((f) => f.key === k)!;
    return typeof v === 'boolean' ? spec.name : `${spec.name}=${spec.kind.endsWith('duration') ? formatDuration(v as number) : String(v)}`;
  });
  console.log(
    `swarmdeck simulator: ${s.world.count} agents at ${s.options.rate} Hz on ${s.url}${dialect !== 'strict' ? ` (dialect ${dialect})` : ''}${token ? ' (token required)' : ''}${active.length ? `; faults: ${active.join(', ')}` : ''}`,
  );
  onSignal(() => s.stop());
  return new Promise<number>(() => undefined); // runs until a signal
}

async function web(argv: string[]): Promise<number> {
  const running = await startWeb(argv);
  onSignal(() => running.stop());
  return new Promise<number>(() => undefined);
}

async function tail(argv: string[], run = runTail): Promise<number> {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const out = boundedLines(process.stdout, CLI_STDOUT_MAX_BYTES);
  try {
    return await run(argv, out.write, ac.signal);
  } finally {
    out.end();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The usage printed with a usage error: the command's own line when there is one. */
let usageText = USAGE;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const warning = tokenArgWarning(rest);
  if (warning !== null) console.error(warning);
  // Long-running commands report an uncaught error and keep serving instead of exiting.
  if (cmd === 'sim' || cmd === 'web' || cmd === 'tail') installLastResort(`swarmdeck ${cmd}`);
  if (cmd === 'tail') usageText = `usage: swarmdeck ${TAIL_USAGE}\ndurations: 500ms, 10s, 2m, 1h`;
  if (cmd === 'probe') usageText = `usage: swarmdeck ${PROBE_USAGE}\ndurations: 500ms, 10s, 2m, 1h`;
  if (cmd === 'command') usageText = `usage: swarmdeck ${COMMAND_USAGE}\ndurations: 500ms, 10s, 2m, 1h`;
  switch (cmd) {
    case 'sim':
      return sim(rest);
    case 'web':
      return web(rest);
    case 'tail':
      if (rest.includes('--recording')) return (await import('../recording/tail.js')).runTailRecording(rest, (line) => process.stdout.write(`${line}\n`));
      return tail(rest);
    case 'probe':
      return tail(rest, runProbe);
    case 'record': {
      const ac = new AbortController();
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => ac.abort());
      return (await import('./record.js')).runRecord(rest, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`), ac.signal);
    }
    case 'info':
      return (await import('./info.js')).runInfo(rest, (line) => process.stdout.write(`${line}\n`));
    case 'command':
      return runCommand(rest, (line) => process.stdout.write(`${line}\n`));
    case 'decode':
      return runDecode(argv.slice(1), console.log);
    case 'profiles':
      return runProfiles(rest);
    case '-h':
    case '--help':
      console.log(USAGE);
      return 0;
    case undefined:
      console.error(USAGE);
      return 2;
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}

// A reader that goes away (`tail ... | head`) ends the output, not with a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof UsageError || (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'));
    console.error(`swarmdeck: ${e instanceof Error ? e.message : String(e)}${usage ? `\n${usageText}` : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
