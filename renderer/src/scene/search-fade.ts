// Search fading: the agents a search matches stay lit and the rest fade, and
// so does everything drawn for non-matching agents only (flows, messages,
// round marks, labels). Writes the per-slot `dim` flags and node opacity in
// place. No pixi here.

/** Opacity (0..255) of agents a search does not match. */
export const DIMMED_ALPHA = 38;
/** The same fade as a factor, for what is drawn for non-matching agents only. */
export const DIMMED_FACTOR = DIMMED_ALPHA / 255;
/** A label of a non-matching agent. */
export const DIMMED_LABEL_ALPHA = 0.3;

/** What a plane needs for a search to fade it. */
export interface Fadeable {
  plane: string;
  slotCount: number;
  alive: Uint8Array;
  ids: Uint32Array;
  dim: Uint8Array;
  /** Node style, rgba per slot: the alpha is what fades. */
  style: Uint8Array;
  styleDirty: boolean;
  /** The ids a search matches on this plane; null: no search. */
  matches: Set<number> | null;
}

/** Applies a search to every plane: null shows all; a plane with no match fades entirely. */
export function fadeToMatches(planes: readonly Fadeable[], matches: readonly { plane: string; id: number }[] | null): void {
  const by = new Map<string, Set<number>>();
  for (const m of matches ?? []) {
    let s = by.get(m.plane);
    if (!s) by.set(m.plane, (s = new Set()));
    s.add(m.id);
  }
  for (const l of planes) {
    l.matches = matches === null ? null : (by.get(l.plane) ?? new Set());
    for (let slot = 0; slot < l.slotCount; slot++) {
      if (!l.alive[slot]) continue;
      l.dim[slot] = l.matches !== null && !l.matches.has(l.ids[slot]!) ? 1 : 0;
      l.style[4 * slot + 3] = l.dim[slot] ? DIMMED_ALPHA : 255;
    }
    l.styleDirty = true;
  }
}
