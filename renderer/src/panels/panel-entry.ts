// The shape of one catalogue entry. A panel is a folder
// renderer/src/panels/<Name>/ whose index.tsx exports `panel: PanelEntry`;
// the catalogue (catalogue.ts) finds every such folder, so adding a panel
// edits no shared file. docs/ARCHITECTURE.md, "Console panels", describes it.

import type { ComponentType } from 'react';

/** Where the default layout docks a panel (the operator may move it anywhere). */
export type Placement = 'center' | 'side' | 'side-bottom' | 'bottom';

export interface PanelEntry {
  /** Stable id: the dockview component name, the key in saved layouts and the palette's "Open …" command. */
  id: string;
  title: string;
  /** Rendered inside its dock tab, in its own React root under the console's store (read it with useConsole). */
  component: ComponentType;
  placement: Placement;
  /** Order of tabs within the placement; the lowest is the visible tab. */
  order: number;
  /** More words the command palette matches. */
  keywords?: string[];
}
