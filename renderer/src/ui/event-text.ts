// One line of text per event for the log panel. Text only: React renders it
// as a text node, so whatever a control plane sends is data, never markup.

import type { PlaneEvent } from '../../../electron/core/protocol/events.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

export function eventText(ev: PlaneEvent): string {
  const p = ev.payload;
  switch (ev.type) {
    case 'agent.state.changed':
      return `${str(p.agentId)} ${str(p.previousState)} → ${str(p.newState)}`;
    case 'message.sent': {
      const to = Array.isArray(p.to) ? p.to.map((t) => (t && typeof t === 'object' && !Array.isArray(t) ? str(t.id) : '?')).join(', ') : '?';
      const from = p.from && typeof p.from === 'object' && !Array.isArray(p.from) ? str(p.from.id) : '?';
      return `${from} → ${to}`;
    }
    case 'client.connection':
      return `${str(p.state)}${p.reason ? `: ${str(p.reason)}` : ''}`;
    case 'protocol.error':
      return `${str(p.frameType)} @${str(p.offset)}: ${str(p.reason)}`;
    case 'error':
    case 'protocol.invalid_message':
      return `${str(p.code)} ${str(p.field ?? '')} ${str(p.message)}`.replace(/\s+/g, ' ');
    default: {
      const s = JSON.stringify(p);
      return s.length > 160 ? `${s.slice(0, 157)}...` : s;
    }
  }
}

export function isErrorEvent(ev: PlaneEvent): boolean {
  return ev.type === 'error' || ev.type.startsWith('protocol.') || ev.type === 'client.auth_required';
}
