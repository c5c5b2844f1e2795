// The graph panel: shows the app's one scene (shell/graph-host.ts) and a few
// camera actions. Everything else reaches the graph through GraphView.

import { useEffect, useRef, useState, type JSX } from 'react';
import { Legend } from '../../scene/Legend.js';
import { graphHost } from '../../shell/services.js';
import { parkGraph } from '../../shell/graph-host.js';
import { useConsole, useModel } from '../../store/hooks.js';
import type { PanelEntry } from '../panel-entry.js';

const LEGEND_KEY = 'swarmdeck.legend.open';
/** The legend starts open on a first launch; after that it stays as the operator left it. */
const legendOpen = ((): boolean => {
  try {
    return localStorage.getItem(LEGEND_KEY) !== 'false';
  } catch {
    return true;
  }
})();
function saveLegendOpen(open: boolean): void {
  try {
    localStorage.setItem(LEGEND_KEY, String(open));
  } catch {
    // Storage refused (private mode): the choice lasts this session only.
  }
}

function GraphPanel(): JSX.Element {
  const slot = useRef<HTMLDivElement>(null);
  const model = useModel();
  const planes = useConsole((s) => s.planes);
  // The legend probes the scene, so it gets the view only once the scene is up.
  const [ready, setReady] = useState(() => graphHost()?.isReady() ?? false);
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
      <details className="graph-legend" open={legendOpen} onToggle={(e) => saveLegendOpen((e.currentTarget as HTMLDetailsElement).open)} data-testid="graph-legend">
        <summary>legend</summary>
        <Legend planes={planes} view={ready ? (graphHost()?.view ?? null) : null} />
      </details>
    </div>
  );
}

export const panel: PanelEntry = { id: 'graph', title: 'Graph', component: GraphPanel, placement: 'center', order: 0, keywords: ['scene', 'agents', 'map'] };
