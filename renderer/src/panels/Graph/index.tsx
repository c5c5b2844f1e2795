// The graph panel: shows the app's one scene (shell/graph-host.ts) and a few
// camera actions. Everything else reaches the graph through GraphView.

import { useEffect, useLayoutEffect, useRef, useState, type JSX } from 'react';
import { Legend } from '../../scene/Legend.js';
import { graphHost } from '../../shell/services.js';
import { parkGraph } from '../../shell/graph-host.js';
import { useConsole, useModel } from '../../store/hooks.js';
import { readPreference, writePreference } from '../../ui/preference.js';
import type { PanelEntry } from '../panel-entry.js';

const LEGEND_KEY = 'swarmdeck.legend.open';
/** A graph panel smaller than this starts with the legend folded: open, it would cover much of the graph. */
const LEGEND_OPEN_MIN = { width: 1000, height: 560 };
/** More planes than this and the legend starts folded too: its outline list grows a line per few planes, over the first regions. */
const LEGEND_OPEN_MAX_PLANES = 4;
/** The operator's own choice, once made (null: none yet, so the panel's size decides). */
function savedLegendOpen(): boolean | null {
  const v = readPreference(LEGEND_KEY);
  return v === null ? null : v !== 'false';
}
function saveLegendOpen(open: boolean): void {
  writePreference(LEGEND_KEY, String(open));
}

function GraphPanel(): JSX.Element {
  const slot = useRef<HTMLDivElement>(null);
  const model = useModel();
  const planes = useConsole((s) => s.planes);
  // The legend probes the scene, so it gets the view only once the scene is up.
  const [ready, setReady] = useState(() => graphHost()?.isReady() ?? false);
  const [legendOpen, setLegendOpen] = useState<boolean>(() => savedLegendOpen() ?? false);
  useLayoutEffect(() => {
    if (savedLegendOpen() !== null || !slot.current) return;
    const r = slot.current.getBoundingClientRect();
    setLegendOpen(r.width >= LEGEND_OPEN_MIN.width && r.height >= LEGEND_OPEN_MIN.height);
  }, []);
  const crowded = planes.length > LEGEND_OPEN_MAX_PLANES;
  useEffect(() => {
    if (crowded && savedLegendOpen() === null) setLegendOpen(false);
  }, [crowded]);
  useEffect(() => {
    void graphHost()?.ready.then(() => setReady(true));
  }, []);
  useEffect(() => {
    const host = graphHost();
    if (!host || !slot.current) return;
    slot.current.appendChild(host.element);
    window.dispatchEvent(new Event('resize'));
    return () => parkGraph(host);
  }, []);
  return (
    <div className="graph-panel">
      <div className="graph-slot" ref={slot} />
      <div className="graph-tools">
        <button type="button" onClick={() => model.services.graph?.fitAll()} title="Fit all (f)">
          fit
        </button>
      </div>
      <details
        className="graph-legend"
        open={legendOpen}
        onToggle={(e) => {
          const open = (e.currentTarget as HTMLDetailsElement).open;
          if (open === legendOpen) return; // our own (size-chosen) state, not the operator's click
          setLegendOpen(open);
          saveLegendOpen(open);
        }}
        data-testid="graph-legend"
      >
        <summary>legend</summary>
        <Legend planes={planes} view={ready ? (graphHost()?.view ?? null) : null} />
      </details>
    </div>
  );
}

export const panel: PanelEntry = { id: 'graph', title: 'Graph', component: GraphPanel, placement: 'center', order: 0, keywords: ['scene', 'agents', 'map'] };
