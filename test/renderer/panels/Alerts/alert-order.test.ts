// The Alerts panel's order (panels/Alerts/alert-order.ts): grouped by kind
// and plane in a fixed order, rows by first raise, so no update moves a row;
// while held (the pointer on the list) new rows wait, counted, and join after.
import { describe, expect, it } from 'vitest';
import type { Alert } from '@shared';
import { groupAlerts, StableRows } from '../../../../renderer/src/panels/Alerts/alert-order.js';

const alert = (key: string, kind: Alert['kind'], plane: string, firstAt: number, extra: Partial<Alert> = {}): Alert => ({
  key,
  kind,
  plane,
  level: 'error',
  state: 'firing',
  count: 1,
  since: firstAt,
  firedAt: firstAt,
  firstAt,
  lastAt: firstAt,
  message: key,
  acknowledged: false,
  rev: 1,
  ...extra,
});

describe('alert groups', () => {
  it('group by kind (plane troubles first) then plane (in the planes\' order), rows by first raise', () => {
    const list = [
      alert('b/agent_lost/2', 'agent_lost', 'b', 5),
      alert('a/error/X', 'error', 'a', 1),
      alert('a/agent_lost/9', 'agent_lost', 'a', 7),
      alert('a/agent_lost/1', 'agent_lost', 'a', 3),
      alert('b/plane_down', 'plane_down', 'b', 9),
    ];
    const groups = groupAlerts(list, ['a', 'b']);
    expect(groups.map((g) => [g.kind, g.plane, g.rows.map((r) => r.key)])).toEqual([
      ['plane_down', 'b', ['b/plane_down']],
      ['agent_lost', 'a', ['a/agent_lost/1', 'a/agent_lost/9']],
      ['agent_lost', 'b', ['b/agent_lost/2']],
      ['error', 'a', ['a/error/X']],
    ]);
  });

  it('an update (count, state, last raise) never moves a row', () => {
    const before = [alert('p/agent_lost/1', 'agent_lost', 'p', 1), alert('p/agent_lost/2', 'agent_lost', 'p', 2), alert('p/agent_lost/3', 'agent_lost', 'p', 3)];
    const after = [alert('p/agent_lost/2', 'agent_lost', 'p', 2, { count: 9, lastAt: 100, state: 'resolved' }), before[2]!, alert('p/agent_lost/1', 'agent_lost', 'p', 1, { count: 4, lastAt: 99 })];
    const order = (l: Alert[]) => groupAlerts(l, ['p']).flatMap((g) => g.rows.map((r) => r.key));
    expect(order(after)).toEqual(order(before));
  });
});

describe('stable rows', () => {
  it('hold new rows back while the pointer is on the list, counting them, and let them in after', () => {
    const rows = new StableRows();
    const one = [alert('p/error/A', 'error', 'p', 1)];
    expect(rows.update(one, false)).toEqual({ visible: one, waiting: 0 });
    const two = [...one, alert('p/error/B', 'error', 'p', 2), alert('p/error/C', 'error', 'p', 3)];
    const held = rows.update(two, true);
    expect(held.visible.map((a) => a.key)).toEqual(['p/error/A']);
    expect(held.waiting).toBe(2);
    // Rows it shows keep being shown while held (their changes included).
    const changed = [{ ...two[0]!, count: 5 }, two[1]!, two[2]!];
    expect(rows.update(changed, true).visible[0]!.count).toBe(5);
    expect(rows.update(changed, false)).toMatchObject({ waiting: 0 });
    expect(rows.update(changed, false).visible.map((a) => a.key)).toEqual(['p/error/A', 'p/error/B', 'p/error/C']);
  });
});
