// The counters of one plane (`PlaneStatus.counters`), one object shared by
// the modules that count: intake (bytes, messages, drops, errors), auth
// (failures, refreshes) and the plane (reconnects, stale, abuse). Commands and
// the inflate budget keep their own counts, merged into status() by the plane.
// Direction: a leaf.

import type { PlaneStatus } from '../../../shared/index.js';

export type PlaneCounters = PlaneStatus['counters'];

export function newCounters(): PlaneCounters {
  return {
    bytesIn: 0,
    messagesIn: 0,
    positionMessages: 0,
    protocolErrors: 0,
    reconnects: 0,
    bytesOut: 0,
    messagesOut: 0,
    framesDropped: 0,
    duplicatesDropped: 0,
    ttlExpired: 0,
    channelGaps: 0,
    channelMissed: 0,
    channelDuplicates: 0,
    acksSent: 0,
    serverErrors: 0,
    staleDetections: 0,
    authFailures: 0,
    tokenRefreshes: 0,
    compressedMessages: 0,
    commandsSent: 0,
    commandsTimedOut: 0,
    commandsRefused: 0,
    inflateBudgetDrops: 0,
    abuseDisconnects: 0,
  };
}
