// Events the client raises itself (origin `client`): connection changes,
// conformance notes, its own errors. Built here once so every module words
// a client error the same way (code, message, recoverable, suggestedAction).
// Direction: a leaf; plane.ts and intake.ts use it.

import type { JsonObject, PlaneEvent } from '../../../shared/index.js';
import type { NormalisedEvent } from '../protocol/index.js';
import { suggestedAction } from './errors.js';

export function clientEvent(type: string, priority: PlaneEvent['priority'], payload: JsonObject): NormalisedEvent {
  return { origin: 'client', type, priority, payload };
}

/** `client.error` about one endpoint. */
export function clientError(endpoint: string, code: string, message: string, recoverable: boolean): NormalisedEvent {
  return clientEvent('client.error', 'high', { endpoint, code, message, recoverable, suggestedAction: suggestedAction(code) });
}
