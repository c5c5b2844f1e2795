// What a plane shows (PlaneStatus, docs/PROTOCOL.md "Connection state
// machine"): its state and reason, agents and limits, rates, each endpoint's
// session, the counters of every part, the server clock and the conformance
// notes, gathered from the parts that keep them.
// Direction: plane.ts → status.ts → the parts it reads (types only).

import type { PlaneStatus } from '../../../shared/index.js';
import type { AgentStore } from '../store/index.js';
import type { AgentLiveness } from './agent-liveness.js';
import type { ServerClock } from './clock.js';
import type { Commands } from './commands.js';
import type { ConformanceNotes } from './conformance.js';
import type { PlaneCounters } from './counters.js';
import type { EndpointSession } from './endpoint-session.js';
import type { PlaneConfig } from './plane-config.js';
import type { RateMeter } from './rates.js';

export type EndpointStatus = NonNullable<PlaneStatus['endpoints']>[number];

export interface StatusSources {
  config: PlaneConfig;
  state: PlaneStatus['state'];
  reason: string | undefined;
  /** Since when the plane, once LIVE, has been without its connection (undefined: not down). */
  downSince: number | undefined;
  insecure: boolean;
  store: AgentStore;
  liveness: AgentLiveness;
  sessions: readonly EndpointSession[];
  counters: PlaneCounters;
  commands: Commands;
  inflateBudgetDrops: number;
  bytesRate: RateMeter;
  messagesRate: RateMeter;
  clock: ServerClock;
  notes: ConformanceNotes;
  caps: { channelsRefused: number; dedupeKeysHashed: number };
}

export function planeStatus(p: StatusSources): PlaneStatus {
  const { config, store, liveness, clock } = p;
  const s: PlaneStatus = {
    plane: config.id,
    label: config.label,
    color: config.color,
    url: config.url,
    state: p.state,
    agents: store.agents,
    agentsLost: liveness.lost,
    insecure: p.insecure,
    // Agents past the cap are refused by the store (positions, states) and by liveness (JSON-only ids) alike.
    limits: { ...store.limits, agentsRefused: store.limits.agentsRefused + liveness.refused, channelsRefused: p.caps.channelsRefused, dedupeKeysHashed: p.caps.dedupeKeysHashed, livenessRefused: liveness.charsRefused },
    rates: { bytesPerSec: Math.max(0, Math.round(p.bytesRate.perSecond)), messagesPerSec: Math.max(0, Math.round(p.messagesRate.perSecond)) },
    endpoints: p.sessions.map(endpointStatus),
    counters: {
      ...p.counters,
      commandsSent: p.commands.counters.sent,
      commandsTimedOut: p.commands.counters.timedOut,
      commandsRefused: p.commands.counters.refused,
      inflateBudgetDrops: p.inflateBudgetDrops,
    },
  };
  if (p.reason !== undefined) s.reason = p.reason;
  if (p.downSince !== undefined) s.downSince = p.downSince;
  const retries = p.sessions.map((x) => x.retryAt).filter((t): t is number => t !== undefined);
  if (retries.length > 0) s.retryAt = Math.min(...retries);
  if (config.replay) s.replay = true;
  if (clock.offsetMs !== undefined) s.serverClockOffsetMs = Math.round(clock.offsetMs);
  if (clock.uncertaintyMs !== undefined) s.serverClockUncertaintyMs = Math.round(clock.uncertaintyMs);
  if (clock.latencyMs !== undefined) s.lastLatencyMs = clock.latencyMs;
  const notes = p.notes.summary();
  if (notes.length) s.conformance = notes;
  return s;
}

export function endpointStatus(x: EndpointSession): EndpointStatus {
  const e: EndpointStatus = { endpoint: x.name, state: x.machine.state, attempt: x.backoff.attempts };
  if (x.machine.reason !== undefined) e.reason = x.machine.reason;
  if (x.version !== undefined) e.version = x.version;
  if (x.compression !== undefined) e.compression = x.compression;
  if (x.sessionId !== undefined) e.sessionId = x.sessionId;
  if (x.heartbeatMs > 0) e.heartbeatIntervalMs = x.heartbeatMs;
  return e;
}
