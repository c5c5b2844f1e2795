// A conformance probe of one control plane: connect every endpoint for a
// while and record what a plane's implementer can act on: per endpoint the
// upgrade status and headers, the handshake_ack fields, the negotiated or
// assumed version and compression, frame and JSON message types seen (with
// counts), invalid messages (the first example of each kind), heartbeats and
// their interval, and every conformance note; for the plane the round trip
// and clock offset. The verdict is an exit code: 0 usable, 4 refused, 5
// unusable (docs/PROTOCOL.md, "probe"). `swarmdeck probe` prints it
// (probe/table.ts or JSON); a profile's Test button shows the table.

import { EXIT } from '../args/index.js';
import { Plane, type PlaneConfig } from '../connection/index.js';
import { type EndpointName, ENDPOINTS, frameTypeName } from '../protocol/index.js';
import type { JsonObject, PlaneEvent } from '../../../shared/index.js';

/** Distinct kinds of invalid message kept per endpoint (each with its first example). */
const MAX_INVALID_KINDS = 32;
/** Distinct message types counted per endpoint; the rest are counted as "(other)". */
const MAX_TYPES = 64;
const EXAMPLE_CHARS = 200;

export interface Invalid {
  count: number;
  first: string;
}

export interface EndpointReport {
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
  /** Duplicate channel sequences per channel (issue 23). */
  channelDuplicates: Record<string, number>;
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
    channelDuplicates: {},
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

export interface ProbeReport {
  url: string;
  /** How long the probe ran. */
  forMs: number;
  verdict: 'usable' | 'refused' | 'unusable';
  exitCode: number;
  latencyMs: number | null;
  clockOffsetMs: number | null;
  /** ± ms around clockOffsetMs (NTP-style bounds). */
  clockUncertaintyMs: number | null;
  reconnects: number;
  protocolErrors: number;
  /** The plane's limit counters (PlaneStatus.limits: agents, strings, metadata, side data, channels, dedupe ids, liveness ids). */
  limits: Record<string, number>;
  endpoints: Record<EndpointName, EndpointReport>;
}

/**
 * Probes one plane for `forMs` (less when it is refused or fails for good, or
 * `signal` aborts). What the CLI and the profile manager's Test button both run.
 */
export async function probePlane(target: PlaneConfig, opts: { forMs: number }, signal?: AbortSignal): Promise<ProbeReport> {
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
      // The event names its endpoint (intake.ts); the last socket heard from is only a fallback.
      const r = report(ep);
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
    if (ev.type === 'client.conformance' && p.code === 'channel_duplicate' && typeof p.channel === 'string' && typeof p.count === 'number') {
      const d = report(ep).channelDuplicates;
      if (d[p.channel] !== undefined || Object.keys(d).length < MAX_TYPES) d[p.channel.slice(0, 80)] = p.count;
    }
  };

  // Filled in by collect(), before the plane is closed.
  let summary: { latencyMs: number | null; clockOffsetMs: number | null; clockUncertaintyMs: number | null; reconnects: number; protocolErrors: number; limits: Record<string, number> } = { latencyMs: null, clockOffsetMs: null, clockUncertaintyMs: null, reconnects: 0, protocolErrors: 0, limits: {} };
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
    summary = { latencyMs: st.lastLatencyMs ?? null, clockOffsetMs: st.serverClockOffsetMs ?? null, clockUncertaintyMs: st.serverClockUncertaintyMs ?? null, reconnects: st.counters.reconnects, protocolErrors: st.counters.protocolErrors, limits: { ...(st.limits ?? {}) } };
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
  return {
    url: config.url,
    forMs: Date.now() - startedAt,
    verdict: exit === EXIT.OK ? 'usable' : exit === EXIT.REFUSED ? 'refused' : 'unusable',
    exitCode: exit,
    ...summary,
    endpoints: Object.fromEntries(eps) as Record<EndpointName, EndpointReport>,
  };
}
