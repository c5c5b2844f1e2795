// The Alerts panel's order, as plain functions (tested): alerts grouped by
// kind and plane, groups in a fixed order, rows within a group by when the
// core first raised them. A row's place never depends on what changes (its
// state, count or time), so updates never move it; only a new row takes a
// place, and while the pointer is on the list new rows wait behind an
// "N new" marker (StableRows) instead of shifting what is under it.

import type { Alert, AlertKind } from '@shared';

/** Group order: the plane's own troubles first, then agents', then the rest. */
export const KIND_ORDER: readonly AlertKind[] = ['plane_down', 'plane_stale', 'agent_lost', 'agent_error', 'error', 'command_failed', 'plane_alert'];
export const KIND_TITLE: Record<AlertKind, string> = {
  plane_down: 'plane down',
  plane_stale: 'plane stale',
  agent_lost: 'agent lost',
  agent_error: 'agent error',
  error: 'error',
  command_failed: 'command failed',
  plane_alert: 'plane alert',
};

export interface AlertGroupRows {
  /** kind and plane */
  id: string;
  kind: AlertKind;
  plane: string;
  rows: Alert[];
}

const byFirstRaise = (a: Alert, b: Alert): number => a.firstAt - b.firstAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Groups by kind then plane (planes in `planeOrder`, unknown ones after by id), rows by first raise. */
export function groupAlerts(alerts: readonly Alert[], planeOrder: readonly string[]): AlertGroupRows[] {
  const groups = new Map<string, AlertGroupRows>();
  for (const a of alerts) {
    const id = `${a.kind}\u0000${a.plane}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, kind: a.kind, plane: a.plane, rows: [] }));
    g.rows.push(a);
  }
  const planeRank = (p: string): number => {
    const i = planeOrder.indexOf(p);
    return i < 0 ? planeOrder.length : i;
  };
  const list = [...groups.values()];
  for (const g of list) g.rows.sort(byFirstRaise);
  return list.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || planeRank(a.plane) - planeRank(b.plane) || (a.plane < b.plane ? -1 : a.plane > b.plane ? 1 : 0));
}

/**
 * Which alerts the list shows: every one it showed before keeps its place;
 * a new one joins at once unless the list is held (the pointer is on it),
 * and then it is counted as new until released.
 */
export class StableRows {
  private readonly shown = new Set<string>();

  /** The alerts to show, and how many new ones wait. */
  update(all: readonly Alert[], hold: boolean): { visible: Alert[]; waiting: number } {
    const visible: Alert[] = [];
    let waiting = 0;
    for (const a of all) {
      const id = `${a.plane}\u0000${a.key}`;
      if (this.shown.has(id)) visible.push(a);
      else if (hold) waiting++;
      else {
        this.shown.add(id);
        visible.push(a);
      }
    }
    return { visible, waiting };
  }
}
