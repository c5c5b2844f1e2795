// Alerts: the core's alerts (monitor/alert-book.ts), each with its state
// (firing or resolved, with both times), how often it was raised, and who it
// is about. Grouped by kind and plane, in an order no update changes; while
// the pointer is on the list, new alerts wait behind an "N new" marker. Each
// can be acknowledged or silenced for a while, in the core: every window sees it.

import { useMemo, useRef, useState, type JSX, type MouseEvent } from 'react';
import { agentNumber, type Alert } from '@shared';
import { useConsole, useModel, useNow, usePlaneLabels, useRenderCount } from '../../store/hooks.js';
import { ago, clock } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import { isReplayed, openMoment } from '../../shell/open-moment.js';
import type { PanelEntry } from '../panel-entry.js';
import { groupAlerts, KIND_TITLE, StableRows } from './alert-order.js';

/** Silence choices, ms. */
const SILENCE_FOR = [
  ['15 min', 15 * 60_000],
  ['1 h', 60 * 60_000],
  ['4 h', 4 * 60 * 60_000],
  ['24 h', 24 * 60 * 60_000],
] as const;

function AlertRow(props: { a: Alert; now: number }): JSX.Element {
  const { a, now } = props;
  const model = useModel();
  const id = a.agent !== undefined ? agentNumber(a.agent) : null;
  const silenced = a.silencedUntil !== undefined && a.silencedUntil > now;
  const act = (action: 'acknowledge' | 'unsilence'): void => void model.alertAction({ plane: a.plane, key: a.key, action });
  // An alert opens the moment it fired: 10 s before, its agent selected and centred; a replayed plane's from its
  // recording, a live plane's rewound by the flight recorder. Not from its buttons.
  const replayed = isReplayed(model, a.plane);
  const [problem, setProblem] = useState<string | null>(null);
  const open = (e: MouseEvent<HTMLTableRowElement>): void => {
    if ((e.target as HTMLElement).closest('button, select, input')) return;
    void openMoment(model, a.plane, a.firedAt, id).then(setProblem);
  };
  return (
    <tr
      onClick={open}
      title={replayed ? 'Open the recording 10 s before this alert fired' : 'Rewind to 10 s before this alert fired'}
      className={`alert level-${a.level} ${a.state}${a.acknowledged ? ' acked' : ''}${silenced ? ' silenced' : ''}`}
      data-testid="alert"
      data-key={a.key}
      data-kind={a.kind}
      data-plane={a.plane}
      data-state={a.state}
      data-level={a.level}
      data-count={a.count}
    >
      <td>
        <span className={`chip chip-${a.state === 'firing' ? a.level : 'resolved'}`} data-testid="alert-state">
          {a.state}
        </span>
      </td>
      <td className="alert-msg">
        {show(a.message)}
        {a.code ? <span className="mono"> {show(a.code)}</span> : null}
        {a.suggestedAction ? <div className="muted">action: {show(a.suggestedAction)}</div> : null}
        {problem ? (
          <div className="muted" data-testid="alert-moment-problem">
            cannot open its moment: {show(problem)}
          </div>
        ) : null}
      </td>
      <td>{a.agent !== undefined ? show(a.agent) : a.flow !== undefined ? show(a.flow) : ''}</td>
      <td className="num" data-testid="alert-count">
        ×{a.count}
      </td>
      <td title={`first raised ${clock(a.firstAt)}, last ${clock(a.lastAt)}`} data-testid="alert-times">
        fired {clock(a.firedAt)}
        {a.resolvedAt !== undefined ? ` · resolved ${clock(a.resolvedAt)}` : ` · ${ago(a.firedAt, now)}`}
      </td>
      <td>
        {id !== null ? (
          <button type="button" className="only" onClick={() => model.select({ plane: a.plane, id })}>
            agent
          </button>
        ) : null}
        {a.acknowledged ? (
          <span className="muted">acknowledged</span>
        ) : (
          <button type="button" className="only" onClick={() => act('acknowledge')} data-testid="alert-ack">
            acknowledge
          </button>
        )}
        {silenced ? (
          <button type="button" className="only" onClick={() => act('unsilence')} data-testid="alert-unsilence" title={`silenced until ${clock(a.silencedUntil!)}`}>
            silenced · lift
          </button>
        ) : (
          <select
            value=""
            aria-label="silence for"
            data-testid="alert-silence"
            onChange={(e) => {
              const forMs = Number(e.target.value);
              if (forMs > 0) void model.alertAction({ plane: a.plane, key: a.key, action: 'silence', forMs });
            }}
          >
            <option value="">silence…</option>
            {SILENCE_FOR.map(([label, ms]) => (
              <option key={ms} value={ms}>
                {label}
              </option>
            ))}
          </select>
        )}
      </td>
    </tr>
  );
}

function AlertsPanel(): JSX.Element {
  useRenderCount('alerts');
  const model = useModel();
  const alertsV = useConsole((s) => s.alertsV);
  const planes = useConsole((s) => s.planes);
  const labels = usePlaneLabels();
  const now = useNow(2000);
  const [showResolved, setShowResolved] = useState(true);
  const [showAcked, setShowAcked] = useState(true);
  const [hover, setHover] = useState(false);
  const stable = useRef(new StableRows());
  const all = useMemo(() => model.data.session.alerts.list(), [alertsV]); // eslint-disable-line react-hooks/exhaustive-deps
  const filtered = all.filter((a) => (showResolved || a.state === 'firing') && (showAcked || !a.acknowledged));
  const { visible, waiting } = stable.current.update(filtered, hover);
  const groups = groupAlerts(visible, planes.map((p) => p.plane));
  const firing = all.filter((a) => a.state === 'firing').length;
  const evicted = model.evictions().alerts;
  return (
    <div className="panel alerts" data-testid="alerts">
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} data-testid="alerts-show-resolved" /> show resolved
        </label>
        <label>
          <input type="checkbox" checked={showAcked} onChange={(e) => setShowAcked(e.target.checked)} /> show acknowledged
        </label>
        <span className="muted" data-testid="alerts-summary">
          {firing} firing · {all.length} alerts{evicted ? ` · ${evicted} evicted` : ''}
        </span>
        {waiting > 0 ? (
          <button type="button" className="new-marker" data-testid="alerts-new" onClick={() => setHover(false)} title="New alerts join the list when the pointer leaves it">
            {waiting} new
          </button>
        ) : null}
      </div>
      <table className="grid" onPointerEnter={() => setHover(true)} onPointerLeave={() => setHover(false)}>
        <thead>
          <tr>
            <th>state</th>
            <th>alert</th>
            <th>about</th>
            <th>count</th>
            <th>times</th>
            <th />
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.id} data-testid="alert-group" data-kind={g.kind} data-plane={g.plane}>
            <tr className="alert-group">
              <th colSpan={6}>
                {KIND_TITLE[g.kind]} · {show(labels.get(g.plane) ?? g.plane)}{' '}
                <span className="muted">
                  {g.rows.filter((a) => a.state === 'firing').length} firing of {g.rows.length}
                </span>
              </th>
            </tr>
            {g.rows.map((a) => (
              <AlertRow key={`${a.plane}\u0000${a.key}`} a={a} now={now} />
            ))}
          </tbody>
        ))}
      </table>
      {all.length === 0 ? <p className="muted">No alerts.</p> : null}
    </div>
  );
}

export const panel: PanelEntry = { id: 'alerts', title: 'Alerts', component: AlertsPanel, placement: 'bottom', order: 20, keywords: ['errors', 'warnings', 'silence', 'acknowledge'] };
