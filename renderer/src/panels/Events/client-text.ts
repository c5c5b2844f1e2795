// The console's own events (client.*) as sentences, like a plane's events are
// shown: never raw JSON. Payload fields are those the core emits
// (electron/core/connection, monitor); a field missing reads as "?".

import type { JsonObject, JsonValue } from '@shared';

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined || v === null ? '?' : JSON.stringify(v));
const secs = (v: JsonValue | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? `${(v / 1000).toFixed(v < 10_000 ? 1 : 0)} s` : '?');
const on = (p: JsonObject): string => (typeof p.endpoint === 'string' ? ` on ${p.endpoint}` : '');

/** A sentence for a client.* event, or null for a type this does not know (the caller falls back). */
export function clientSentence(type: string, p: JsonObject): string | null {
  switch (type) {
    case 'client.agent_lost':
      return `${str(p.agentId)} lost: silent for ${secs(p.silentForMs)} (limit ${secs(p.timeoutMs)})`;
    case 'client.agent_recovered':
      return `${str(p.agentId)} is back after ${secs(p.lostForMs)}`;
    case 'client.auth_required':
      return `the server refused the token${on(p)}${typeof p.status === 'number' ? ` (${p.status})` : ''}: ${str(p.reason)}`;
    case 'client.channel_gap':
      return `channel ${str(p.channel)}${on(p)}: expected sequence ${str(p.expected)}, got ${str(p.received)} (${str(p.missed)} missed)`;
    case 'client.conformance':
    case 'client.warning':
      return `${str(p.message)}${on(p)}${typeof p.code === 'string' ? ` [${p.code}]` : ''}`;
    case 'client.output_dropped':
      return `${str(p.lines)} output lines dropped: ${str(p.reason)}`;
    case 'client.resync':
      return `resynchronised${on(p)}: ${str(p.removed)} agents no longer reported removed, ${str(p.agents)} kept`;
    case 'client.session':
      return `session${on(p)}: protocol ${str(p.version)}, compression ${str(p.compression)}, heartbeat every ${secs(p.heartbeatIntervalMs)}`;
    case 'client.stale':
      return `no traffic${on(p)} for ${secs(p.silentForMs)} (heartbeat every ${secs(p.heartbeatIntervalMs)})`;
    case 'client.tls_insecure':
      return str(p.message);
    case 'client.token_refreshed':
      return `a fresh token from the token command (generation ${str(p.generation)})`;
    case 'client.alert':
      return `alert ${str(p.kind)} ${str(p.state)}${typeof p.agent === 'string' ? ` for ${p.agent}` : ''} (×${str(p.count)})`;
    default:
      return null;
  }
}
