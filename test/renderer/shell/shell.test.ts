import { describe, expect, it } from 'vitest';
import type { PlaneEvent, PlaneStatus } from '@shared';
import type { Action } from '../../../renderer/src/shell/actions.js';
import { NoteLimiter, notesFor, type Note } from '../../../renderer/src/shell/notify.js';
import { actionForKey } from '../../../renderer/src/shell/shortcuts.js';

const act = (id: string): Action => ({ id, title: id, group: 'g', run: () => undefined });
const actions = ['palette', 'help', 'fit', 'search', 'next-error', 'pause', 'clear-selection'].map(act);
const key = (k: string, o: Partial<{ ctrlKey: boolean; metaKey: boolean; target: EventTarget | null }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: null, ...o });

describe('shortcuts', () => {
  it('map single keys and Ctrl+K, and leave keys typed into a field alone', () => {
    expect(actionForKey(key('f'), actions)?.id).toBe('fit');
    expect(actionForKey(key('/'), actions)?.id).toBe('search');
    expect(actionForKey(key('n'), actions)?.id).toBe('next-error');
    expect(actionForKey(key('p'), actions)?.id).toBe('pause');
    expect(actionForKey(key('?'), actions)?.id).toBe('help');
    expect(actionForKey(key('k', { ctrlKey: true }), actions)?.id).toBe('palette');
    expect(actionForKey(key('f', { ctrlKey: true }), actions)).toBeUndefined();
    const input = { tagName: 'INPUT', isContentEditable: false } as unknown as EventTarget;
    expect(actionForKey(key('f', { target: input }), actions)).toBeUndefined();
    expect(actionForKey(key('k', { metaKey: true, target: input }), actions)?.id).toBe('palette');
  });
});

describe('notifications', () => {
  const plane = (state: PlaneStatus['state']): PlaneStatus => ({ plane: 'p', label: 'Plane <b>P</b>', color: 0, url: '', state, agents: 0, counters: {} as PlaneStatus['counters'] });
  const toError = (agent: string): PlaneEvent => ({ seq: 0, plane: 'p', at: 0, origin: 'vis', type: 'agent.state.changed', priority: 'normal', payload: { agentId: agent, newState: 'ERROR' } });
  it('raise one for an agent going to ERROR and one for a plane lost, none for a muted plane', () => {
    const notes = notesFor([toError('agent-1')], [plane('RECONNECTING')], [plane('LIVE')], []);
    expect(notes.map((n) => n.title)).toEqual(['Plane <b>P</b> is RECONNECTING', 'agent-1 is in ERROR']);
    expect(notesFor([toError('agent-1')], [plane('FAILED')], [plane('LIVE')], ['p'])).toEqual([]);
    // Back from RECONNECTING: restored; DOWN (downSince) is how a lost plane is named.
    expect(notesFor([], [plane('LIVE')], [plane('RECONNECTING')], []).map((n) => n.title)).toEqual(['Plane <b>P</b> is LIVE again']);
    expect(notesFor([], [{ ...plane('RECONNECTING'), downSince: 1 }], [plane('LIVE')], []).map((n) => n.title)).toEqual(['Plane <b>P</b> is DOWN']);
    expect(notesFor([], [plane('AUTH_REQUIRED')], [plane('CONNECTING')], []).map((n) => n.title)).toEqual(['Plane <b>P</b> refused the token']);
  });
  it('plane notifications are never held back by an agent-notification storm', () => {
    const shown: Note[] = [];
    const l = new NoteLimiter((n) => shown.push(n), 2);
    const agents = Array.from({ length: 50 }, (_, i): Note => ({ title: `agent ${i}`, body: '', tag: `agent:p:${i}` }));
    l.push(agents, 0);
    l.push([{ title: 'Plane P is DOWN', body: '', tag: 'plane:p' }], 10);
    expect(shown.map((x) => x.title)).toEqual(['agent 0', 'agent 1', 'Plane P is DOWN']);
  });
  it('are rate-limited per minute, the rest grouped into one summary', () => {
    const shown: Note[] = [];
    const l = new NoteLimiter((n) => shown.push(n), 2);
    const n = (i: number): Note => ({ title: `t${i}`, body: '', tag: `agent:p:${i}` });
    l.push([n(1), n(2), n(3), n(4)], 0);
    expect(shown.map((x) => x.title)).toEqual(['t1', 't2']);
    l.roll(30_000);
    expect(shown).toHaveLength(2);
    l.roll(60_000);
    expect(shown.map((x) => x.title)).toEqual(['t1', 't2', '2 more alerts']);
    expect(shown[2]!.body).toMatch(/2 agents went to ERROR/);
    l.push([n(5)], 60_001);
    expect(shown).toHaveLength(4);
  });
});
