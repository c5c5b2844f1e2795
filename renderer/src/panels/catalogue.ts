// Every panel of the console: each folder under panels/ whose index.tsx
// exports `panel` (see panel-entry.ts). Vite resolves the glob at build time.

import type { PanelEntry } from './panel-entry.js';

const modules = import.meta.glob<{ panel?: PanelEntry }>('./*/index.tsx', { eager: true });

export const PANELS: readonly PanelEntry[] = Object.values(modules)
  .flatMap((m) => (m.panel ? [m.panel] : []))
  .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

export function panelById(id: string): PanelEntry | undefined {
  return PANELS.find((p) => p.id === id);
}
