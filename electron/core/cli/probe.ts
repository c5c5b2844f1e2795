// `swarmdeck probe --url URL`: connects to every endpoint of a control plane
// for a while and prints a conformance report a plane's implementer can act
// on: per endpoint the upgrade status and headers, the handshake_ack fields,
// the negotiated or assumed version and compression, frame and JSON message
// types seen (with counts), invalid messages (the first example of each kind),
// heartbeats and their interval, and every conformance note; for the plane
// the round trip and clock offset. A readable table, or one JSON document
// with --json. Exit 0 usable, 4 refused, 5 unusable (docs/PROTOCOL.md, "probe").

import { parseArgs } from 'node:util';
import { Plane, type PlaneConfig } from '../connection/index.js';
import { cliProfileConfig } from '../profiles/index.js';
import { type EndpointName, ENDPOINTS, frameTypeName } from '../protocol/index.js';
import { type JsonObject, type JsonValue, neutraliseText, type PlaneEvent } from '../../../shared/index.js';
import { CONNECTION_OPTIONS, EXIT, duration, planeConfig } from './headless.js';
import { jsonLine } from './frame-lines.js';

export const PROBE_USAGE = 'probe   (--url ws[s]://HOST:PORT [--token T | --token-command "CMD ARGS"] [--ca FILE] [--insecure] | --profile NAME) [--for DURATION] [--json]';

/** Distinct kinds of invalid message kept per endpoint (each with its first example). */
const MAX_INVALID_KINDS = 32;
/** Distinct message types counted per endpoint; the rest are counted as "(other)". */
const MAX_TYPES = 64;
const EXAMPLE_CHARS = 200;

interface Invalid {
  count: number;
  first: string;
}

interface EndpointReport {
  upgrade: { status: number; headers: Record<string, string> } | null;
  state: string;
  reason: string | null;
  wentLive: boolean;
  handshakeAck: JsonObject | null;
  version: string | null;
  versionHow: 'negotiated' | 'chosen by the client' | 'assumed' | 'none';
  compression: string | null;
  compressionHow: 'negotiated' | 'not confirmed' | 'assumed none' | 'none';
  frames: Record<string, number>;
  messages: Record<string, number>;
  invalid: Record<string, Invalid>;
  heartbeats: { count: number; intervalMs: number | null; observedEveryMs: number | null };
  conformance: string[];
}

function bump(m: Record<string, number>, key: string): void {
  if (m[key] === undefined && Object.keys(m).length >= MAX_TYPES) key = '(other)';
  m[key] = (m[key] ?? 0) + 1;
}

function emptyReport(): EndpointReport {
  return {
    upgrade: null,
    state: 'CLOSED',
    reason: null,
    wentLive: false,
    handshakeAck: null,
    version: null,
    versionHow: 'none',
    compression: null,
    compressionHow: 'none',
    frames: {},
    messages: {},
    invalid: {},
    heartbeats: { count: 0, intervalMs: null, observedEveryMs: null },
    conformance: [],
  };
}

/** The JSON message's type (the inner one of a channel message), for counting. */
function messageType(text: string): string {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return '(not an object)';
    const o = v as Record<string, unknown>;
    if (o.type === undefined && typeof o.channel === 'string' && typeof o.message === 'object' && o.message !== null) {
      const inner = (o.message as Record<string, unknown>).type;
      return `${typeof inner === 'string' ? inner.slice(0, 80) : '(no type)'} [channel ${o.channel.slice(0, 40)}]`;
    }
    return typeof o.type === 'string' ? o.type.slice(0, 80) : '(no type)';
  } catch {
    return '(not JSON)';
  }
}

export async function runProbe(argv: string[], out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...CONNECTION_OPTIONS, for: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const forMs = duration('for', values.for) ?? 5000;
  const all = Object.keys(ENDPOINTS) as EndpointName[];
  const config = values.profile !== undefined ? await cliProfileConfig(values.profile, values, all) : planeConfig(values, all);
  return probePlane(config, { forMs, json: values.json === true }, out, signal);
}

/**
 * Probes one plane for `forMs` and writes the report (a table, or one JSON
 * line) to `out`; resolves with the exit code. What the CLI and the profile
 * manager's Test button both run.
 */
export async function probePlane(target: PlaneConfig, opts: { forMs: number; json?: boolean }, out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const forMs = opts.forMs;
  const config: PlaneConfig = { ...target, id: 'probe' };
  const reports = new Map<EndpointName, EndpointReport>();
  const report = (e: EndpointName): EndpointReport => {
    let r = reports.get(e);
    if (!r) reports.set(e, (r = emptyReport()));
    return r;
  };
  for (const e of Object.keys(ENDPOINTS) as EndpointName[]) report(e);
  const beats = new Map<EndpointName, number[]>();
  let current: EndpointName = 'agents';
  const startedAt = Date.now();

  const onEvent = (ev: PlaneEvent): void => {
    const p = ev.payload;
    const ep = typeof p.endpoint === 'string' && p.endpoint in ENDPOINTS ? (p.endpoint as EndpointName) : current;
    if (ev.type === 'protocol.invalid_message' || ev.type === 'protocol.error') {
      const r = report(current);
      const kind = `${ev.type} ${String(p.kind ?? p.field ?? 'invalid')}`.slice(0, 120);
      const seen = r.invalid[kind];
      if (seen) seen.count++;
      else if (Object.keys(r.invalid).length < MAX_INVALID_KINDS) {
        const example = [p.message ?? p.reason, p.excerpt ?? p.hex].filter((x) => typeof x === 'string').join(': ');
        r.invalid[kind] = { count: 1, first: example.slice(0, EXAMPLE_CHARS) };
      }
      return;
    }
    if (ev.type === 'heartbeat' && ev.agentId === undefined && ev.origin !== 'client') {
      const list = beats.get(current) ?? [];
      if (list.length < 1000) list.push(ev.at);
      beats.set(current, list);
      return;
    }
    if (ev.type === 'client.connection' && ev.payload.endpoints && typeof ev.payload.endpoints === 'object') {
      for (const [name, st] of Object.entries(ev.payload.endpoints as JsonObject)) if (st === 'LIVE' && name in ENDPOINTS) report(name as EndpointName).wentLive = true;
      if (ev.payload.state === 'AUTH_REQUIRED') setImmediate(() => finish(EXIT.REFUSED));
      else if (ev.payload.state === 'FAILED') setImmediate(() => finish(EXIT.CONNECTION_FAILED));
    }
    if (ev.type === 'client.session' && ep) report(ep).wentLive = true;
  };

  // Filled in by collect(), before the plane is closed.
  let summary: { latencyMs: number | null; clockOffsetMs: number | null; reconnects: number; protocolErrors: number } = { latencyMs: null, clockOffsetMs: null, reconnects: 0, protocolErrors: 0 };
  let finish: (code: number) => void = () => undefined;
  const code = await new Promise<number>((resolve) => {
    let done = false;
    const plane: Plane = new Plane(config, {
      event: onEvent,
      inbound: (endpoint, data, isBinary) => {
        current = endpoint;
        if (!isBinary) bump(report(endpoint).messages, messageType(data.toString('utf8')));
      },
      frame: (endpoint, f) => bump(report(endpoint).frames, frameTypeName(f.type)),
      upgrade: (endpoint, status, headers) => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = (Array.isArray(v) ? v.join(', ') : v).slice(0, 500);
        report(endpoint).upgrade = { status, headers: h };
      },
    });
    const timer = setTimeout(() => finish(-1), forMs);
    const onAbort = (): void => finish(-1);
    finish = (c) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      collect(plane);
      plane.close();
      resolve(c);
    };
    signal?.addEventListener('abort', onAbort);
    plane.connect();
  });

  function collect(p: Plane): void {
    const st = p.status();
    const notes = p.conformance();
    const acks = p.handshakeAcks();
    summary = { latencyMs: st.lastLatencyMs ?? null, clockOffsetMs: st.serverClockOffsetMs ?? null, reconnects: st.counters.reconnects, protocolErrors: st.counters.protocolErrors };
    for (const e of st.endpoints ?? []) {
      const name = e.endpoint as EndpointName;
      const r = report(name);
      const codes = new Set(notes.filter((n) => n.endpoint === name).map((n) => n.code));
      r.state = e.state;
      r.reason = e.reason ?? null;
      if (e.state === 'LIVE') r.wentLive = true;
      r.handshakeAck = acks[name] ?? null;
      r.version = e.version ?? null;
      r.versionHow = e.version === undefined ? 'none' : codes.has('version_assumed') ? 'assumed' : codes.has('version_no_selected') ? 'chosen by the client' : 'negotiated';
      r.compression = e.compression ?? null;
      r.compressionHow =
        codes.has('compression_no_selected') ? 'not confirmed' : codes.has('compression_assumed') ? 'assumed none' : e.compression === undefined ? 'none' : 'negotiated';
      r.heartbeats.intervalMs = e.heartbeatIntervalMs ?? null;
      r.conformance = notes.filter((n) => n.endpoint === name).map((n) => n.message);
      const b = beats.get(name) ?? [];
      r.heartbeats.count = b.length;
      r.heartbeats.observedEveryMs = b.length >= 2 ? Math.round((b[b.length - 1]! - b[0]!) / (b.length - 1)) : null;
    }
  }

  const eps = [...reports.entries()];
  const usable = eps.every(([, r]) => r.wentLive);
  const exit = code >= 0 ? code : usable ? EXIT.OK : EXIT.CONNECTION_FAILED;
  const verdict = exit === EXIT.OK ? 'usable' : exit === EXIT.REFUSED ? 'refused' : 'unusable';
  if (opts.json) {
    const doc: JsonObject = {
      url: config.url,
      forMs: Date.now() - startedAt,
      verdict,
      exitCode: exit,
      latencyMs: summary.latencyMs,
      clockOffsetMs: summary.clockOffsetMs,
      reconnects: summary.reconnects,
      protocolErrors: summary.protocolErrors,
      endpoints: Object.fromEntries(eps.map(([n, r]) => [n, r as unknown as JsonValue])),
    };
    out(jsonLine(doc));
    return exit;
  }
  for (const l of table(config.url, Date.now() - startedAt, verdict, exit, summary, eps)) out(l);
  return exit;
}

/** The human report: every string from the plane neutralised (no bidi or control characters reach the terminal). */
function table(
  url: string,
  ms: number,
  verdict: string,
  exit: number,
  plane: { latencyMs: number | null; clockOffsetMs: number | null; reconnects: number; protocolErrors: number },
  eps: [EndpointName, EndpointReport][],
): string[] {
  const n = (s: string): string => neutraliseText(s);
  const out: string[] = [];
  out.push(`probe ${n(url)} for ${ms} ms: ${verdict} (exit ${exit})`);
  const signed = (v: number): string => (v >= 0 ? `+${v}` : String(v));
  out.push(
    `plane: round trip ${plane.latencyMs ?? '?'} ms, server clock ${plane.clockOffsetMs === null ? 'unknown' : `${signed(plane.clockOffsetMs)} ms`}, reconnects ${plane.reconnects}, invalid messages ${plane.protocolErrors}`,
  );
  const rows = [['endpoint', 'upgrade', 'state', 'version', 'compression', 'heartbeat']];
  for (const [name, r] of eps) {
    const hb = r.heartbeats;
    rows.push([
      name,
      r.upgrade ? String(r.upgrade.status) : '-',
      r.state,
      r.version ? `${n(r.version)} (${r.versionHow})` : '-',
      `${r.compression ? n(r.compression) : 'none'} (${r.compressionHow})`,
      `${hb.intervalMs ?? '?'} ms, ${hb.count} seen${hb.observedEveryMs !== null ? ` every ~${hb.observedEveryMs} ms` : ''}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  const counts = (m: Record<string, number>): string => {
    const e = Object.entries(m).sort((a, b) => b[1] - a[1]);
    return e.length ? e.map(([k, v]) => `${n(k)} ${v}`).join(', ') : 'none';
  };
  for (const [name, r] of eps) {
    out.push('');
    out.push(`[${name}]${r.reason ? ` ${n(r.reason)}` : ''}`);
    if (r.upgrade) out.push(`  upgrade: ${r.upgrade.status}; ${Object.entries(r.upgrade.headers).map(([k, v]) => `${n(k)}: ${n(v)}`).join('; ')}`);
    out.push(`  handshake_ack: ${r.handshakeAck ? Object.entries(r.handshakeAck).map(([k, v]) => `${n(k)}=${n(JSON.stringify(v) ?? '')}`).join(', ') : 'none received'}`);
    out.push(`  frames: ${counts(r.frames)}`);
    out.push(`  json: ${counts(r.messages)}`);
    const inv = Object.entries(r.invalid);
    out.push(`  invalid: ${inv.length ? '' : 'none'}`);
    for (const [kind, v] of inv) out.push(`    ${n(kind)} ×${v.count}, first: ${n(v.first)}`);
    out.push(`  conformance: ${r.conformance.length ? '' : 'none'}`);
    for (const c of r.conformance) out.push(`    - ${n(c)}`);
  }
  return out;
}
