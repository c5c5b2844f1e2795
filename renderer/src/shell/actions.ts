// Every action of the console, in one list: the command palette shows them
// all, the keyboard shortcuts run them, the help overlay lists the keys.

import type { PlaneAction } from '@shared';
import { PANELS } from '../panels/catalogue.js';
import type { ConsoleModel, ThemeChoice } from '../store/console-model.js';
import { show } from '../ui/text.js';
import { dockLayout } from './services.js';

export interface Action {
  id: string;
  title: string;
  group: string;
  /** Shown in the help overlay and the palette; matched by shortcuts.ts. */
  shortcut?: string;
  run(): void;
}

/** Asks the Search panel to take the keyboard. */
export const FOCUS_SEARCH_EVENT = 'swarmdeck:focus-search';
export const OPEN_PALETTE_EVENT = 'swarmdeck:open-palette';
export const OPEN_HELP_EVENT = 'swarmdeck:open-help';

export function planeAction(model: ConsoleModel, plane: string, action: PlaneAction['action']): void {
  void model.services.bridge?.request('connection', { plane, action }).catch((e: unknown) => console.warn('swarmdeck:', e));
}

let errorCursor = 0;
/** Selects and centres the next agent in ERROR (search over the stores), cycling. */
export async function nextError(model: ConsoleModel): Promise<boolean> {
  const bridge = model.services.bridge;
  if (!bridge) return false;
  const r = await bridge.request('search', { state: 'ERROR' });
  if (r.matches.length === 0) {
    dockLayout()?.open('alerts');
    return false;
  }
  const m = r.matches[errorCursor++ % r.matches.length]!;
  model.select({ plane: m.plane, id: m.id });
  model.services.graph?.focusAgent({ plane: m.plane, id: m.id }, false);
  return true;
}

export function setTheme(model: ConsoleModel, theme: ThemeChoice): void {
  model.store.setState({ theme });
}

export function buildActions(model: ConsoleModel): Action[] {
  const s = model.store.getState();
  const actions: Action[] = [
    { id: 'palette', title: 'Command palette', group: 'Console', shortcut: 'Ctrl+K', run: () => window.dispatchEvent(new Event(OPEN_PALETTE_EVENT)) },
    { id: 'help', title: 'Keyboard shortcuts', group: 'Console', shortcut: '?', run: () => window.dispatchEvent(new Event(OPEN_HELP_EVENT)) },
    { id: 'fit', title: 'Fit the graph to all agents', group: 'Graph', shortcut: 'F', run: () => model.services.graph?.fitAll() },
    {
      id: 'search',
      title: 'Search agents',
      group: 'Graph',
      shortcut: '/',
      run: () => {
        dockLayout()?.open('search');
        setTimeout(() => window.dispatchEvent(new Event(FOCUS_SEARCH_EVENT)), 0);
      },
    },
    { id: 'next-error', title: 'Next agent in ERROR', group: 'Graph', shortcut: 'N', run: () => void nextError(model) },
    { id: 'pause', title: s.paused ? 'Resume the event log' : 'Pause the event log', group: 'Events', shortcut: 'P', run: () => model.store.setState((x) => ({ paused: !x.paused })) },
    { id: 'clear-selection', title: 'Clear the selection', group: 'Graph', shortcut: 'Esc', run: () => model.select(null) },
    { id: 'reset-layout', title: 'Reset the layout', group: 'Layout', run: () => dockLayout()?.reset() },
    { id: 'theme-system', title: 'Theme: follow the system', group: 'Theme', run: () => setTheme(model, 'system') },
    { id: 'theme-dark', title: 'Theme: dark', group: 'Theme', run: () => setTheme(model, 'dark') },
    { id: 'theme-light', title: 'Theme: light', group: 'Theme', run: () => setTheme(model, 'light') },
  ];
  for (const p of PANELS) actions.push({ id: `open-${p.id}`, title: `Open ${p.title}`, group: 'Panels', run: () => dockLayout()?.open(p.id, { focus: true }) });
  for (const p of s.planes) {
    const label = show(p.label);
    actions.push(
      { id: `focus-${p.plane}`, title: `Focus plane ${label}`, group: 'Planes', run: () => model.services.graph?.focusPlane(p.plane) },
      { id: `reconnect-${p.plane}`, title: `Reconnect ${label}`, group: 'Planes', run: () => planeAction(model, p.plane, 'reconnect') },
      { id: `disconnect-${p.plane}`, title: `Disconnect ${label}`, group: 'Planes', run: () => planeAction(model, p.plane, 'disconnect') },
      { id: `connect-${p.plane}`, title: `Connect ${label}`, group: 'Planes', run: () => planeAction(model, p.plane, 'connect') },
      {
        id: `mute-${p.plane}`,
        title: `${s.mutedPlanes.includes(p.plane) ? 'Unmute' : 'Mute'} notifications of ${label}`,
        group: 'Planes',
        run: () => model.store.setState((x) => ({ mutedPlanes: x.mutedPlanes.includes(p.plane) ? x.mutedPlanes.filter((q) => q !== p.plane) : [...x.mutedPlanes, p.plane] })),
      },
    );
  }
  return actions;
}
