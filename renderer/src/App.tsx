import { useEffect, useRef, useState, type JSX } from 'react';
import type { FrameMessage, PipelineStats, PlaneStatus, SwarmdeckBridge } from '../../electron/core/ipc/contract.js';
import type { PlaneEvent } from '../../electron/core/protocol/events.js';
import { bridgeDiagnostics, getBridge } from './bridge/index.js';
import type { SceneStats } from './debug-api.js';
import { GraphScene } from './scene/graph-scene.js';
import { Legend } from './scene/Legend.js';
import { hex } from './scene/palette.js';
import { eventText, isErrorEvent } from './ui/event-text.js';
import { Inspector } from './ui/Inspector.js';

const LOG_LINES = 200;
const UI_REFRESH_MS = 250;
const LATENCY_SAMPLES = 256;

interface UiSnapshot {
  planes: PlaneStatus[];
  stats: PipelineStats | null;
  scene: SceneStats | null;
  log: PlaneEvent[];
  rejected: number;
  /** Median ms from positions arriving on the core's socket to their frame reaching this page. */
  latencyP50: number | null;
}

const QUIET_TYPES = new Set(['heartbeat', 'status_update']);

/** Per-endpoint sessions and the counters an operator checks when something looks off. */
function PlaneDetails({ status: p }: { status: PlaneStatus }): JSX.Element {
  const c = p.counters;
  return (
    <details className="plane-details">
      <summary>
        {p.rates ? `${(p.rates.bytesPerSec / 1024).toFixed(0)} KiB/s · ${p.rates.messagesPerSec.toFixed(0)} msg/s` : 'details'}
        {p.lastLatencyMs !== undefined ? ` · rtt ${p.lastLatencyMs.toFixed(0)} ms` : ''}
      </summary>
      <ul className="plain">
        {(p.endpoints ?? []).map((e) => (
          <li key={e.endpoint}>
            {e.endpoint}: <span className={`state-${e.state}`}>{e.state}</span>
            {e.version ? ` v${e.version}` : ''}
            {e.compression ? ` ${e.compression}` : ''}
            {e.attempt ? ` · attempt ${e.attempt}` : ''}
          </li>
        ))}
        <li>
          dropped {c.framesDropped} (dup {c.duplicatesDropped}, ttl {c.ttlExpired}) · gaps {c.channelGaps} ({c.channelMissed} missed)
        </li>
        <li>
          protocol errors {c.protocolErrors} · server errors {c.serverErrors} · reconnects {c.reconnects} · stale {c.staleDetections}
        </li>
        <li>
          commands {c.commandsSent} sent, {c.commandsTimedOut} timed out, {c.commandsRefused} refused
        </li>
      </ul>
    </details>
  );
}

/** The log as shown: a display filter only (every event still reached the renderer). */
function visibleLog(log: PlaneEvent[], filter: string, heartbeats: boolean): PlaneEvent[] {
  const f = filter.trim().toLowerCase();
  return log.filter((ev) => (heartbeats || !QUIET_TYPES.has(ev.type)) && (!f || `${ev.type} ${eventText(ev)}`.toLowerCase().includes(f)));
}

/** A ring of recent latency samples; the median of what it holds. */
class LatencyRing {
  private readonly samples = new Float64Array(LATENCY_SAMPLES);
  private n = 0;
  add(ms: number): void {
    this.samples[this.n++ % LATENCY_SAMPLES] = ms;
  }
  median(): number | null {
    const k = Math.min(this.n, LATENCY_SAMPLES);
    if (k === 0) return null;
    const sorted = this.samples.slice(0, k).sort();
    return sorted[k >> 1]!;
  }
}


export function App(): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const sceneRef = useRef<GraphScene | null>(null);
  const [ui, setUi] = useState<UiSnapshot>({ planes: [], stats: null, scene: null, log: [], rejected: 0, latencyP50: null });
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<{ plane: string; id: number } | null>(null);
  const [logFilter, setLogFilter] = useState('');
  const [showHeartbeats, setShowHeartbeats] = useState(false);
  const bridgeRef = useRef<SwarmdeckBridge | null>(null);

  useEffect(() => sceneRef.current?.select(selected), [selected]);

  useEffect(() => {
    for (const p of ui.planes) sceneRef.current?.setPlaneVisible(p.plane, !hidden.has(p.plane));
  }, [hidden, ui.planes]);

  useEffect(() => {
    const scene = new GraphScene();
    sceneRef.current = scene;
    const bridge = getBridge();
    bridgeRef.current = bridge;
    scene.onPick((hit) => setSelected(hit));
    const latency = new LatencyRing();
    let planes: PlaneStatus[] = [];
    let stats: PipelineStats | null = null;
    let log: PlaneEvent[] = [];
    let lastSeq = -1;
    // Events of a frame that timed out come again; per-plane seq says which were seen.
    const lastEventSeq = new Map<string, number>();
    let ready = false;
    let unsubscribe: (() => void) | null = null;
    let disposed = false;

    const onFrame = (f: FrameMessage): void => {
      lastSeq = f.seq;
      planes = f.planes;
      stats = f.stats;
      const arrived = performance.timeOrigin + performance.now();
      for (const pf of f.positions) if (pf.receivedAt > 0) latency.add(arrived - pf.receivedAt);
      scene.applyFrame(f);
      const fresh = f.events.filter((ev) => {
        if (ev.seq <= (lastEventSeq.get(ev.plane) ?? -1)) return false;
        lastEventSeq.set(ev.plane, ev.seq);
        return true;
      });
      if (fresh.length) log = [...fresh.slice(-LOG_LINES).reverse(), ...log].slice(0, LOG_LINES);
      // Acknowledge once drawn: the core sends the next frame only then (latest wins meanwhile).
      scene.onceRendered(() => bridge.ack(f.seq));
    };

    void scene.init(host.current!).then(() => {
      if (disposed) return;
      ready = true;
      unsubscribe = bridge.onFrame(onFrame);
      // Subscribed: now the core may send (it holds frames and events until this).
      void bridge.hello();
    });
    window.__swarmdeck = {
      scene: () => (ready ? scene.stats() : null),
      planes: () => planes,
      lastFrameSeq: () => lastSeq,
      latencyP50: () => latency.median(),
      screenOf: (plane, id) => (ready ? scene.screenOf(plane, id) : null),
      sceneDebug: () => (ready ? scene.debug() : null),
    };
    const timer = setInterval(() => {
      setUi({ planes, stats, scene: ready ? scene.stats() : null, log, rejected: bridgeDiagnostics.rejected, latencyP50: latency.median() });
    }, UI_REFRESH_MS);
    return () => {
      disposed = true;
      clearInterval(timer);
      unsubscribe?.();
      sceneRef.current = null;
      if (ready) scene.destroy();
    };
  }, []);

  const agents = ui.planes.reduce((n, p) => n + p.agents, 0);
  const toggle = (plane: string): void =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(plane)) next.add(plane);
      return next;
    });
  const only = (plane: string): void => setHidden(new Set(ui.planes.map((p) => p.plane).filter((id) => id !== plane)));
  return (
    <div className="app">
      <div className="scene" ref={host} data-testid="scene" />
      <aside className="side">
        <h2>Control planes</h2>
        <div className="planes">
          {ui.planes.map((p) => (
            <div className="plane" key={p.plane} data-testid="plane" data-plane={p.plane}>
              <input
                type="checkbox"
                aria-label={`show ${p.label}`}
                checked={!hidden.has(p.plane)}
                onChange={() => toggle(p.plane)}
                data-testid="plane-visible"
              />
              <span className="swatch" style={{ background: hex(p.color) }} />
              <div className="plane-body">
                <div>
                  {p.label} <span className={`state-${p.state}`}>{p.state}</span> · {p.agents} agents
                  {p.agentsLost ? (
                    <span className="state-STALE" data-testid="agents-lost">
                      {' '}
                      · {p.agentsLost} lost
                    </span>
                  ) : null}
                </div>
                {p.insecure ? (
                  <div className="insecure" data-testid="insecure" title="This profile skips TLS certificate verification">
                    TLS NOT VERIFIED
                  </div>
                ) : null}
                {p.reason ? <div className="reason">{p.reason}</div> : null}
                <PlaneDetails status={p} />
              </div>
              {ui.planes.length > 1 ? (
                <button type="button" className="only" onClick={() => only(p.plane)} data-testid="plane-only">
                  only
                </button>
              ) : null}
            </div>
          ))}
        </div>
        <Legend planes={ui.planes} view={ui.scene ? sceneRef.current : null} />
        {selected && bridgeRef.current ? (
          <Inspector
            bridge={bridgeRef.current}
            plane={selected.plane}
            planeLabel={ui.planes.find((p) => p.plane === selected.plane)?.label ?? selected.plane}
            id={selected.id}
            onClose={() => setSelected(null)}
          />
        ) : null}
        <h2>Events</h2>
        <div className="log-filter">
          <input type="search" placeholder="filter events" value={logFilter} onChange={(e) => setLogFilter(e.target.value)} data-testid="log-filter" />
          <label>
            <input type="checkbox" checked={showHeartbeats} onChange={(e) => setShowHeartbeats(e.target.checked)} /> heartbeats
          </label>
        </div>
        <ul className="events" data-testid="events">
          {visibleLog(ui.log, logFilter, showHeartbeats).map((ev) => (
            <li key={`${ev.plane}:${ev.seq}`} className={`${ev.priority}${isErrorEvent(ev) ? ' error' : ''}`} title={ev.type}>
              {ev.type} {eventText(ev)}
            </li>
          ))}
        </ul>
      </aside>
      <footer className="status" data-testid="status">
        {ui.planes.map((p) => (
          <span key={p.plane}>
            {p.label}: <strong className={`state-${p.state}`} data-testid="connection-state" data-plane={p.plane}>{p.state}</strong>
          </span>
        ))}
        <span>
          <strong data-testid="agent-count">{agents}</strong> agents
        </span>
        <span>
          drawn <strong data-testid="drawn-count">{ui.scene?.nodes ?? 0}</strong>
        </span>
        <span>renderer {ui.scene?.renderer ?? '…'}</span>
        <span>frames {ui.stats?.framesSent ?? 0}</span>
        <span title="Median time from positions arriving on the core's socket to this view">
          latency <strong data-testid="latency">{ui.latencyP50 === null ? '…' : `${ui.latencyP50.toFixed(1)} ms`}</strong>
        </span>
        <span title="Position updates replaced by newer ones before display (latest wins)">superseded {ui.stats?.supersededPositions ?? 0}</span>
        {ui.rejected ? <span className="state-FAILED">rejected {ui.rejected}</span> : null}
      </footer>
    </div>
  );
}
