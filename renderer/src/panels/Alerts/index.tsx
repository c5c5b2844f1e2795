// Alerts: system.metrics alerts and error events with their level; repeats
// grouped with a count and a last-seen time; each can be acknowledged.

import { useState, type JSX } from 'react';
import { agentNumber } from '@shared';
import { isActive, type AlertGroup } from '../../store/alerts.js';
import { useConsole, useModel, useNow, usePlaneLabels, useRenderCount } from '../../store/hooks.js';
import { ago, clock } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';

function AlertRow(props: { a: AlertGroup; now: number; label: string }): JSX.Element {
  const { a } = props;
  const model = useModel();
  const active = isActive(a);
  const id = a.agentId ? agentNumber(a.agentId) : null;
  return (
    <tr className={`alert level-${a.level}${active ? '' : ' acked'}`} data-testid="alert" data-level={a.level} data-count={a.count}>
      <td>
        <span className={`chip chip-${a.level}`}>{a.level}</span>
      </td>
      <td className="alert-msg">
        {show(a.message)}
        {a.code ? <span className="mono"> {show(a.code)}</span> : null}
        {a.recoverable !== undefined ? <span className="muted"> · {a.recoverable ? 'recoverable' : 'not recoverable'}</span> : null}
        {a.suggestedAction ? <div className="muted">action: {show(a.suggestedAction)}</div> : null}
      </td>
      <td>{show(a.source)}</td>
      <td>{show(props.label)}</td>
      <td className="num" data-testid="alert-count">
        ×{a.count}
      </td>
      <td title={`first ${clock(a.firstSeen)}`}>{ago(a.lastSeen, props.now)}</td>
      <td>
        {id !== null ? (
          <button type="button" className="only" onClick={() => model.select({ plane: a.plane, id })}>
            agent
          </button>
        ) : null}
        {active ? (
          <button type="button" className="only" onClick={() => model.acknowledge(a.key)} data-testid="alert-ack">
            acknowledge
          </button>
        ) : (
          <span className="muted">acknowledged</span>
        )}
      </td>
    </tr>
  );
}

function AlertsPanel(): JSX.Element {
  useRenderCount('alerts');
  const model = useModel();
  useConsole((s) => s.alertsV);
  const labels = usePlaneLabels();
  const now = useNow(2000);
  const [showAcked, setShowAcked] = useState(true);
  const list = model.data.alerts.list().filter((a) => showAcked || isActive(a));
  const label = (p: string): string => labels.get(p) ?? p;
  return (
    <div className="panel alerts" data-testid="alerts">
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={showAcked} onChange={(e) => setShowAcked(e.target.checked)} /> show acknowledged
        </label>
        <span className="muted">
          {list.filter(isActive).length} active · {model.data.alerts.size} groups{model.data.alerts.evicted ? ` · ${model.data.alerts.evicted} evicted` : ''}
        </span>
      </div>
      <table className="grid">
        <thead>
          <tr>
            <th>level</th>
            <th>alert</th>
            <th>source</th>
            <th>plane</th>
            <th>count</th>
            <th>last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((a) => (
            <AlertRow key={a.key} a={a} now={now} label={label(a.plane)} />
          ))}
        </tbody>
      </table>
      {list.length === 0 ? <p className="muted">No alerts.</p> : null}
    </div>
  );
}

export const panel: PanelEntry = { id: 'alerts', title: 'Alerts', component: AlertsPanel, placement: 'bottom', order: 20, keywords: ['errors', 'warnings'] };
