// Plane.ingest, the replay path: messages fed to a plane that is never
// connected go through the same decoder, store and events (negotiation
// replies are events only: there is no session to negotiate), and the
// recorder's inbound tap sees each one.

import { describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import type { PlaneEvent } from '../../shared/events.js';
import { encodePositions } from '../../electron/core/protocol/encode.js';

describe('Plane.ingest', () => {
  it('decodes into the store and events without a socket, and taps every message', () => {
    const events: PlaneEvent[] = [];
    const tapped: [string, boolean][] = [];
    const p = new Plane({ id: 'r', label: 'replay', url: 'ws://127.0.0.1:1', color: 0 }, { event: (e) => events.push(e), inbound: (ep, _d, bin) => tapped.push([ep, bin]) });
    const ack = JSON.stringify({ type: 'handshake_ack', sessionId: 's', protocols: ['binary'], heartbeatInterval: 1e12 });
    expect(p.ingest('agents', Buffer.from(ack), false)).toBe(true);
    const frame = encodePositions(Uint32Array.of(4, 5), Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(0, 0, 0, 0, 0, 0), 2);
    p.ingest('agents', Buffer.from(frame), true);
    p.ingest('graph', Buffer.from(JSON.stringify({ id: 'm1', type: 'agent.state.changed', timestamp: new Date().toISOString(), payload: { agentId: 'agent-004', newState: 'EXECUTING' } })), false);
    p.ingest('graph', Buffer.from('{"type": oops'), false);
    expect(p.store.agents).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['handshake_ack', 'agent.state.changed', 'protocol.invalid_message']);
    expect(tapped).toEqual([
      ['agents', false],
      ['agents', true],
      ['graph', false],
      ['graph', false],
    ]);
    // No session: nothing was negotiated, nothing sent, no timer started.
    expect(p.counters.messagesOut).toBe(0);
    expect(p.resources()).toEqual({ sockets: 0, timers: 0, pendingCommands: 0, bufferedChannelMessages: 0 });
    expect(p.conformance()).toEqual([]);
  });
});
