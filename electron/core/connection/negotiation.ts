// The best-effort negotiation of one endpoint session, step by step:
// handshake → handshake_ack → version.negotiate → compression.negotiate →
// live, then channel.create per profile channel on 2.0 sessions. Each step
// waits for its reply, but the whole sequence is bounded by
// `negotiationWaitMs` from the upgrade: what is unanswered then is assumed
// (docs/PROTOCOL.md, "What the client assumes"), with a conformance note, and
// the session goes live. It never gates data and never reconnects; only "no
// common version" is fatal.
// Direction: endpoint-session.ts → negotiation.ts → NegotiationPort (declared
// here, implemented by the session). Replies reach it through the session.

import {
  type AckFields,
  channelCreateMessage,
  type ChannelSpec,
  chooseVersion,
  CLIENT_VERSION,
  type CompressionAlgorithm,
  compressionNegotiateMessage,
  featuresOf,
  handshakeMessage,
  normaliseAlgorithm,
  readChannelReply,
  readCompressionReply,
  readHandshakeAck,
  readVersionReply,
  versionNegotiateMessage,
} from '../protocol/index.js';
import type { JsonObject } from '../../../shared/index.js';
import { quote } from './conformance.js';
import type { PlaneSettings } from './plane-config.js';
import type { Timers } from './timers.js';

export type Step = 'upgrade' | 'handshake' | 'version' | 'compression' | 'live';

/** The version a session assumes when the server does not answer version.negotiate. */
export const ASSUMED_VERSION = '1.1';
const CAPABILITIES = ['binary', 'compression', 'multiplexing'];

export interface NegotiationPort {
  send(message: Record<string, unknown>): boolean;
  note(code: string, message: string): void;
  /** A client warning about the session (e.g. NO_HANDSHAKE_ACK). */
  warning(code: string, message: string): void;
  /** A client error about the session that does not end it (e.g. CHANNEL_REFUSED). */
  problem(code: string, message: string): void;
  /** Retrying cannot help (no common version). */
  fail(code: string, reason: string): void;
  /** Messages received this session so far. */
  readonly received: number;
  /** handshake_ack: the server's heartbeat interval (undefined: the default) and clock. */
  acked(heartbeatInterval: number | undefined, sentAt: number, receivedAt: number, serverTime: string | undefined, late: boolean): void;
  /** The compression algorithm to expect: a hint (the ack) or the negotiated one; null: none. */
  compression(algorithm: CompressionAlgorithm | null): void;
  /** The handshake is done or waived: commands may go. */
  ready(): void;
  /** Negotiation is over (version, compression known or assumed): the session is LIVE. */
  negotiated(): void;
  /** After `negotiated` and the channels' creation: the session's work may start. */
  live(): void;
  /** Channels about to be created (before their channel.create goes out). */
  channels(specs: readonly ChannelSpec[]): void;
  /** The server named a channel's first sequence. */
  channelStart(channelId: string, sequence: number): void;
}

export class Negotiation {
  step: Step = 'upgrade';
  sessionId: string | undefined;
  version: string | undefined;
  features: ReadonlySet<string> = new Set<string>();
  /** Negotiated algorithm; null: none; undefined: not negotiated. */
  compression: string | null | undefined;
  /** The handshake is done or waived: commands may go. */
  ready = false;
  /** handshake_ack fields as received (for probe). */
  ack: JsonObject | undefined;
  private openedAt = 0;
  private handshakeSentAt = 0;
  private ackReceived = false;
  private pendingChannels = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly settings: PlaneSettings,
    /** The session's timers (so ending the session clears these too). */
    private readonly timers: Timers,
    private readonly port: NegotiationPort,
  ) {}

  /** A new socket: everything negotiated before is forgotten. */
  reset(): void {
    this.step = 'upgrade';
    this.sessionId = undefined;
    this.version = undefined;
    this.features = new Set();
    this.compression = undefined;
    this.ready = false;
    this.ack = undefined;
    this.openedAt = 0;
    this.handshakeSentAt = 0;
    this.ackReceived = false;
    this.pendingChannels = new Set();
  }

  /** The session ended: nothing more to negotiate (what was negotiated stays readable). */
  end(): void {
    this.step = 'upgrade';
    this.ready = false;
  }

  /** The upgrade succeeded: send the handshake and start the wait. */
  start(clientId: string, now: number): void {
    this.openedAt = now;
    this.step = 'handshake';
    this.handshakeSentAt = now;
    this.port.send(handshakeMessage(CLIENT_VERSION, clientId, CAPABILITIES));
    this.timers.timeout('negotiation', this.settings.negotiationWaitMs, () => this.onWait());
  }

  /** A session reply (already published as an event): the next step. */
  reply(type: string, fields: Record<string, unknown>): void {
    switch (type) {
      case 'handshake_ack':
        return this.onAck(readHandshakeAck(fields), fields);
      case 'version.negotiate':
        return this.onVersion(fields);
      case 'compression.negotiate':
        return this.onCompression(fields);
      case 'channel.create':
        return this.onChannel(fields);
    }
  }

  private onAck(a: AckFields, raw: Record<string, unknown>): void {
    if (this.ackReceived) return;
    this.ackReceived = true;
    this.ack = raw as JsonObject;
    const now = Date.now();
    const late = this.step !== 'handshake';
    const note = this.port.note.bind(this.port);
    if (a.snakeCase.length) note('ack_snake_case', `handshake_ack uses snake_case field names (${a.snakeCase.join(', ')}): read as their camelCase names`);
    const missing = a.missing.filter((m) => !(m === 'heartbeatInterval' && a.heartbeatInterval !== undefined));
    if (missing.length) note('ack_partial', `handshake_ack has no ${missing.join(', ')}: ${missing.includes('heartbeatInterval') ? `heartbeat interval assumed ${this.settings.heartbeat.defaultMs} ms` : 'not needed to go on'}`);
    if (a.sessionId !== undefined) this.sessionId = a.sessionId;
    // The ack names the algorithm until negotiated: a hint for the detecting inflater (brotli has no header).
    const hint = a.compression === undefined ? undefined : a.compression === null ? null : normaliseAlgorithm(a.compression);
    this.port.acked(a.heartbeatInterval, this.handshakeSentAt, now, a.serverTime, late);
    if (hint !== undefined) this.port.compression(hint);
    if (late) {
      note('ack_late', `handshake_ack arrived ${now - this.openedAt} ms after the upgrade, after the ${this.settings.negotiationWaitMs} ms wait: its fields were applied, negotiation was not restarted`);
      return;
    }
    this.markReady();
    this.step = 'version';
    this.port.send(versionNegotiateMessage(this.settings.versions));
  }

  private markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.port.ready();
  }

  private onVersion(fields: Record<string, unknown>): void {
    if (this.step !== 'version') {
      if (this.step === 'live' && this.version === undefined) this.port.note('version_late', 'a version.negotiate reply arrived after the wait: ignored, the session keeps the assumed version');
      return;
    }
    const r = readVersionReply(fields);
    const c = chooseVersion(this.settings.versions, r);
    if (c.version === null) return this.port.fail('VERSION_UNSUPPORTED', `${this.name}: ${c.why}`);
    if (c.how !== 'selected') {
      const rule = c.how === 'preferred' ? `the server's preferred ${c.version}` : `${c.version}, the highest version both support`;
      this.port.note(
        'version_no_selected',
        `the version.negotiate reply has no "selected" (server supports ${r.supported.join(', ') || 'nothing listed'}${r.preferred ? `, prefers ${r.preferred}` : ''}): the client took ${rule}`,
      );
    }
    this.version = c.version;
    this.features = featuresOf(c.version);
    const offer = this.settings.compression;
    if (!this.features.has('compression') || offer === false) {
      this.compression = null;
      return this.goLive();
    }
    this.step = 'compression';
    this.port.send(compressionNegotiateMessage(offer.algorithms, offer.level));
  }

  private onCompression(fields: Record<string, unknown>): void {
    if (this.step !== 'compression') return;
    const r = readCompressionReply(fields);
    const offer = this.settings.compression;
    const offered: readonly CompressionAlgorithm[] = offer === false ? [] : offer.algorithms;
    if (r.selected === undefined) {
      this.compression = null;
      this.port.note(
        'compression_no_selected',
        `the compression.negotiate reply has no "selected" (server lists ${r.algorithms.join(', ') || 'nothing'}): no compression assumed; compressed frames are inflated by their header (zlib, gzip, raw deflate)`,
      );
    } else if (r.selected === null) {
      this.compression = null;
    } else {
      const alg = normaliseAlgorithm(r.selected);
      if (alg === null) {
        this.compression = null;
        this.port.note('compression_unknown', `the server chose compression ${quote(r.selected)}, which this client does not know: compressed frames are inflated by their header`);
      } else {
        if (!offered.includes(alg)) this.port.note('compression_not_offered', `the server chose compression ${alg}, which this client did not offer (${offered.join(', ')}): accepted`);
        this.compression = alg;
        this.port.compression(alg);
      }
    }
    this.goLive();
  }

  private onChannel(fields: Record<string, unknown>): void {
    const r = readChannelReply(fields);
    if (r.channelId === undefined) return;
    this.pendingChannels.delete(r.channelId);
    if (r.status === 'refused') {
      this.port.problem('CHANNEL_REFUSED', `${this.name}: the server refused channel ${r.channelId}${r.reason ? `: ${r.reason}` : ''}`);
      return;
    }
    if (r.status === undefined) this.port.note('channel_no_status', `the channel.create reply for ${r.channelId} has no "status": taken as created`);
    if (r.sequence !== undefined) this.port.channelStart(r.channelId, r.sequence);
  }

  /**
   * The wait for optional replies is over: go LIVE on the assumptions. The
   * upgrade succeeded, so the plane is there (data flowing says so too); a
   * server that then sends nothing is caught by the stale timer.
   */
  private onWait(): void {
    if (this.step === 'live' || this.step === 'upgrade') return;
    const wait = this.settings.negotiationWaitMs;
    if (this.step === 'handshake') {
      const hb = this.settings.heartbeat.defaultMs;
      const flowing = this.port.received > 0 ? 'data is flowing' : 'nothing received yet; the stale timer watches it';
      this.port.note('no_handshake_ack', `no handshake_ack within ${wait} ms: went LIVE without one (${flowing}; heartbeat interval assumed ${hb} ms)`);
      this.port.warning('NO_HANDSHAKE_ACK', `${this.name}: no handshake_ack within ${wait} ms; went LIVE without one (${flowing})`);
      this.markReady();
    }
    if (this.step === 'handshake' || this.step === 'version') {
      const why = this.step === 'handshake' ? 'no handshake_ack, so no version was negotiated' : `the server did not answer version.negotiate within ${wait} ms`;
      this.port.note('version_assumed', `version assumed ${ASSUMED_VERSION}: ${why}`);
      this.version = ASSUMED_VERSION;
      this.features = featuresOf(ASSUMED_VERSION);
    }
    this.compression = null;
    this.port.note('compression_assumed', 'no compression negotiated: compressed frames are still inflated, the algorithm read from their header (zlib, gzip, raw deflate)');
    this.goLive();
  }

  private goLive(): void {
    this.timers.clear('negotiation');
    this.step = 'live';
    this.markReady();
    this.port.negotiated();
    if (this.features.has('multiplexing')) this.createChannels();
    this.port.live();
  }

  /** One channel.create per profile channel of this endpoint; unanswered ones are noted after the wait. */
  private createChannels(): void {
    const wait = this.settings.negotiationWaitMs;
    const specs = this.settings.channels.filter((spec) => (spec.endpoint ?? 'agents') === this.name);
    if (!specs.length) return;
    this.port.channels(specs);
    for (const spec of specs) {
      this.pendingChannels.add(spec.channelId);
      this.port.send(channelCreateMessage(spec));
    }
    this.timers.timeout('channels', wait, () => {
      for (const id of this.pendingChannels) {
        this.port.note(`channel_unanswered:${id}`, `channel.create ${id} was not answered within ${wait} ms: its messages are accepted whenever they arrive`);
      }
      this.pendingChannels.clear();
    });
  }
}
