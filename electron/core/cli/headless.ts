// The headless commands: `tail` (every normalised event of one control plane
// as JSON lines, and with --frames every decoded binary frame) and `command`
// (one command, its result as one JSON line).
// The same core as the app: a Plane per control plane. stdout carries only
// JSON lines; usage errors go to stderr with exit code 2. docs/PROTOCOL.md,
// "Headless CLI", pins the fields and exit codes.

import { parseArgs } from 'node:util';
import { UsageError } from '../app/index.js';
import { Plane, type PlaneConfig } from '../connection/index.js';
import { type EndpointName, ENDPOINTS } from '../protocol/index.js';
import type { CommandRequest, CommandResult, JsonObject, JsonValue } from '../../../shared/index.js';
import { parseDuration } from './duration.js';
import { frameLine, jsonLine } from './frame-lines.js';
import { cliProfileConfig } from '../profiles/index.js';

/** Exit codes of `tail` and `command`. */
export const EXIT = {
  OK: 0,
  /** The command ran and failed (response "failed", or a server error other than rate limit / auth). */
  FAILED: 1,
  USAGE: 2,
  /** The command timed out (including: never got a LIVE control connection in time). */
  TIMEOUT: 3,
  /** Refused: local or server rate limit, authentication required or refused. */
  REFUSED: 4,
  /** The connection failed for good: no common protocol version, TLS verification, bad endpoint (FAILED). */
  CONNECTION_FAILED: 5,
} as const;

export const TAIL_USAGE =
  'tail    --url ws[s]://HOST:PORT [--token T | --token-command "CMD ARGS"] [--for DURATION] [--endpoints agents,graph,control] [--frames] [--ca FILE] [--insecure]';
export const COMMAND_USAGE =
  'command --url ws[s]://HOST:PORT [--token T | --token-command "CMD ARGS"] --agent ID --command NAME [--param k=v ...] [--timeout DURATION] [--kind command|execute] [--ca FILE] [--insecure]';

export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  'token-command': { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  profile: { type: 'string' },
} as const;

export interface ConnectionArgs {
  url?: string | undefined;
  token?: string | undefined;
  'token-command'?: string | undefined;
  ca?: string | undefined;
  insecure?: boolean | undefined;
}

export function duration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--${flag} must be a positive duration like 500ms, 10s or 2m, got "${text}"`);
  return ms;
}

export function planeConfig(v: ConnectionArgs, endpoints: EndpointName[]): PlaneConfig {
  if (v.url === undefined) throw new UsageError('--url is required');
  let host: string;
  try {
    const u = new URL(v.url);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error('scheme');
    host = u.host;
  } catch {
    throw new UsageError(`--url must be a ws:// or wss:// URL, got "${v.url}"`);
  }
  if (v.token !== undefined && v['token-command'] !== undefined) throw new UsageError('give --token or --token-command, not both');
  const config: PlaneConfig = {
    id: 'cli',
    label: host,
    url: v.url,
    color: 0xffffff,
    endpoints: {},
  };
  for (const e of Object.keys(ENDPOINTS) as EndpointName[]) if (!endpoints.includes(e)) config.endpoints![e] = false;
  const token = v.token ?? process.env.SWARMDECK_TOKEN;
  if (token !== undefined && v['token-command'] === undefined) config.token = token;
  if (v['token-command'] !== undefined) {
    const [command, ...args] = v['token-command'].trim().split(/\s+/);
    if (!command) throw new UsageError('--token-command is empty');
    config.tokenCommand = { command, args };
  }
  if (v.ca !== undefined || v.insecure) config.tls = { ...(v.ca !== undefined ? { caFile: v.ca } : {}), ...(v.insecure ? { insecureSkipVerify: true } : {}) };
  return config;
}

/** `tail`: one JSON line per PlaneEvent (client.connection for state changes); with --frames, one per binary frame too. */
export async function runTail(argv: string[], out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...CONNECTION_OPTIONS, for: { type: 'string' }, endpoints: { type: 'string' }, frames: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const forMs = duration('for', values.for);
  let endpoints = Object.keys(ENDPOINTS) as EndpointName[];
  if (values.endpoints !== undefined) {
    const list = values.endpoints.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((x) => !(x in ENDPOINTS));
    if (list.length === 0 || bad.length > 0) throw new UsageError(`--endpoints takes a comma-separated subset of ${Object.keys(ENDPOINTS).join(', ')}, got "${values.endpoints}"`);
    endpoints = list as EndpointName[];
  }
  const config = values.profile !== undefined ? await cliProfileConfig(values.profile, values, endpoints) : planeConfig(values, endpoints);
  return new Promise<number>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      plane.close();
      resolve(code);
    };
    const onAbort = (): void => finish(EXIT.OK);
    const plane: Plane = new Plane(config, {
      ...(values.frames ? { frame: (endpoint, f, d) => out(jsonLine(frameLine(endpoint, f, d, Date.now()))) } : {}),
      event: (ev) => {
        out(jsonLine(ev));
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
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CONNECTION_OPTIONS,
      agent: { type: 'string' },
      command: { type: 'string' },
      param: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      kind: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const config = values.profile !== undefined ? await cliProfileConfig(values.profile, values, ['control']) : planeConfig(values, ['control']);
  if (values.agent === undefined || values.agent.length === 0) throw new UsageError('--agent is required');
  if (values.command === undefined || values.command.length === 0) throw new UsageError('--command is required');
  const kind = values.kind ?? 'command';
  if (kind !== 'command' && kind !== 'execute') throw new UsageError(`--kind must be command or execute, got "${kind}"`);
  const timeoutMs = duration('timeout', values.timeout) ?? 30_000;
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
    out(JSON.stringify(result));
    return exitCodeOf(result);
  } finally {
    plane.close();
  }
}
