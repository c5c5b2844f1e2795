// The dockable layout (dockview): every catalogue panel in its own React
// root, arranged by the default layout or the operator's saved one. The
// layout is saved to localStorage on every change, restored on load
// (validated: a stale or foreign layout falls back to the default), and reset
// from the menu or the palette.

import { createDockview, themeDark, themeLight, type DockviewApi, type IContentRenderer } from 'dockview';
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { z } from 'zod';
import { PANELS, panelById } from '../panels/catalogue.js';
import type { PanelEntry, Placement } from '../panels/panel-entry.js';
import type { ConsoleModel } from '../store/console-model.js';
import { ConsoleProvider } from '../store/hooks.js';

export const LAYOUT_KEY = 'swarmdeck.layout.v1';
/** A saved layout larger than this is not read (localStorage is the operator's, but bounded all the same). */
const MAX_LAYOUT_BYTES = 256 * 1024;

/** Enough of dockview's serialised form to know it names only panels we have. */
const SavedLayoutSchema = z.object({
  grid: z.object({ root: z.unknown(), width: z.number(), height: z.number(), orientation: z.string() }),
  panels: z.record(z.string(), z.object({ id: z.string(), contentComponent: z.string().optional() })),
  activeGroup: z.string().optional(),
});

class PanelRenderer implements IContentRenderer {
  readonly element = document.createElement('div');
  private root: Root | null = null;
  constructor(
    private readonly entry: PanelEntry,
    private readonly model: ConsoleModel,
  ) {
    this.element.className = 'panel-root';
    this.element.dataset.panel = entry.id;
    // Focusable, so opening a panel can move the keyboard into it (Dock.focus).
    this.element.tabIndex = -1;
  }
  init(): void {
    const C = this.entry.component;
    this.root = createRoot(this.element);
    this.root.render(
      <StrictMode>
        <ConsoleProvider model={this.model}>
          <C />
        </ConsoleProvider>
      </StrictMode>,
    );
  }
  dispose(): void {
    // Unmounting inside dockview's own dispose would be a synchronous unmount during a render: defer it.
    const r = this.root;
    this.root = null;
    queueMicrotask(() => r?.unmount());
  }
}

const SIDE_WIDTH = 400;
const BOTTOM_HEIGHT = 270;

export class Dock {
  readonly api: DockviewApi;
  private saving = true;

  constructor(
    host: HTMLElement,
    private readonly model: ConsoleModel,
    dark: boolean,
  ) {
    this.api = createDockview(host, {
      theme: dark ? themeDark : themeLight,
      createComponent: ({ name }) => {
        const entry = panelById(name);
        if (!entry) throw new Error(`no panel "${name}"`);
        return new PanelRenderer(entry, this.model);
      },
    });
    if (!this.restore()) this.defaultLayout();
    this.api.onDidLayoutChange(() => this.save());
  }

  setDark(dark: boolean): void {
    this.api.updateOptions({ theme: dark ? themeDark : themeLight });
  }

  /** Shows a panel: its tab is activated, or it is added back where the default layout puts it. */
  /** Opens (or shows) a panel; with `focus`, the keyboard moves into it once it has drawn. */
  open(id: string, opts: { focus?: boolean } = {}): void {
    const existing = this.api.getPanel(id);
    if (existing) existing.api.setActive();
    else {
      const entry = panelById(id);
      if (!entry) return;
      const ref = this.anchorFor(entry.placement);
      this.api.addPanel(ref ? { id, component: id, title: entry.title, position: { referencePanel: ref } } : { id, component: id, title: entry.title });
    }
    if (opts.focus) focusPanel(id);
  }

  isOpen(id: string): boolean {
    return this.api.getPanel(id) !== undefined;
  }

  reset(): void {
    this.saving = false;
    this.api.clear();
    this.defaultLayout();
    this.saving = true;
    this.save();
  }

  dispose(): void {
    this.api.dispose();
  }

  /** A panel already in the group of that placement, to add beside. */
  private anchorFor(p: Placement): string | undefined {
    const open = PANELS.filter((e) => e.placement === p && this.api.getPanel(e.id));
    return open[0]?.id;
  }

  private defaultLayout(): void {
    const by = (p: Placement): PanelEntry[] => PANELS.filter((e) => e.placement === p);
    const groups: [Placement, (first: string) => Parameters<DockviewApi['addPanel']>[0]['position'] | undefined][] = [
      ['center', () => undefined],
      ['side', () => (this.first('center') ? { referencePanel: this.first('center')!, direction: 'right' } : undefined)],
      ['side-bottom', () => (this.first('side') ? { referencePanel: this.first('side')!, direction: 'below' } : undefined)],
      ['bottom', () => (this.first('center') ? { referencePanel: this.first('center')!, direction: 'below' } : undefined)],
    ];
    for (const [placement, where] of groups) {
      const entries = by(placement);
      entries.forEach((e, i) => {
        const position = i === 0 ? where(e.id) : { referencePanel: entries[0]!.id };
        this.api.addPanel({
          id: e.id,
          component: e.id,
          title: e.title,
          ...(position ? { position } : {}),
          ...(i === 0 && placement === 'side' ? { initialWidth: SIDE_WIDTH } : {}),
          ...(i === 0 && placement === 'bottom' ? { initialHeight: BOTTOM_HEIGHT } : {}),
          ...(i > 0 ? { inactive: true } : {}),
        });
      });
    }
  }

  private first(p: Placement): string | undefined {
    return PANELS.find((e) => e.placement === p)?.id;
  }

  private save(): void {
    if (!this.saving) return;
    try {
      localStorage.setItem(LAYOUT_KEY, JSON.stringify(this.api.toJSON()));
    } catch {
      // Storage full or denied: the layout is simply not kept.
    }
  }

  private restore(): boolean {
    let text: string | null = null;
    try {
      text = localStorage.getItem(LAYOUT_KEY);
    } catch {
      return false;
    }
    if (!text || text.length > MAX_LAYOUT_BYTES) return false;
    try {
      const parsed = SavedLayoutSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return false;
      const names = Object.values(parsed.data.panels).map((p) => p.contentComponent ?? p.id);
      if (names.length === 0 || !names.every((n) => panelById(n))) return false;
      this.saving = false;
      // The schema checked what we rely on; dockview checks the rest and throws on what it cannot load.
      this.api.fromJSON(JSON.parse(text) as Parameters<DockviewApi['fromJSON']>[0]);
      this.saving = true;
      return true;
    } catch {
      this.saving = true;
      this.api.clear();
      return false;
    }
  }
}

/**
 * Moves the focus into a panel: its first field or button, else the panel itself.
 * The panel's React root renders asynchronously, so this looks for a few frames.
 */
function focusPanel(id: string, framesLeft = 10): void {
  requestAnimationFrame(() => {
    const root = document.querySelector<HTMLElement>(`.panel-root[data-panel="${CSS.escape(id)}"]`);
    const target = root?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])');
    if (target) return target.focus();
    if (framesLeft > 0) return focusPanel(id, framesLeft - 1);
    root?.focus();
  });
}
