// Window size and position, saved per window slot and restored on the next
// launch, kept on a display that still exists. No Electron import: the
// geometry is tested in Node; windows.ts applies it.

import { z } from 'zod';
import { MAX_WINDOWS } from '../../shared/index.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 640, height: 400 } as const;
/** How much of a window must stay on a display for its saved place to be used. */
const MIN_VISIBLE = 64;

const RectSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
export const WindowStateSchema = z.object({ windows: z.array(RectSchema.extend({ maximized: z.boolean().default(false) })).max(MAX_WINDOWS) });
export type WindowState = z.infer<typeof WindowStateSchema>;

export function parseWindowState(raw: unknown): WindowState {
  const r = WindowStateSchema.safeParse(raw);
  return r.success ? r.data : { windows: [] };
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return { w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x), h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) };
}

/**
 * Where a window opens: its saved rect when enough of it is on one of the
 * `displays` (work areas), else the default size centred on the first, cascaded
 * by `index` so new windows do not sit exactly on top of each other.
 */
export function placeWindow(saved: Rect | undefined, displays: readonly Rect[], index = 0): Rect {
  const primary = displays[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved) {
    const width = Math.max(MIN_SIZE.width, saved.width);
    const height = Math.max(MIN_SIZE.height, saved.height);
    const r = { ...saved, width, height };
    if (displays.some((d) => { const o = overlap(r, d); return o.w >= MIN_VISIBLE && o.h >= MIN_VISIBLE; })) return r;
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  const step = 32 * (index % 8);
  return { x: Math.round(primary.x + (primary.width - width) / 2) + step, y: Math.round(primary.y + (primary.height - height) / 2) + step, width, height };
}
