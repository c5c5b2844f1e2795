// Flows: the core's flow tables (message.flow.stats and message.sent, as
// frames bring them) as a sortable table, one row per flow updated in place;
// slow flows are marked, and clicking a row highlights that flow in the
// graph. At most FLOWS_SHOWN rows are drawn, the first by the sort.

import { useState, type JSX } from 'react';
import { usePlaneLabels, useConsole, useModel, useRenderCount } from '../../store/hooks.js';
import { clock, fmt, pct } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { slowFlows, sortFlows, type FlowKey } from './sort-flows.js';

/** Rows drawn at once (a plane may hold MAX_FLOWS_PER_PLANE flows); the rest are counted under the table. */
export const FLOWS_SHOWN = 500;

const COLUMNS: [FlowKey, string][] = [
  ['flowId', 'flow'],
  ['plane', 'plane'],
  ['count', 'count'],
  ['rate', 'msg/s'],
  ['avgMs', 'avg ms'],
  ['minMs', 'min ms'],
  ['maxMs', 'max ms'],
  ['successRate', 'success'],
  ['bandwidth', 'bandwidth'],
  ['lastActivity', 'last activity'],
];

function FlowsPanel(): JSX.Element {
  useRenderCount('flows');
  const model = useModel();
  useConsole((s) => s.flowsV);
  const highlighted = useConsole((s) => s.highlightedFlow);
  const labels = usePlaneLabels();
  const [sort, setSort] = useState<{ key: FlowKey; desc: boolean }>({ key: 'avgMs', desc: true });
  const rows = model.data.flows.list();
  const slow = slowFlows(rows);
  const sorted = sortFlows(rows, sort.key, sort.desc).slice(0, FLOWS_SHOWN);
  const label = (p: string): string => labels.get(p) ?? p;
  const by = (key: FlowKey): void => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'flowId' && key !== 'plane' }));
  return (
    <div className="panel flows" data-testid="flows">
      <table className="grid sortable">
        <thead>
          <tr>
            {COLUMNS.map(([k, l]) => (
              <th key={k} onClick={() => by(k)} aria-sort={sort.key === k ? (sort.desc ? 'descending' : 'ascending') : 'none'} data-testid={`flows-sort-${k}`}>
                {l}
                {sort.key === k ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((f) => {
            const on = highlighted?.plane === f.plane && highlighted.flowId === f.flowId;
            return (
              <tr
                key={f.key}
                className={`${on ? 'selected' : ''}${slow.has(f.key) ? ' slow' : ''}`}
                onClick={() => model.store.setState({ highlightedFlow: on ? null : { plane: f.plane, flowId: f.flowId } })}
                data-testid="flow"
                data-flow={f.flowId}
              >
                <td>
                  {show(f.flowId)}
                  {slow.has(f.key) ? <span className="chip chip-warning">slow</span> : null}
                </td>
                <td>{show(label(f.plane))}</td>
                <td className="num">{fmt(f.count, 0)}</td>
                <td className="num">{fmt(f.rate, 1)}</td>
                <td className="num">{fmt(f.avgMs)}</td>
                <td className="num">{fmt(f.minMs, 0)}</td>
                <td className="num">{fmt(f.maxMs, 0)}</td>
                <td className="num">{pct(f.successRate, 1)}</td>
                <td className="num">{fmt(f.bandwidth, 2)}</td>
                <td>{clock(f.lastActivity)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="muted">No message.flow.stats yet.</p> : null}
      {rows.length > sorted.length ? <p className="muted" data-testid="flows-more">{`${sorted.length} of ${rows.length} flows shown (sort to see others)`}</p> : null}
    </div>
  );
}

export const panel: PanelEntry = { id: 'flows', title: 'Flows', component: FlowsPanel, placement: 'bottom', order: 40, keywords: ['latency', 'throughput'] };
