// The graph panel: shows the app's one scene (shell/graph-host.ts) and a few
// camera actions. Everything else reaches the graph through GraphView.

import { useEffect, useRef, type JSX } from 'react';
import { graphHost } from '../../shell/services.js';
import { parkGraph } from '../../shell/graph-host.js';
import { useModel } from '../../store/hooks.js';
import type { PanelEntry } from '../panel-entry.js';

function GraphPanel(): JSX.Element {
  const slot = useRef<HTMLDivElement>(null);
  const model = useModel();
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
    </div>
  );
}

export const panel: PanelEntry = { id: 'graph', title: 'Graph', component: GraphPanel, placement: 'center', order: 0, keywords: ['scene', 'agents', 'map'] };
