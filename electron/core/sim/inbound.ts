// What the simulator does with each client message: the session's
// negotiation as the server side in the chosen dialect (sim/dialects.ts):
// the handshake_ack, version, compression and channel replies, and serving a
// client that never negotiates; heartbeats and acks counted; commands handed
// to the responder. Anything else is an INVALID_MESSAGE error back.

import {
  channelCreateMessage,
  channelReplyMessage,
  type ChannelSpec,
  type CompressionAlgorithm,
  compressionNegotiateMessage,
  compressionReplyMessage,
  type EndpointName,
  featuresOf,
  normaliseAlgorithm,
  selectVersion,
  versionNegotiateMessage,
  versionReplyMessage,
} from '../protocol/index.js';
import type { Priority } from '../../../shared/index.js';
import type { Dialect } from './dialects.js';
import type { SimSender } from './output.js';
import type { CommandResponder } from './responder.js';
import type { Scenario } from './scenario.js';
import type { SimSession } from './session.js';

/** Channels a silent-negotiation server streams on unasked, per endpoint (our client's defaults). */
const UNASKED_CHANNELS: Readonly<Record<EndpointName, readonly string[]>> = { agents: ['perf-metrics'], graph: ['coordination'], control: ['alerts'] };

export interface InboundOptions {
  heartbeatIntervalMs: number;
  legacyAfterMs: number;
  versions: string[];
  compression: CompressionAlgorithm[];
}

export interface InboundStats {
  acks: number;
  ackMessages: Record<string, unknown>[];
  clientHeartbeats: number;
  versionRefusals: number;
}

export class Inbound {
  constructor(
    private readonly out: SimSender,
    private readonly dialect: Dialect,
    private readonly options: InboundOptions,
    private readonly stats: InboundStats,
    private readonly scenario: Pick<Scenario, 'sendFullState'>,
    private readonly responder: Pick<CommandResponder, 'onCommand'>,
  ) {}

  /** A new session: a dialect that streams at once starts serving it now. */
  connected(s: SimSession): void {
    if (this.dialect.serveAt !== 'connect') return;
    s.step = 'negotiating';
    this.serveUnnegotiated(s);
  }

  /** The session is gone: its pending legacy serve with it. */
  closed(s: SimSession): void {
    this.clearLegacy(s);
  }

  /** One WebSocket message from the client. */
  message(s: SimSession, data: unknown, isBinary: boolean): void {
    if (isBinary) return this.out.sendJson(s, this.out.visError('INVALID_MESSAGE', 'the server accepts JSON text messages only'));
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return this.out.sendJson(s, this.out.visError('INVALID_MESSAGE', 'not JSON'));
    }
    this.onClientMessage(s, msg);
  }

  private onClientMessage(s: SimSession, msg: unknown): void {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.out.sendJson(s, this.out.visError('INVALID_MESSAGE', 'expected a JSON object'));
    const m = msg as Record<string, unknown>;
    switch (m.type) {
      case 'handshake':
        return this.onHandshake(s);
      case 'version.negotiate':
        return this.onVersion(s, m);
      case 'compression.negotiate':
        return this.onCompression(s, m);
      case 'channel.create':
        return this.onChannelCreate(s, m);
      case 'heartbeat':
        this.stats.clientHeartbeats++;
        return;
      case 'ack':
        this.stats.acks++;
        if (this.stats.ackMessages.length < 10_000) this.stats.ackMessages.push(m);
        return;
      case 'command':
      case 'control.execute':
      case 'control.multi-agent.configure':
        return this.responder.onCommand(s, m);
      default: {
        const requestId = typeof m.request_id === 'string' ? m.request_id : typeof m.id === 'string' ? m.id : undefined;
        return this.out.sendJson(s, this.out.visError('INVALID_MESSAGE', `unknown message type ${JSON.stringify(m.type)}`, requestId ? { requestId } : {}));
      }
    }
  }

  private onHandshake(s: SimSession): void {
    const d = this.dialect;
    if (d.ack !== 'none') {
      const snake = d.ack === 'snake';
      this.out.sendJson(s, {
        type: 'handshake_ack',
        [snake ? 'session_id' : 'sessionId']: s.sessionId,
        protocols: [...d.protocols],
        [snake ? 'heartbeat_interval' : 'heartbeatInterval']: this.options.heartbeatIntervalMs,
        compression: 'zlib',
        [snake ? 'server_time' : 'serverTime']: this.out.iso(),
      });
    }
    if (s.step !== 'handshake') return;
    s.step = 'negotiating';
    if (d.serveAt === 'ack') return this.serveUnnegotiated(s);
    this.clearLegacy(s);
    s.legacyTimer = this.out.later(() => {
      this.clearLegacy(s);
      if (s.step !== 'negotiating' || s.negotiated || !this.out.sessions.has(s)) return;
      // Never negotiated: serve it as 1.1 (binary, no compression, no channels).
      this.serveUnnegotiated(s);
    }, this.options.legacyAfterMs);
  }

  /** A session that streams without negotiating: the dialect's version, unasked channels and compression. */
  private serveUnnegotiated(s: SimSession): void {
    const d = this.dialect;
    s.version = d.serveAs;
    s.features = featuresOf(d.serveAs);
    s.step = 'live';
    if (d.unaskedCompression && s.features.has('compression')) s.compression = d.unaskedCompression;
    if (d.unaskedChannels) {
      for (const id of UNASKED_CHANNELS[s.endpoint]) s.channels.set(id, { spec: { channelId: id }, seq: 1, held: null });
    }
    if (s.endpoint === 'agents') this.scenario.sendFullState(s);
  }

  private clearLegacy(s: SimSession): void {
    if (!s.legacyTimer) return;
    this.out.cancel(s.legacyTimer);
    s.legacyTimer = null;
  }

  private onVersion(s: SimSession, m: Record<string, unknown>): void {
    if (this.dialect.replies === 'none') return;
    const client = Array.isArray(m.supported) ? m.supported.filter((v): v is string => typeof v === 'string') : [];
    const preferred = typeof m.preferred === 'string' ? m.preferred : undefined;
    const server = this.out.faults.refuseVersions ? ['3.0'] : this.options.versions;
    const selected = selectVersion(client, preferred, server);
    s.negotiated = true;
    this.clearLegacy(s);
    if (this.dialect.replies === 'seed') {
      // The seed's own shape: the server's lists, no "selected" (the client picks from them).
      this.out.sendJson(s, versionNegotiateMessage(server));
    } else {
      this.out.sendJson(s, versionReplyMessage(server, selected));
    }
    if (selected === null) {
      this.stats.versionRefusals++;
      this.out.later(() => s.ws.close(4002, 'no common protocol version'), this.out.faults.delayMs + 50);
      return;
    }
    const wasLive = s.step === 'live';
    s.version = selected;
    s.features = featuresOf(selected);
    s.step = 'live';
    if (!wasLive && s.endpoint === 'agents') this.scenario.sendFullState(s);
  }

  private onCompression(s: SimSession, m: Record<string, unknown>): void {
    if (this.dialect.replies === 'none') return;
    const asked = Array.isArray(m.algorithms) ? m.algorithms.filter((v): v is string => typeof v === 'string') : [];
    let chosen: CompressionAlgorithm | null = null;
    for (const a of asked) {
      const alg = normaliseAlgorithm(a);
      if (alg && this.options.compression.includes(alg)) {
        chosen = alg;
        break;
      }
    }
    const level = typeof m.preferredLevel === 'number' && Number.isInteger(m.preferredLevel) ? Math.max(0, Math.min(chosen === 'brotli' ? 11 : 9, m.preferredLevel)) : 6;
    s.compression = chosen;
    s.level = level;
    if (this.dialect.replies === 'seed') this.out.sendJson(s, compressionNegotiateMessage(this.options.compression.length ? this.options.compression : ['none'], level));
    else this.out.sendJson(s, compressionReplyMessage(this.options.compression, chosen, level));
  }

  private onChannelCreate(s: SimSession, m: Record<string, unknown>): void {
    if (this.dialect.replies === 'none') return;
    const channelId = typeof m.channelId === 'string' ? m.channelId : '';
    const spec: ChannelSpec = { channelId };
    if (typeof m.priority === 'string') spec.priority = m.priority as Priority;
    if (typeof m.dedicated === 'boolean') spec.dedicated = m.dedicated;
    if (typeof m.bufferSize === 'number') spec.bufferSize = m.bufferSize;
    if (!channelId) return this.out.sendJson(s, this.out.visError('INVALID_MESSAGE', 'channel.create needs a channelId'));
    if (!s.features.has('multiplexing')) return this.out.sendJson(s, channelReplyMessage(spec, 'refused', { reason: `multiplexing needs protocol 2.0 (this session: ${s.version ?? 'none'})` }));
    s.channels.set(channelId, { spec, seq: 1, held: null });
    // seed-echo: the seed's channel.create echoed back, no status or sequence.
    this.out.sendJson(s, this.dialect.replies === 'seed' ? channelCreateMessage(spec) : channelReplyMessage(spec, 'created', { sequence: 1 }));
  }
}
