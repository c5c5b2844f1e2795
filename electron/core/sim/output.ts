// The simulator's send side: every message the server sends goes through
// here, so the output faults (silence, delay, the channel faults) apply to
// all of it. It keeps the sessions, composes the visualisation envelopes and
// errors, and shares one encoding of a binary message between the sessions
// that negotiated the same compression. The scenario, the command responder
// and the session negotiation all send through it (SimOutput).

import { channelMessage, deflaterFor, encodeCompressedBatch, type EndpointName, RECOVERABLE_ERRORS } from '../protocol/index.js';
import type { Faults } from './faults.js';
import type { SimOutput, SimSession, SimStats } from './session.js';
import type { World } from './world.js';

export class SimSender implements SimOutput {
  /** Every connected session (negotiating or live). */
  readonly sessions = new Set<SimSession>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private msgSeq = 0;

  constructor(
    readonly world: World,
    /** Live fault switches: read on every message. */
    readonly faults: Faults,
    readonly stats: SimStats,
    readonly options: SimOutput['options'] & { compressThreshold: number },
    /** Message ids are unique across simulator instances (a restarted server must not look like a replay). */
    readonly instance: string,
  ) {}

  live(endpoint?: EndpointName): SimSession[] {
    const out: SimSession[] = [];
    for (const s of this.sessions) if (s.step === 'live' && (endpoint === undefined || s.endpoint === endpoint)) out.push(s);
    return out;
  }

  /** Runs `fn` after `ms` unless the server stops first. */
  later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.pendingTimers.delete(t);
      fn();
    }, ms);
    this.pendingTimers.add(t);
    return t;
  }

  /** A `later` that will not run. */
  cancel(t: NodeJS.Timeout): void {
    clearTimeout(t);
    this.pendingTimers.delete(t);
  }

  /** Cancels everything pending and closes every session's socket (the server stops). */
  closeAll(): void {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
  }

  /** Every outgoing message goes through here: silence and delay faults apply. */
  sendRaw(s: SimSession, data: string | Uint8Array): void {
    if (this.faults.silence) return;
    if (this.faults.delayMs > 0) {
      this.later(() => {
        if (s.ws.readyState === s.ws.OPEN) s.ws.send(data);
      }, this.faults.delayMs);
      return;
    }
    if (s.ws.readyState === s.ws.OPEN) s.ws.send(data);
  }

  sendJson(s: SimSession, msg: object): void {
    this.sendRaw(s, JSON.stringify(msg));
  }

  /** On the session's channel of that name (sequence, channel faults), else plain. */
  sendTopic(s: SimSession, topic: string, text: string, msg: object): void {
    const ch = s.channels.get(topic);
    if (!ch) return this.sendRaw(s, text);
    const f = this.faults;
    let seq = ch.seq++;
    if (f.skipChannelEvery > 0 && seq % f.skipChannelEvery === 0) seq = ch.seq++;
    const wrapped = JSON.stringify(channelMessage(topic, seq, msg));
    this.stats.channelMessages++;
    if (f.reorderChannel) {
      if (ch.held === null) {
        ch.held = wrapped;
        return;
      }
      this.sendRaw(s, wrapped);
      this.sendRaw(s, ch.held);
      ch.held = null;
    } else {
      if (ch.held !== null) {
        this.sendRaw(s, ch.held);
        ch.held = null;
      }
      this.sendRaw(s, wrapped);
    }
    if (f.duplicateChannel) this.sendRaw(s, wrapped);
  }

  /** One message to every live session of an endpoint (serialised once; per session only when on a channel). */
  broadcast(endpoint: EndpointName, topic: string, msg: object): void {
    const text = JSON.stringify(msg);
    for (const s of this.live(endpoint)) {
      this.sendTopic(s, topic, text, msg);
      this.stats.events++;
    }
  }

  /** Binary for sessions that negotiated it: one encoding per tick per algorithm, shared by all sessions. */
  binaryFor(s: SimSession, frames: Uint8Array, cache: Map<string, Uint8Array>): Uint8Array | null {
    if (!s.features.has('binary')) return null;
    if (s.compression === null || frames.byteLength < this.options.compressThreshold) return frames;
    const key = `${s.compression}:${s.level}`;
    let out = cache.get(key);
    if (!out) {
      out = encodeCompressedBatch(frames, deflaterFor(s.compression, s.level));
      this.stats.compressions++;
      cache.set(key, out);
    }
    return out;
  }

  nextId(): string {
    return `sim-${this.instance}-${++this.msgSeq}`;
  }

  serverNow(): number {
    return Date.now() + this.faults.clockSkewMs;
  }

  iso(ms = this.serverNow()): string {
    return new Date(ms).toISOString();
  }

  visMessage(type: string, payload: Record<string, unknown>, metadata?: Record<string, unknown>): Record<string, unknown> {
    const m: Record<string, unknown> = { id: this.nextId(), type, timestamp: this.iso(), payload };
    if (metadata) m.metadata = metadata;
    return m;
  }

  visError(code: string, message: string, opts: { recoverable?: boolean; suggestedAction?: string; requestId?: string; details?: Record<string, unknown> } = {}): Record<string, unknown> {
    const details: Record<string, unknown> = { component: 'swarmdeck-simulator', ...opts.details };
    if (opts.requestId !== undefined) details.requestId = opts.requestId;
    const payload: Record<string, unknown> = { code, message, details, recoverable: opts.recoverable ?? RECOVERABLE_ERRORS[code] ?? true };
    if (opts.suggestedAction !== undefined) payload.suggestedAction = opts.suggestedAction;
    return this.visMessage('error', payload, opts.requestId !== undefined ? { correlationId: opts.requestId, priority: 'high' } : { priority: 'high' });
  }
}
