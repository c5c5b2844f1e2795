// The console shell: wires the bridge, the store and the graph, and lays
// out the dock, the top bar and the status bar. Frames go into the store
// (panels subscribe to their slices) and into the graph, and are
// acknowledged once drawn.

import { useEffect, useRef, useState, type JSX } from 'react';
import type { FrameMessage } from '@shared';
import { bridgeDiagnostics, getBridge } from './bridge/index.js';
import { installDebugApi } from './debug-install.js';
import { PANELS } from './panels/catalogue.js';
import { buildActions, OPEN_HELP_EVENT, OPEN_PALETTE_EVENT } from './shell/actions.js';
import { Dock } from './shell/dock.js';
import { createGraphHost } from './shell/graph-host.js';
import { Help } from './shell/Help.js';
import { LatencyRing } from './shell/latency.js';
import { PerfWindow, startDrawSampling } from './shell/perf-window.js';
import { desktopSink, NoteLimiter, notesFor } from './shell/notify.js';
import { Palette } from './shell/Palette.js';
import { dockLayout, graphHost, setClockSource, setDockLayout, setGraphHost } from './shell/services.js';
import { ClockSource } from './store/clock.js';
import { setRewindClock } from './scene/region-frames.js';
import { actionForKey } from './shell/shortcuts.js';
import { StatusBar } from './shell/StatusBar.js';
import { ScopeBadge } from './shell/ScopeBadge.js';
import { windowScope } from './shell/window-scope.js';
import { resolveDark, savedTheme, saveTheme, systemDark } from './shell/theme.js';
import { savedTimeZone, saveTimeZone, setTimeZone, type TimeZoneChoice } from './ui/time.js';
import { createConsole, type ConsoleModel, type ThemeChoice } from './store/console-model.js';
import { ConsoleProvider, useConsole } from './store/hooks.js';

function boot(): { model: ConsoleModel; latency: LatencyRing; perf: PerfWindow; notes: NoteLimiter } {
  const bridge = getBridge();
  const host = createGraphHost();
  setGraphHost(host);
  const model = createConsole({ bridge, graph: host.view });
  const timeZone = savedTimeZone();
  setTimeZone(timeZone);
  model.store.setState({ theme: savedTheme(), timeZone });
  const latency = new LatencyRing();
  const perf = new PerfWindow();
  startDrawSampling(perf);
  const notes = new NoteLimiter(desktopSink());
  const graph = host.view;
  graph.onPick((hit) => model.select(hit));
  const onFrame = (f: FrameMessage): void => {
    const arrived = performance.timeOrigin + performance.now();
    for (const pf of f.positions) if (pf.receivedAt > 0) latency.add(arrived - pf.receivedAt);
    perf.frame(f, arrived);
    // The graph draws the events the store took as new (the core's seq says which were held already).
    const fresh = model.ingest(f);
    graph.applyFrame(fresh.length === f.events.length ? f : { ...f, events: [...fresh] });
    // Acknowledge once drawn: the core sends the next frame only then (latest wins meanwhile).
    graph.onceRendered(() => bridge.ack(f.seq));
  };
  model.onEvents((events, planes, previous) => notes.push(notesFor(events, planes, previous, model.store.getState().mutedPlanes), Date.now()));
  setInterval(() => notes.roll(Date.now()), 5000);
  // The graph follows the store: selection, hidden planes, search matches, highlighted flow.
  model.store.subscribe((s, prev) => {
    if (s.selected !== prev.selected) graph.select(s.selected);
    if (s.hiddenPlanes !== prev.hiddenPlanes || s.planes !== prev.planes) for (const p of s.planes) graph.setPlaneVisible(p.plane, !s.hiddenPlanes.includes(p.plane));
    if (s.search.result !== prev.search.result) graph.setMatches(s.search.result ? s.search.result.matches.map((m) => ({ plane: m.plane, id: m.id })) : null);
    if (s.highlightedFlow !== prev.highlightedFlow) {
      if (prev.highlightedFlow) graph.highlightFlow(prev.highlightedFlow.plane, null);
      if (s.highlightedFlow) graph.highlightFlow(s.highlightedFlow.plane, s.highlightedFlow.flowId);
    }
    if (s.selected && s.selected !== prev.selected) dockLayout()?.open('inspector');
  });
  // This window's planes, as its URL names them (a plane opened in its own window).
  const { scope, problem } = windowScope(location.search);
  model.store.setState({ scopeProblem: problem });
  void host.ready.then(() => {
    bridge.onFrame(onFrame);
    // A reconnected socket says hello again by itself: its answer is a backfill like the first.
    bridge.onRehello?.((info) => model.backfill(info));
    // Subscribed: now the core may send (it holds frames until this), of this window's planes; the answer is their session state.
    void model.hello(scope ?? undefined);
  });
  const clock = new ClockSource(bridge);
  setClockSource(clock);
  // A rewound plane's region says how far behind the present it shows ("REWIND −00:42"), like the status bar.
  setRewindClock((now) => {
    const c = clock.read(now);
    return c.mode === 'rewind' ? c.at : null;
  });
  installDebugApi(model, latency, notes, perf);
  return { model, latency, perf, notes };
}

function TopBar(props: { model: ConsoleModel }): JSX.Element {
  const theme = useConsole((s) => s.theme);
  const timeZone = useConsole((s) => s.timeZone);
  const info = useConsole((s) => s.appInfo);
  const [menu, setMenu] = useState(false);
  return (
    <header className="topbar">
      <strong>Swarmdeck</strong>
      <span className="muted">{info ? `v${info.version} · ${info.host}` : ''}</span>
      <ScopeBadge model={props.model} />
      <div className="menu">
        <button type="button" onClick={() => setMenu((m) => !m)} data-testid="menu-button" aria-expanded={menu}>
          View ▾
        </button>
        {menu ? (
          <div className="menu-list" role="menu" onMouseLeave={() => setMenu(false)}>
            {PANELS.map((p) => (
              <button
                type="button"
                role="menuitem"
                key={p.id}
                onClick={() => {
                  setMenu(false);
                  dockLayout()?.open(p.id);
                }}
              >
                {p.title}
              </button>
            ))}
            <hr />
            <button
              type="button"
              role="menuitem"
              data-testid="reset-layout"
              onClick={() => {
                setMenu(false);
                dockLayout()?.reset();
              }}
            >
              Reset layout
            </button>
          </div>
        ) : null}
      </div>
      <label className="theme-pick" title="Times in local time or UTC (24-hour)">
        time{' '}
        <select
          value={timeZone}
          onChange={(e) => {
            const z = e.target.value as TimeZoneChoice;
            setTimeZone(z);
            saveTimeZone(z);
            props.model.store.setState({ timeZone: z });
          }}
          data-testid="time-zone"
        >
          <option value="local">local</option>
          <option value="utc">UTC</option>
        </select>
      </label>
      <label className="theme-pick">
        theme{' '}
        <select value={theme} onChange={(e) => props.model.store.setState({ theme: e.target.value as ThemeChoice })} data-testid="theme">
          <option value="system">system</option>
          <option value="dark">dark</option>
          <option value="light">light</option>
        </select>
      </label>
      <button type="button" onClick={() => window.dispatchEvent(new Event(OPEN_PALETTE_EVENT))} title="Command palette (Ctrl+K)" data-testid="palette-button">
        ⌘ commands
      </button>
      <button type="button" onClick={() => window.dispatchEvent(new Event(OPEN_HELP_EVENT))} title="Keyboard shortcuts (?)" data-testid="help-button">
        ?
      </button>
    </header>
  );
}

function Console(props: { model: ConsoleModel; latency: LatencyRing; perf: PerfWindow }): JSX.Element {
  const { model } = props;
  const theme = useConsole((s) => s.theme);
  const [sysDark, setSysDark] = useState(systemDark);
  const dark = resolveDark(theme, sysDark);
  const dockHost = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null;
    const onChange = (): void => setSysDark(systemDark());
    mq?.addEventListener('change', onChange);
    return () => mq?.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    saveTheme(theme);
    dockLayout()?.setDark(dark);
  }, [dark, theme]);

  useEffect(() => {
    const dock = new Dock(dockHost.current!, model, resolveDark(model.store.getState().theme));
    setDockLayout(dock);
    return () => {
      setDockLayout(null);
      dock.dispose();
    };
  }, [model]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const a = actionForKey(e, buildActions(model));
      if (!a) return;
      e.preventDefault();
      a.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [model]);

  return (
    <div className="app">
      <TopBar model={model} />
      <div className="dock" ref={dockHost} />
      <StatusBar scene={() => (graphHost()?.isReady() ? graphHost()!.view.stats() : null)} latency={() => props.latency.median()} dataAge={() => props.perf.dataAge(performance.timeOrigin + performance.now())} rejected={() => bridgeDiagnostics.rejected} />
      <Palette />
      <Help />
    </div>
  );
}

export function App(): JSX.Element {
  // One console per page; StrictMode's double render must not boot twice.
  const [{ model, latency, perf }] = useState(booted);
  return (
    <ConsoleProvider model={model}>
      <Console model={model} latency={latency} perf={perf} />
    </ConsoleProvider>
  );
}

let bootedOnce: ReturnType<typeof boot> | null = null;
function booted(): ReturnType<typeof boot> {
  return (bootedOnce ??= boot());
}
