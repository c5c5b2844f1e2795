// The connection state machine's transition table (connection/state-machine.ts).

import { describe, expect, it } from 'vitest';
import { CONNECTION_STATES, type ConnectionState } from '../../shared/index.js';
import { ConnectionMachine, type ConnectionEvent, TRANSITIONS, type Transition, aggregateState } from '../../electron/core/connection/state-machine.js';

const EVENTS: ConnectionEvent[] = ['connect', 'opened', 'negotiated', 'silent', 'lost', 'retry', 'auth_failed', 'fatal', 'close'];

function at(state: ConnectionState): { m: ConnectionMachine; log: Transition[] } {
  const log: Transition[] = [];
  const m = new ConnectionMachine(state, (t) => log.push(t));
  return { m, log };
}

describe('connection state machine', () => {
  it('has a row for every state of the contract, and every target is a state', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CONNECTION_STATES].sort());
    for (const row of Object.values(TRANSITIONS)) for (const to of Object.values(row)) expect(CONNECTION_STATES).toContain(to);
  });

  it('walks the happy path and a reconnect with reasons', () => {
    const { m, log } = at('CLOSED');
    expect(m.fire('connect', 'connecting')).toBe(true);
    expect(m.fire('opened', 'handshaking')).toBe(true);
    expect(m.fire('negotiated', 'ignored when LIVE')).toBe(true);
    expect(m.state).toBe('LIVE');
    expect(m.reason).toBeUndefined();
    expect(m.fire('silent', 'no heartbeat for 410 ms')).toBe(true);
    expect(m.fire('lost', 'stale; retrying in 800 ms')).toBe(true);
    expect(m.fire('retry')).toBe(true);
    expect(log.map((t) => `${t.from}>${t.to}`)).toEqual([
      'CLOSED>CONNECTING',
      'CONNECTING>HANDSHAKING',
      'HANDSHAKING>LIVE',
      'LIVE>STALE',
      'STALE>RECONNECTING',
      'RECONNECTING>CONNECTING',
    ]);
    expect(log[3]!.reason).toBe('no heartbeat for 410 ms');
  });

  it('refuses every transition the table does not list, without changing state or notifying', () => {
    for (const from of CONNECTION_STATES) {
      for (const ev of EVENTS) {
        const { m, log } = at(from);
        const ok = m.fire(ev, 'x');
        const to = TRANSITIONS[from][ev];
        expect(ok).toBe(to !== undefined);
        expect(m.state).toBe(to ?? from);
        if (to === undefined) expect(log).toEqual([]);
      }
    }
  });

  it('has no way out of AUTH_REQUIRED or FAILED but an explicit connect (no retry loop), and none into LIVE but negotiation (or a STALE session heard again)', () => {
    for (const dead of ['AUTH_REQUIRED', 'FAILED'] as const) {
      const exits = Object.entries(TRANSITIONS[dead]).filter(([, to]) => to !== dead);
      expect(exits.map(([ev]) => ev).sort()).toEqual(['close', 'connect']);
      expect(new ConnectionMachine(dead).fire('retry')).toBe(false);
      expect(new ConnectionMachine(dead).fire('lost')).toBe(false);
    }
    // Into LIVE: negotiation, or a STALE session heard again (its session was negotiated already).
    const intoLive: [string, string][] = [];
    for (const from of CONNECTION_STATES) for (const [ev, to] of Object.entries(TRANSITIONS[from])) if (to === 'LIVE') intoLive.push([from, ev]);
    expect(intoLive.sort()).toEqual([
      ['HANDSHAKING', 'negotiated'],
      ['STALE', 'revived'],
    ]);
  });

  it('explain() changes the reason only', () => {
    const { m, log } = at('RECONNECTING');
    m.explain('retrying in 2000 ms');
    expect(m.state).toBe('RECONNECTING');
    expect(m.reason).toBe('retrying in 2000 ms');
    expect(log).toEqual([{ from: 'RECONNECTING', to: 'RECONNECTING', event: 'explain', reason: 'retrying in 2000 ms' }]);
  });

  it('aggregates to the least advanced endpoint', () => {
    expect(aggregateState(['LIVE', 'LIVE', 'LIVE'])).toEqual({ state: 'LIVE', index: 0 });
    expect(aggregateState(['LIVE', 'STALE', 'LIVE'])).toEqual({ state: 'STALE', index: 1 });
    expect(aggregateState(['LIVE', 'RECONNECTING', 'AUTH_REQUIRED'])).toEqual({ state: 'AUTH_REQUIRED', index: 2 });
    expect(aggregateState(['AUTH_REQUIRED', 'FAILED'])).toEqual({ state: 'FAILED', index: 1 });
    expect(aggregateState([]).state).toBe('CLOSED');
  });
});
