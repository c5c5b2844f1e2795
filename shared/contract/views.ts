// A view (window or tab): its hello and the planes it shows, and the
// desktop shell's New Window. A page's URL names its scope (?plane=ID).

import { z } from 'zod';
import { MAX_VIEW_PLANES } from '../limits.js';
import { PlaneHistorySchema } from './history.js';

const PlaneIdsSchema = z.array(z.string().min(1).max(200)).min(1).max(MAX_VIEW_PLANES);

/** The planes a view shows (a plane in its own window); a hello without one shows every plane. */
export const ViewScopeSchema = z.object({ planes: PlaneIdsSchema });
export type ViewScope = z.infer<typeof ViewScopeSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web']),
  planes: z.array(z.object({ plane: z.string(), label: z.string(), url: z.string(), color: z.number().int() })),
  /** The view's scope as the core applied it; null: every plane. */
  scope: z.array(z.string()).nullable(),
  /** Each shown plane's session state at the hello (the backfill); frames carry what changes after it. */
  history: z.array(PlaneHistorySchema),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** New Window (no planes), or a window of only these planes. */
export const WindowRequestSchema = z.object({ planes: PlaneIdsSchema.optional() });
export type WindowRequest = z.infer<typeof WindowRequestSchema>;
export const WindowResultSchema = z.object({ opened: z.boolean(), message: z.string().optional() });
export type WindowResult = z.infer<typeof WindowResultSchema>;

/** The page URL's query parameter naming a plane of the view's scope (repeated for several). */
export const SCOPE_PARAM = 'plane';

/** The scope a page URL's query names (`?plane=a&plane=b`); null when it names none. Extra or bad values are the schema's to refuse. */
export function scopeFromQuery(search: string): string[] | null {
  const planes = new URLSearchParams(search).getAll(SCOPE_PARAM);
  return planes.length === 0 ? null : planes;
}

/** The query (with its "?") of a page showing only these planes; "" for every plane. */
export function scopeQuery(planes: readonly string[] | null | undefined): string {
  if (!planes || planes.length === 0) return '';
  const q = new URLSearchParams();
  for (const p of planes) q.append(SCOPE_PARAM, p);
  return `?${q.toString()}`;
}
