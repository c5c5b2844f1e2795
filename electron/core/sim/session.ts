// What the simulator's parts share: one client session as the server sees it,
// and the server's output primitives the scenario streams and the command
// responder send through (faults apply there).

import type { WebSocket } from 'ws';
import type { ChannelSpec, CompressionAlgorithm, EndpointName } from '../protocol/index.js';
import type { Faults } from './faults.js';
import type { World } from './world.js';

export interface SimChannel {
  spec: ChannelSpec;
  seq: number;
  /** reorder-channel: the message held back to be sent after the next one. */
  held: string | null;
}

export interface SimSession {
  ws: WebSocket;
  endpoint: EndpointName;
  sessionId: string;
  step: 'handshake' | 'negotiating' | 'live';
  /** The client negotiated a version (legacy sessions did not). */
  negotiated: boolean;
  /** Serves a client that never negotiates (cleared when it does, or leaves). */
  legacyTimer: NodeJS.Timeout | null;
  version: string | null;
  features: Set<string>;
  compression: CompressionAlgorithm | null;
  level: number;
  channels: Map<string, SimChannel>;
  lastClientMsgAt: number;
  commandTokens: number;
  commandTokensAt: number;
}

export interface SimStats {
  positionMessages: number;
  events: number;
  commands: number;
  rateLimited: number;
  coordinationRounds: number;
  positionEncodes: number;
  compressions: number;
  channelMessages: number;
}

export interface SimOutput {
  readonly world: World;
  readonly faults: Faults;
  readonly stats: SimStats;
  readonly instance: string;
  readonly options: {
    stateChangesPerSecond: number;
    messagesPerSecond: number;
    agentHeartbeatMs: number;
    metricsIntervalMs: number;
    systemMetricsIntervalMs: number;
    coordinationEveryMs: number;
    flowStatsEveryMs: number;
    capabilityEveryMs: number;
  };
  live(endpoint?: EndpointName): SimSession[];
  later(fn: () => void, ms: number): NodeJS.Timeout;
  sendRaw(s: SimSession, data: string | Uint8Array): void;
  sendJson(s: SimSession, msg: object): void;
  sendTopic(s: SimSession, topic: string, text: string, msg: object): void;
  broadcast(endpoint: EndpointName, topic: string, msg: object): void;
  binaryFor(s: SimSession, frames: Uint8Array, cache: Map<string, Uint8Array>): Uint8Array | null;
  nextId(): string;
  serverNow(): number;
  iso(ms?: number): string;
  visMessage(type: string, payload: Record<string, unknown>, metadata?: Record<string, unknown>): Record<string, unknown>;
  visError(code: string, message: string, opts?: { recoverable?: boolean; suggestedAction?: string; requestId?: string; details?: Record<string, unknown> }): Record<string, unknown>;
}
