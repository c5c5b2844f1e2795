// Metrics: system.metrics per plane as time series (uPlot) from the core's
// series (recent samples as they came, older ones averaged), one chart per
// measure with one line per plane, over a 5 to 60 minute window.

import { useEffect, useRef, useState, type JSX } from 'react';
import uPlot from 'uplot';
import { METRIC_FIELDS } from '@shared';
import { hex } from '../../scene/palette.js';
import { useConsole, useModel, useRenderCount } from '../../store/hooks.js';
import { clock, fmt } from '../../ui/format.js';
import { resolveDark } from '../../shell/theme.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { metricTable, WINDOWS_MIN, xRange } from './series-data.js';

const CHART_H = 110;
/** A lone sample is drawn as a dot (a line needs two points). */
const lonePoint: uPlot.Series.Points = { show: (_u: uPlot, _s: number, i0: number, i1: number) => i1 <= i0, size: 6 };

/** Axis and grid colours per theme (each panel is its own React root: the page's CSS variables may not have switched yet). */
const AXIS = { dark: { text: '#8b949e', grid: '#30363d' }, light: { text: '#59636e', grid: '#d0d7de' } };

function Chart(props: { k: number; windowMin: number }): JSX.Element {
  const model = useModel();
  const metricsV = useConsole((s) => s.metricsV);
  const planes = useConsole((s) => s.planes);
  const theme = useConsole((s) => s.theme);
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const f = METRIC_FIELDS[props.k]!;
  const planeKey = planes.map((p) => `${p.plane}:${p.color}`).join(',');

  useEffect(() => {
    const host = el.current!;
    const c = AXIS[resolveDark(theme) ? 'dark' : 'light'];
    const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, size: 28, font: '10px system-ui' };
    // Room for "14:03:09" between ticks. The labels drawn are kept on the element (data-x-ticks) for tests and devtools.
    const time: uPlot.Axis = {
      ...axis,
      space: 70,
      values: (_u, splits) => {
        const labels = splits.map((v) => clock(v * 1000));
        host.dataset.xTicks = labels.join(' ');
        return labels;
      },
    };
    const opts: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: CHART_H,
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: true, range: (u, min, max) => xRange(u.data[0], min, max) } },
      axes: [time, { ...axis, size: 44 }],
      series: [{}, ...planes.map((p) => ({ label: show(p.label), stroke: hex(p.color), width: 1.5, spanGaps: true, points: lonePoint }))],
    };
    const u = new uPlot(opts, [[], ...planes.map(() => [])] as uPlot.AlignedData, host);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, host.clientWidth), height: CHART_H }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt when the planes or the theme change; data updates below.
  }, [planeKey, theme]);

  useEffect(() => {
    const since = Date.now() - props.windowMin * 60_000;
    const table = metricTable(planes.map((p) => model.data.session.metrics.get(p.plane)), props.k, since);
    plot.current?.setData(table as unknown as uPlot.AlignedData);
  }, [metricsV, props.windowMin, planeKey]);

  const latest = planes.map((p) => model.data.session.latest(p.plane)?.[props.k] ?? undefined);
  return (
    <figure className="chart" data-testid="metric-chart" data-metric={f.key}>
      <figcaption>
        {f.label}
        <span className="latest" data-testid="metric-latest">
          {latest.map((v, i) => (
            <span key={planes[i]!.plane} style={{ color: hex(planes[i]!.color) }}>
              {fmt(v, f.unit === '%' || f.unit === 'ms' ? 1 : 0)}
              {f.unit ? ` ${f.unit}` : ''}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={el} />
    </figure>
  );
}

function MetricsPanel(): JSX.Element {
  useRenderCount('metrics');
  const [windowMin, setWindowMin] = useState<number>(5);
  const planes = useConsole((s) => s.planes);
  return (
    <div className="panel metrics" data-testid="metrics">
      <div className="toolbar">
        <label>
          window{' '}
          <select value={windowMin} onChange={(e) => setWindowMin(Number(e.target.value))} data-testid="metrics-window">
            {WINDOWS_MIN.map((m) => (
              <option key={m} value={m}>
                {m} min
              </option>
            ))}
          </select>
        </label>
        <span className="legend-inline">
          {planes.map((p) => (
            <span key={p.plane}>
              <span className="swatch" style={{ background: hex(p.color) }} /> {show(p.label)}
            </span>
          ))}
        </span>
      </div>
      <div className="charts">
        {METRIC_FIELDS.map((f, k) => (
          <Chart key={f.key} k={k} windowMin={windowMin} />
        ))}
      </div>
    </div>
  );
}

export const panel: PanelEntry = { id: 'metrics', title: 'Metrics', component: MetricsPanel, placement: 'bottom', order: 50, keywords: ['system.metrics', 'cpu', 'memory', 'latency', 'queue'] };
