// The Overview's comparison of open recordings (issue 21, synced timelines):
// per recorded plane, a small chart of its agents per state over time (uPlot,
// one line per state in the state colours), all on one axis: the synced
// timeline's when the recordings are synced. A line marks where each is now.

import { useEffect, useRef, useState, type JSX } from 'react';
import uPlot from 'uplot';
import { AGENT_STATES, type ReplaySeries } from '@shared';
import { hex, STATE_COLORS } from '../../scene/palette.js';
import { resolveDark } from '../../shell/theme.js';
import { useReplayGroup } from '../../store/replay-group.js';
import { useConsole, useModel, usePlaneLabels, usePolled } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import { type CompareChart, compareCharts, countsAt, sharedRange } from './compare-logic.js';

const POLL_MS = 1000;
const CHART_H = 90;
const AXIS = { dark: { text: '#8b949e', grid: '#30363d' }, light: { text: '#59636e', grid: '#d0d7de' } };
const colourOf = (state: string): string => hex(STATE_COLORS[(AGENT_STATES as readonly string[]).indexOf(state)] ?? 0x6e7681);

function Chart(props: { c: CompareChart; range: [number, number]; label: string }): JSX.Element {
  const { c } = props;
  const theme = useConsole((s) => s.theme);
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [nowX, setNowX] = useState<number | null>(null);
  const states = c.series.map((s) => s.state).join(',');

  useEffect(() => {
    const host = el.current!;
    const col = AXIS[resolveDark(theme) ? 'dark' : 'light'];
    const axis = { stroke: col.text, grid: { stroke: col.grid, width: 1 }, ticks: { stroke: col.grid, width: 1 }, size: 22, font: '10px system-ui' };
    const u = new uPlot(
      {
        width: Math.max(160, host.clientWidth),
        height: CHART_H,
        legend: { show: false },
        cursor: { y: false },
        scales: { x: { time: false, range: () => props.range } },
        axes: [{ ...axis, values: (_u, splits) => splits.map((v) => `${Math.round(v)}s`) }, { ...axis, size: 32 }],
        series: [{}, ...c.series.map((s) => ({ label: s.state, stroke: colourOf(s.state), width: 1.5, points: { show: false } }))],
      },
      [[], ...c.series.map(() => [])] as uPlot.AlignedData,
      host,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(160, host.clientWidth), height: CHART_H }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt when its states, the axis or the theme change; data below.
  }, [states, theme, props.range[0], props.range[1]]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    u.setData([c.x, ...c.series.map((s) => s.counts)] as uPlot.AlignedData);
    setNowX(u.valToPos(c.nowS, 'x') + u.bbox.left / devicePixelRatio);
  }, [c, states, theme, props.range[0], props.range[1]]);

  const now = countsAt(c, c.nowS);
  return (
    <figure className="chart compare-chart" data-testid="compare-chart" data-plane={c.plane} data-points={c.x.length} data-states={states}>
      <figcaption>
        {show(props.label)}{' '}
        <span className="muted" data-testid="compare-now">
          {now.map((x) => `${x.state.toLowerCase()} ${x.n}`).join(' · ') || 'no agents'}
        </span>
      </figcaption>
      <div className="compare-plot" ref={el}>
        {nowX !== null && Number.isFinite(nowX) ? <span className="compare-now-line" style={{ left: nowX }} /> : null}
      </div>
    </figure>
  );
}

/** Agents per state over time for each open recording; nothing when none is open. */
export function RecordingsCompared(): JSX.Element | null {
  const model = useModel();
  const bridge = model.services.bridge;
  const labels = usePlaneLabels();
  const entries = usePolled('replays', POLL_MS).value ?? [];
  const { group } = useReplayGroup(bridge, entries.length > 1, POLL_MS);
  const [series, setSeries] = useState<Map<number, ReplaySeries>>(new Map());
  const wanted = entries
    .map((e) => e.id)
    .filter((id) => !series.has(id))
    .join(',');
  useEffect(() => {
    if (!bridge || !wanted) return;
    for (const id of wanted.split(',').map(Number)) {
      bridge.request('replaySeries', { id }).then(
        (s) => s && setSeries((prev) => new Map(prev).set(id, s)),
        () => undefined,
      );
    }
  }, [bridge, wanted]);
  if (entries.length === 0) return null;
  const charts = compareCharts(entries, series, group);
  const range = sharedRange(entries, group);
  const label = (plane: string): string => labels.get(plane) ?? plane;
  return (
    <section className="overview-compare" data-testid="overview-compare" data-synced={group ? 'yes' : 'no'}>
      <h3>
        Recordings: agents per state over {group ? 'the synced timeline' : 'time since each start'}
      </h3>
      {charts.length === 0 ? <p className="muted">Reading the recordings…</p> : null}
      {charts.map((c) => (
        <Chart key={`${c.id}:${c.plane}`} c={c} range={range} label={label(c.plane)} />
      ))}
    </section>
  );
}
