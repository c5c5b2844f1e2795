// One control plane: its endpoint sockets, its agent store, and its
// connection state machine. Plain Node (ws); no Electron import.
//
// Each endpoint socket: open with the auth and client headers → send
// `handshake` → wait for `handshake_ack` → LIVE. The plane's state is the
// least-advanced state of its endpoints. A 401/403 stops retrying
// (AUTH_REQUIRED); any other loss reconnects with exponential backoff and
// full jitter. Binary frames go to the decoder and into the store; JSON goes
// through the normaliser and becomes PlaneEvents.

import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { type ConnectionState, type PlaneStatus } from '../ipc/contract.js';
import { DecodedMessage, decodeMessage, frameTypeName } from '../protocol/binary.js';
import { inflaterFor, normaliseAlgorithm } from '../protocol/compression.js';
import { CLIENT_VERSION, ENDPOINTS, type EndpointName, errorCodeName, stateCode } from '../protocol/constants.js';
import { agentNumber, type JsonObject, type PlaneEvent } from '../protocol/events.js';
import { normaliseJson, type NormalisedEvent } from '../protocol/json.js';
import { AgentStore } from '../store/agent-store.js';
import { Backoff } from './backoff.js';

export interface PlaneConfig {
  id: string;
  label: string;
  /** Base URL, ws:// or wss://; endpoint paths are appended. */
  url: string;
  token?: string;
  /** 0xRRGGBB. */
  color: number;
  /** Override an endpoint's path or URL, or disable it with false. */
  endpoints?: Partial<Record<EndpointName, string | false>>;
  backoff?: { minMs?: number; maxMs?: number };
}

export interface PlaneListener {
  /** Every event, in order, with its per-plane seq. Never dropped. */
  event(ev: PlaneEvent): void;
}

/** The largest WebSocket message accepted: a compressed batch is bounded by its inflate limit, a raw one by this. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

const STATE_RANK: Record<ConnectionState, number> = {
  FAILED: 0,
  AUTH_REQUIRED: 1,
  CLOSED: 2,
  RECONNECTING: 3,
  CONNECTING: 4,
  STALE: 5,
  HANDSHAKING: 6,
  LIVE: 7,
};

class EndpointSocket {
  ws: WebSocket | null = null;
  state: ConnectionState = 'CONNECTING';
  reason: string | undefined;
  timer: NodeJS.Timeout | null = null;
  readonly backoff: Backoff;
  constructor(
    readonly name: EndpointName,
    readonly url: string,
    backoff: { minMs?: number; maxMs?: number } | undefined,
  ) {
    this.backoff = new Backoff(backoff?.minMs ?? 1000, backoff?.maxMs ?? 30_000);
  }
}

export class Plane {
  readonly store = new AgentStore();
  readonly counters = { bytesIn: 0, messagesIn: 0, positionMessages: 0, protocolErrors: 0, reconnects: 0 };
  private readonly sockets: EndpointSocket[] = [];
  private readonly decoded = new DecodedMessage();
  private readonly clientId = randomUUID();
  private seq = 0;
  private closed = false;
  private inflate = inflaterFor('deflate');
  private lastState: ConnectionState = 'CONNECTING';
  private lastReason: string | undefined;

  constructor(
    readonly config: PlaneConfig,
    private readonly listener: PlaneListener,
  ) {
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      const override = config.endpoints?.[name];
      if (override === false) continue;
      this.sockets.push(new EndpointSocket(name, endpointUrl(config.url, override ?? ENDPOINTS[name]), config.backoff));
    }
  }

  get state(): ConnectionState {
    return this.lastState;
  }

  status(): PlaneStatus {
    const s: PlaneStatus = {
      plane: this.config.id,
      label: this.config.label,
      color: this.config.color,
      url: this.config.url,
      state: this.lastState,
      agents: this.store.agents,
      counters: { ...this.counters },
    };
    if (this.lastReason !== undefined) s.reason = this.lastReason;
    return s;
  }

  connect(): void {
    this.closed = false;
    for (const s of this.sockets) this.open(s);
  }

  close(): void {
    this.closed = true;
    for (const s of this.sockets) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
      s.ws?.terminate();
      s.ws = null;
      s.state = 'CLOSED';
    }
    this.updateState();
  }

  /** Sends a JSON message on an endpoint; false when that endpoint is not live. */
  send(endpoint: EndpointName, message: unknown): boolean {
    const s = this.sockets.find((x) => x.name === endpoint);
    if (!s?.ws || s.ws.readyState !== WebSocket.OPEN) return false;
    s.ws.send(JSON.stringify(message));
    return true;
  }

  private open(s: EndpointSocket): void {
    if (this.closed) return;
    const headers: Record<string, string> = {
      'X-Client-Version': CLIENT_VERSION,
      'X-Requested-Protocols': 'binary,json',
    };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    this.setSocketState(s, s.state === 'RECONNECTING' ? 'RECONNECTING' : 'CONNECTING');
    let ws: WebSocket;
    try {
      ws = new WebSocket(s.url, { headers, perMessageDeflate: false, maxPayload: MAX_PAYLOAD, handshakeTimeout: 10_000 });
    } catch (e) {
      this.setSocketState(s, 'FAILED', `bad URL ${s.url}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    s.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('unexpected-response', (_req, res) => {
      const code = res.statusCode ?? 0;
      res.resume();
      if (code === 401 || code === 403) {
        s.ws = null;
        ws.terminate();
        this.setSocketState(s, 'AUTH_REQUIRED', `${s.name}: server answered ${code}; a new token is needed`);
        this.emitClient('client.auth_required', 'high', { endpoint: s.name, status: code });
      } else {
        ws.terminate();
      }
    });
    ws.on('open', () => {
      this.setSocketState(s, 'HANDSHAKING');
      ws.send(
        JSON.stringify({
          type: 'handshake',
          version: CLIENT_VERSION,
          capabilities: ['binary', 'compression', 'multiplexing'],
          clientId: this.clientId,
          timestamp: new Date().toISOString(),
        }),
      );
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.counters.bytesIn += data.byteLength;
      this.counters.messagesIn++;
      if (isBinary) this.onBinary(s, data);
      else this.onText(s, data.toString('utf8'));
    });
    ws.on('error', (err) => {
      s.reason = `${s.name}: ${err.message}`;
    });
    ws.on('close', (code, why) => {
      if (s.ws !== ws) return; // replaced or auth-refused
      s.ws = null;
      if (this.closed) return;
      const reason = s.reason ?? `${s.name}: closed (${code}${why.length ? ` ${why.toString()}` : ''})`;
      s.reason = undefined;
      this.scheduleReconnect(s, reason);
    });
  }

  private scheduleReconnect(s: EndpointSocket, reason: string): void {
    const delay = s.backoff.next();
    this.setSocketState(s, 'RECONNECTING', `${reason}; retrying in ${Math.round(delay)} ms`);
    s.timer = setTimeout(() => {
      s.timer = null;
      this.counters.reconnects++;
      this.open(s);
    }, delay);
  }

  private onText(s: EndpointSocket, text: string): void {
    const ev = normaliseJson(text);
    if (ev.type === 'handshake_ack') {
      const alg = typeof ev.payload.compression === 'string' ? normaliseAlgorithm(ev.payload.compression) : null;
      if (alg) this.inflate = inflaterFor(alg);
      s.backoff.reset();
      this.setSocketState(s, 'LIVE');
    } else if (ev.type === 'agent.state.changed' && ev.agentId !== undefined) {
      const n = agentNumber(ev.agentId);
      const next = ev.payload.newState;
      if (n !== null && typeof next === 'string') this.store.setState(n, stateCode(next), Date.now());
    } else if (ev.type === 'protocol.invalid_message') {
      this.counters.protocolErrors++;
    }
    this.emit(ev);
  }

  private onBinary(s: EndpointSocket, data: Buffer): void {
    const d = this.decoded;
    decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), d, { inflate: this.inflate });
    const now = Date.now();
    if (d.positions.count > 0) {
      this.store.applyPositions(d.positions, now);
      this.counters.positionMessages++;
    }
    if (d.states.count > 0) this.store.applyStates(d.states, now);
    if (d.metrics.count > 0) this.store.applyMetrics(d.metrics, now);
    for (const text of d.coordination) this.emit(normaliseJson(text));
    for (const f of d.errorFrames) {
      this.emit({
        origin: 'binary',
        type: 'error',
        priority: 'high',
        payload: { code: errorCodeName(f.code), message: f.message },
      });
    }
    for (const e of d.protocolErrors) {
      this.counters.protocolErrors++;
      this.emitClient('protocol.error', 'normal', {
        endpoint: s.name,
        frameType: e.frameType < 0 ? 'header' : frameTypeName(e.frameType),
        offset: e.offset,
        reason: e.reason,
        hex: e.hex,
      });
    }
  }

  private emitClient(type: string, priority: PlaneEvent['priority'], payload: JsonObject): void {
    this.emit({ origin: 'client', type, priority, payload });
  }

  private emit(ev: NormalisedEvent): void {
    this.listener.event({ ...ev, seq: this.seq++, plane: this.config.id, at: Date.now() });
  }

  private setSocketState(s: EndpointSocket, state: ConnectionState, reason?: string): void {
    s.state = state;
    if (reason !== undefined) s.reason = reason;
    this.updateState(reason);
  }

  private updateState(reason?: string): void {
    let worst: EndpointSocket | undefined;
    for (const s of this.sockets) if (!worst || STATE_RANK[s.state] < STATE_RANK[worst.state]) worst = s;
    const state: ConnectionState = worst ? worst.state : 'CLOSED';
    const why = state === 'LIVE' ? undefined : (reason ?? worst?.reason);
    if (state === this.lastState && why === this.lastReason) return;
    this.lastState = state;
    this.lastReason = why;
    const payload: JsonObject = { state };
    if (why !== undefined) payload.reason = why;
    this.emitClient('client.connection', state === 'AUTH_REQUIRED' || state === 'FAILED' ? 'high' : 'normal', payload);
  }
}

export function endpointUrl(base: string, pathOrUrl: string): string {
  if (/^wss?:\/\//i.test(pathOrUrl)) return pathOrUrl;
  return base.replace(/\/+$/, '') + pathOrUrl;
}
