// The status bar: fps drawn, frames/s received, dropped and superseded,
// agents, latency and per-plane state; "details" opens every pipeline stat,
// every plane counter, and each plane's session state in the core (what it
// holds against its limits, and what it evicted).

import { RetryCountdown } from '../ui/RetryCountdown.js';
import { useEffect, useRef, useState, type JSX } from 'react';
import type { SceneStats } from '../debug-api.js';
import { useConsole, useModel, useNow, useRenderCount } from '../store/hooks.js';
import { Conformance, Figures } from '../ui/Figures.js';
import { bytes, planeState } from '../ui/format.js';
import type { MonitorCounts } from '@shared';
import { show } from '../ui/text.js';
import { useRecordings } from '../panels/Timeline/Record.js';
import { DATA_AGE_WARN_MS, formatAge } from './perf-window.js';
import { recordIndicator } from '../panels/Timeline/record-logic.js';
import { rewindMark } from '../ui/time.js';
import { clockSource } from './services.js';

/** Frames the browser draws per second (requestAnimationFrame, which pixi's ticker runs on). */
function useFps(): number {
  const [fps, setFps] = useState(0);
  useEffect(() => {
    let n = 0;
    let start = performance.now();
    let raf = 0;
    const tick = (t: number): void => {
      n++;
      if (t - start >= 1000) {
        setFps(Math.round((n * 1000) / (t - start)));
        n = 0;
        start = t;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, []);
  return fps;
}

const STRUCTURES = ['events', 'alerts', 'rounds', 'commands', 'metrics', 'connection'] as const;

/** One plane's session state in the core: entries and bytes held against the limits, and evictions. */
function SessionCounts(props: { counts: MonitorCounts }): JSX.Element {
  const c = props.counts;
  return (
    <table className="grid session-counts" data-testid="session-counts" data-plane={c.plane}>
      <thead>
        <tr>
          <th>session state</th>
          <th>held</th>
          <th>limit</th>
          <th>bytes</th>
          <th>evicted</th>
        </tr>
      </thead>
      <tbody>
        {STRUCTURES.map((k) => (
          <tr key={k} data-key={k}>
            <td>{k}</td>
            <td className="num">{c[k].entries.toLocaleString('en-US')}</td>
            <td className="num">{c[k].maxEntries.toLocaleString('en-US')}</td>
            <td className="num">{bytes(c[k].bytes)}{c[k].maxBytes !== undefined ? ` of ${bytes(c[k].maxBytes!)}` : ''}</td>
            <td className={`num${c[k].evicted ? ' bad' : ''}`}>{c[k].evicted.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusBar(props: { scene: () => SceneStats | null; latency: () => number | null; dataAge: () => number | null; rejected: () => number }): JSX.Element {
  useRenderCount('status');
  const model = useModel();
  // The record indicator: shown here whichever panels are open.
  const recordings = useRecordings();
  const planes = useConsole((s) => s.planes);
  const stats = useConsole((s) => s.stats);
  const framesPerSec = useConsole((s) => s.framesPerSec);
  const monitorCounts = useConsole((s) => s.monitorCounts);
  // Twice a second: the data age grows while nothing arrives.
  useNow(500);
  const fps = useFps();
  const [open, setOpen] = useState(false);
  const scene = props.scene();
  const latency = props.latency();
  const dataAge = props.dataAge();
  const rejected = props.rejected();
  const agents = planes.reduce((n, p) => n + p.agents, 0);
  const dropped = planes.reduce((n, p) => n + p.counters.framesDropped, 0);
  const ev = model.evictions();
  const evicted = Object.values(ev).reduce((a, b) => a + b, 0);
  const ref = useRef<HTMLDivElement>(null);
  return (
    <footer className="status" data-testid="status" ref={ref}>
      {open ? (
        <div className="status-details" data-testid="status-details">
          <section>
            <h3>pipeline</h3>
            {stats ? <Figures of={stats} testid="pipeline-stats" /> : <p className="muted">no frame yet</p>}
            <h3>session state in the core (evicted)</h3>
            <Figures of={ev} testid="session-evicted" />
          </section>
          {planes.map((p) => (
            <section key={p.plane}>
              <h3>{show(p.label)}</h3>
              <Figures of={p.counters} />
              <Figures of={p} skip={['color', 'agents']} />
              <Conformance status={p} />
              {monitorCounts[p.plane] ? <SessionCounts counts={monitorCounts[p.plane]!} /> : null}
            </section>
          ))}
        </div>
      ) : null}
      {planes.map((p) => (
        <span key={p.plane}>
          {show(p.label)}:{' '}
          <strong className={`state-${planeState(p)}`} data-testid="connection-state" data-plane={p.plane}>
            {planeState(p)}
          </strong>
          {planeState(p) === 'DOWN' ? (
            <>
              {' '}
              <RetryCountdown retryAt={p.retryAt} />
            </>
          ) : null}
        </span>
      ))}
      <RewindMark />
      <span>
        <strong data-testid="agent-count">{agents}</strong> agents
      </span>
      <span>
        drawn <strong data-testid="drawn-count">{scene?.nodes ?? 0}</strong>
      </span>
      <span title="Frames the page draws per second">
        <strong data-testid="fps">{fps}</strong> fps
      </span>
      <span title="Frames received from the core per second">
        <strong data-testid="frames-per-sec">{framesPerSec}</strong> frames/s
      </span>
      <span
        title="Age of the positions drawn: now minus the plane's send time (its clock corrected by the estimated offset); the oldest plane's, a plane gone quiet or DOWN included (what is drawn of it is that old). Amber past 1 s. Replays and planes closed or refused are left out."
        className={dataAge !== null && dataAge > DATA_AGE_WARN_MS ? 'warn' : undefined}
        data-testid="data-age-box"
      >
        data age <strong data-testid="data-age">{dataAge === null ? '…' : formatAge(dataAge)}</strong>
      </span>
      <span title="Median time from positions arriving on the core's socket to this view">
        latency <strong data-testid="latency">{latency === null ? '…' : `${latency.toFixed(1)} ms`}</strong>
      </span>
      <span title="Messages dropped on purpose by the planes (duplicates, TTL-expired)" className={dropped ? 'warn' : undefined}>
        dropped <strong data-testid="dropped">{dropped}</strong>
      </span>
      <span title="Position updates replaced by newer ones before display (latest wins)">
        superseded <strong data-testid="superseded">{stats?.supersededPositions ?? 0}</strong>
      </span>
      {recordings.list.map((r) => (
        <span key={r.id} className="rec" data-testid="status-recording" title={show(r.path)}>
          ● {show(recordIndicator(r))}
        </span>
      ))}
      {stats?.framesTimedOut ? <span className="warn">frames timed out {stats.framesTimedOut}</span> : null}
      {evicted ? <span title="Entries the core's session state evicted (all planes; details for each)">evicted {evicted}</span> : null}
      {rejected ? <span className="state-FAILED">rejected {rejected}</span> : null}
      <span className="muted">renderer {scene?.renderer ?? '…'}</span>
      <button type="button" className="link" onClick={() => setOpen((o) => !o)} data-testid="status-more" aria-expanded={open}>
        {open ? 'details ▾' : 'details ▴'}
      </button>
    </footer>
  );
}

/** "REWIND −00:42" while a plane is rewound, so no one takes the view for the present. */
function RewindMark(): JSX.Element | null {
  const now = useNow(500);
  const c = clockSource().read(now);
  if (c.mode !== 'rewind') return null;
  return (
    <span className="rewind-mark" data-testid="status-rewind" title="A plane is rewound: its past is shown, its commands are refused. LIVE in the Timeline returns.">
      {rewindMark(c.at, now)}
    </span>
  );
}
