// Agent inspector panel: the selected agent (click it in the graph, an
// event, a search result or a round).

import type { JSX } from 'react';
import { useConsole, useModel, useRenderCount } from '../../store/hooks.js';
import type { PanelEntry } from '../panel-entry.js';
import { Inspector } from './Inspector.js';

function InspectorPanel(): JSX.Element {
  useRenderCount('inspector');
  const model = useModel();
  const sel = useConsole((s) => s.selected);
  return (
    <div className="panel inspector-panel">
      {sel ? <Inspector key={`${sel.plane}:${sel.id}`} sel={sel} onClose={() => model.select(null)} /> : <p className="muted">Click an agent in the graph, an event or a search result to inspect it.</p>}
    </div>
  );
}

export const panel: PanelEntry = { id: 'inspector', title: 'Inspector', component: InspectorPanel, placement: 'side-bottom', order: 0, keywords: ['agent', 'details'] };
