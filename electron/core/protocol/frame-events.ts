// Binary frames that are events, not columns: COORDINATION_EVENT, HEARTBEAT,
// ERROR, and the decoder's protocol errors become PlaneEvents (without
// seq/plane/at, which the pipeline assigns). Positions, states and metrics go
// to the store as columns instead: one event per agent would swamp the log.

import { type DecodedMessage, type ErrorFrame, type ProtocolError, frameTypeName } from './binary.js';
import { type JsonObject, PRIORITIES } from '../../../shared/index.js';
import { errorCodeName, RECOVERABLE_ERRORS } from './constants.js';
import { type NormalisedEvent, normaliseCoordinationFrame } from './json.js';

/** A bad frame: `protocol.error`, high priority (it cost the rest of its message). */
export function protocolErrorEvent(e: ProtocolError): NormalisedEvent {
  const payload: JsonObject = {
    code: 'INVALID_MESSAGE',
    kind: e.kind,
    frameType: e.frameType,
    frameTypeName: e.frameType < 0 ? null : frameTypeName(e.frameType),
    offset: e.offset,
    reason: e.reason,
    hex: e.hex,
  };
  if (e.batch >= 0) payload.batch = e.batch;
  return { origin: 'client', type: 'protocol.error', priority: 'high', payload };
}

/** A 0xFF ERROR frame: the same `error` event as the JSON one, code by name. */
export function errorFrameEvent(f: ErrorFrame): NormalisedEvent {
  const name = errorCodeName(f.code);
  return {
    origin: 'binary',
    type: 'error',
    priority: PRIORITIES[f.priority & 3]!,
    payload: { code: name, codeNumber: f.code, message: f.message, recoverable: RECOVERABLE_ERRORS[name] ?? false },
  };
}

/** A HEARTBEAT frame; serverTime in ms when it carried one (serverTimeExact as a decimal string past 2^53). */
export function heartbeatEvent(serverTime: number | null, exact?: bigint): NormalisedEvent {
  const payload: JsonObject = {};
  if (serverTime !== null) payload.serverTime = serverTime;
  if (exact !== undefined) payload.serverTimeExact = exact.toString();
  return { origin: 'binary', type: 'heartbeat', priority: 'normal', payload };
}

/**
 * The events of one decoded message, grouped by kind in this order:
 * coordination, heartbeats, error frames, protocol errors (last: a bad frame
 * ends its message). Use DecodeOptions.onFrame when exact wire order matters.
 */
export function binaryEvents(out: DecodedMessage): NormalisedEvent[] {
  const events: NormalisedEvent[] = [];
  for (let i = 0; i < out.coordination.length; i++) {
    events.push(normaliseCoordinationFrame(out.coordination[i]!, out.coordinationPriorities[i] ?? 1));
  }
  for (let i = 0; i < out.heartbeats.length; i++) events.push(heartbeatEvent(out.heartbeats[i]!, out.heartbeatsExact.get(i)));
  for (const f of out.errorFrames) events.push(errorFrameEvent(f));
  for (const e of out.protocolErrors) events.push(protocolErrorEvent(e));
  return events;
}
