// The headless commands: `tail` (every normalised event of one control plane
// as JSON lines, each alert transition as a `client.alert` line, and with
// --frames every decoded binary frame) and `command`
// (one command, its result as one JSON line).
// The same core as the app: a Plane per control plane. stdout carries only
// JSON lines; usage errors go to stderr with exit code 2. docs/PROTOCOL.md,
// "Headless CLI", pins the fields and exit codes.

import { EXIT, FLAGS, durationFlag, envToken, parseFlags, tlsFlags, tokenCommandFlag, UsageError, wsUrlFlag } from '../args/index.js';
import { Plane, type PlaneConfig } from '../connection/index.js';
import { alertLine, PlaneMonitor } from '../monitor/index.js';
import { type EndpointName, ENDPOINTS, frameLine, jsonLine } from '../protocol/index.js';
import type { CommandRequest, CommandResult, JsonObject, JsonValue } from '../../../shared/index.js';
import { cliProfileConfig } from '../profiles/index.js';

export const TAIL_USAGE =
  'tail    --url ws[s]://HOST:PORT [--token T | --token-command "CMD ARGS"] [--for DURATION] [--endpoints agents,graph,control] [--frames] [--ca FILE] [--insecure]';
export const COMMAND_USAGE =
  'command --url ws[s]://HOST:PORT [--token T | --token-command "CMD ARGS"] --agent ID --command NAME [--param k=v ...] [--timeout DURATION] [--kind command|execute] [--ca FILE] [--insecure]';

/** The connection flags of tail, command and probe (FLAGS: url, token, token-command, ca, insecure, profile). */
export interface ConnectionArgs {
  url?: string | undefined;
  token?: string | undefined;
  'token-command'?: string | undefined;
  ca?: string | undefined;
  insecure?: boolean | undefined;
  profile?: string | undefined;
}

/** The one plane tail, command and probe connect: from --url and its flags, or a saved --profile with them on top. */
export async function connectionConfig(v: ConnectionArgs, endpoints: EndpointName[]): Promise<PlaneConfig> {
  if (v.token !== undefined && v['token-command'] !== undefined) throw new UsageError('give --token or --token-command, not both');
  const tokenCommand = tokenCommandFlag(v['token-command']);
  if (v.profile !== undefined) {
    return cliProfileConfig(v.profile, { url: v.url, token: v.token, tokenCommand, ca: v.ca, insecure: v.insecure }, endpoints);
  }
  if (v.url === undefined) throw new UsageError('--url is required');
  const config: PlaneConfig = { id: 'cli', label: wsUrlFlag(v.url), url: v.url, color: 0xffffff, endpoints: {} };
  for (const e of Object.keys(ENDPOINTS) as EndpointName[]) if (!endpoints.includes(e)) config.endpoints![e] = false;
  const token = v.token ?? envToken();
  if (tokenCommand) config.tokenCommand = tokenCommand;
  else if (token !== undefined) config.token = token;
  const tls = tlsFlags(v.ca, v.insecure);
  if (tls) config.tls = tls;
  return config;
}

/**
 * `tail`: one JSON line per PlaneEvent (client.connection for state changes),
 * after it one `client.alert` line per alert transition it caused (the
 * core's alert rules, monitor/); with --frames, one per binary frame too.
 */
export async function runTail(argv: string[], out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const { values } = parseFlags(FLAGS.tail, argv);
  const forMs = durationFlag('for', values.for);
  let endpoints = Object.keys(ENDPOINTS) as EndpointName[];
  if (values.endpoints !== undefined) {
    const list = values.endpoints.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((x) => !(x in ENDPOINTS));
    if (list.length === 0 || bad.length > 0) throw new UsageError(`--endpoints takes a comma-separated subset of ${Object.keys(ENDPOINTS).join(', ')}, got "${values.endpoints}"`);
    endpoints = list as EndpointName[];
  }
  const config = await connectionConfig(values, endpoints);
  return new Promise<number>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | null = null;
    // Only its alerts are wanted here: the log keeps one event (stdout has them all).
    const monitor = new PlaneMonitor(config.id, { eventEntries: 1 });
    monitor.onAlert((a) => out(jsonLine(alertLine(a))));
    // Time-based transitions: errors that stayed quiet resolve.
    const ticker = setInterval(() => monitor.tick(), 1000);
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      // Our own close is no outage: no plane_down line for it.
      monitor.userClosed();
      plane.close();
      resolve(code);
    };
    const onAbort = (): void => finish(EXIT.OK);
    const plane: Plane = new Plane(config, {
      ...(values.frames ? { frame: (endpoint, f, d) => out(jsonLine(frameLine(endpoint, f, d, Date.now()))) } : {}),
      event: (ev) => {
        out(jsonLine(ev));
        monitor.ingest(ev);
        if (ev.type !== 'client.connection') return;
        // Terminal states: say so with the exit code instead of waiting forever.
        if (ev.payload.state === 'AUTH_REQUIRED') setImmediate(() => finish(EXIT.REFUSED));
        else if (ev.payload.state === 'FAILED') setImmediate(() => finish(EXIT.CONNECTION_FAILED));
      },
    });
    if (forMs !== undefined) timer = setTimeout(() => finish(EXIT.OK), forMs);
    signal?.addEventListener('abort', onAbort);
    plane.connect();
  });
}

/** "k=v": the value as JSON when it parses (10, true, null, {"a":1}), else the text. */
export function parseParam(text: string): [string, JsonValue] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param must look like key=value, got "${text}"`);
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  try {
    return [key, JSON.parse(raw) as JsonValue];
  } catch {
    return [key, raw];
  }
}

export function exitCodeOf(r: CommandResult): number {
  switch (r.status) {
    case 'success':
      return EXIT.OK;
    case 'failed':
      return EXIT.FAILED;
    case 'timeout':
      return EXIT.TIMEOUT;
    case 'error':
      return r.code === 'RATE_LIMIT_EXCEEDED' || r.code === 'AUTH_FAILED' || r.code === 'AUTH_REQUIRED' ? EXIT.REFUSED : r.code === 'CONNECTION_FAILED' ? EXIT.CONNECTION_FAILED : EXIT.FAILED;
    case 'refused':
      return r.code === 'CONNECTION_FAILED' ? EXIT.CONNECTION_FAILED : EXIT.REFUSED;
  }
}

/** `command`: connects the control endpoint only, sends one command, prints its CommandResult. */
export async function runCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags(FLAGS.command, argv);
  const config = await connectionConfig(values, ['control']);
  if (values.agent === undefined || values.agent.length === 0) throw new UsageError('--agent is required');
  if (values.command === undefined || values.command.length === 0) throw new UsageError('--command is required');
  const kind = values.kind ?? 'command';
  if (kind !== 'command' && kind !== 'execute') throw new UsageError(`--kind must be command or execute, got "${kind}"`);
  const timeoutMs = durationFlag('timeout', values.timeout) ?? 30_000;
  const parameters: JsonObject = {};
  for (const p of values.param ?? []) {
    const [k, v] = parseParam(p);
    parameters[k] = v;
  }
  const hasParams = Object.keys(parameters).length > 0;
  const req: CommandRequest =
    kind === 'execute'
      ? { kind: 'execute', targetAgent: values.agent, command: values.command, timeoutMs, ...(hasParams ? { parameters } : {}) }
      : { kind: 'command', agentId: values.agent, command: values.command, timeoutMs, ...(hasParams ? { parameters } : {}) };
  config.commandTimeoutMs = timeoutMs;
  const plane = new Plane(config, { event: () => undefined });
  plane.connect();
  try {
    const result = await plane.command(req);
    out(jsonLine(result));
    return exitCodeOf(result);
  } finally {
    plane.close();
  }
}
