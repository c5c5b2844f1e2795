// Commands: the forms for every kind of command, and every command sent.

import type { JSX } from 'react';
import { useRenderCount } from '../../store/hooks.js';
import type { PanelEntry } from '../panel-entry.js';
import { CommandForm } from './CommandForm.js';
import { CommandList } from './CommandList.js';

function CommandsPanel(): JSX.Element {
  useRenderCount('commands');
  return (
    <div className="panel commands-panel" data-testid="commands">
      <CommandForm />
      <h4>sent</h4>
      <CommandList />
    </div>
  );
}

export const panel: PanelEntry = { id: 'commands', title: 'Commands', component: CommandsPanel, placement: 'side-bottom', order: 1, keywords: ['restart', 'update', 'fetch_logs', 'execute', 'configure'] };
