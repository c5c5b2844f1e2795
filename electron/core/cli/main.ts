// `npm run -s swarmdeck -- <command>`: the headless entry to the core.
//   sim      the control-plane simulator alone (`npm run sim -- --agents 500 --rate 30 --port 8787 --fault drop-every=5s`)
//   web      browser mode: the core plus the renderer on 127.0.0.1 (`npm run start:web`)
//   tail     every normalised event of one control plane, one JSON line each
//   command  send one command, print its result as one JSON line
//   probe    a conformance report of one control plane (table, or --json)
//   decode   raw AGNT bytes to JSON lines (docs/PROTOCOL.md)
// Exit codes: 0 ok, 1 failure, 2 usage error; tail/command add 3 timeout,
// 4 refused (rate limit, auth), 5 connection failed (docs/PROTOCOL.md, "Headless CLI").

import { tokenArgWarning, UsageError } from '../args/index.js';
import { CLI_STDOUT_MAX_BYTES } from '../../../shared/index.js';
import { boundedLines } from './bounded-lines.js';
import { installLastResort } from '../host/index.js';
import { DIALECT_NAMES, FAULT_SPECS } from '../sim/index.js';
import { runDecode } from './decode.js';
import { COMMAND_USAGE, TAIL_USAGE, runCommand, runTail } from './headless.js';
import { PROBE_USAGE, runProbe } from './probe.js';
import { PROFILES_USAGE, runProfiles } from './profiles.js';
import { startSim } from './sim.js';
import { startWeb } from './web.js';
// Usage lines only: the recording commands load their modules (MCAP, WebAssembly codecs) when run.
import { INFO_USAGE, RECORD_USAGE, TAIL_RECORDING_USAGE } from './recording-usage.js';

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
  const { sim: s, banner } = await startSim(argv);
  console.log(banner);
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
      if (rest.some((a) => a === '--recording' || a.startsWith('--recording='))) return (await import('./tail-recording.js')).runTailRecording(rest, (line) => process.stdout.write(`${line}\n`));
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
    const usage = e instanceof UsageError;
    console.error(`swarmdeck: ${e instanceof Error ? e.message : String(e)}${usage ? `\n${usageText}` : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
