// Messages between the scene and the force-layout worker (layout.worker.ts).
// Types and the group geometry only: both sides import this file.

export type ToLayout =
  | { type: 'add'; plane: string; ids: Uint32Array; groups: (string | null)[] }
  | { type: 'remove'; plane: string; ids: Uint32Array }
  | { type: 'group'; plane: string; id: number; group: string }
  | { type: 'pin'; plane: string; id: number; x: number; y: number }
  | { type: 'unpin'; plane: string; id: number }
  | { type: 'drop'; plane: string };

export interface LayoutPositions {
  type: 'positions';
  plane: string;
  ids: Uint32Array;
  xy: Float32Array;
  /** The simulation's temperature: 0 once settled. */
  alpha: number;
}

/** Spacing of neighbouring agents in layout units. */
export const LAYOUT_SPACING = 20;

/** Where group g of `groups` clusters: on a circle sized for `agents`, so namespaces sit apart. */
export function groupCentre(g: number, groups: number, agents: number): [number, number] {
  if (groups <= 1) return [0, 0];
  const r = LAYOUT_SPACING * Math.sqrt(Math.max(agents, 1)) * 0.9 + LAYOUT_SPACING * 4;
  const a = (g / groups) * Math.PI * 2;
  return [Math.cos(a) * r, Math.sin(a) * r];
}

/** The k-th point of a sunflower spiral around a centre: a stable, even place for agent k of a group. */
export function spiralPoint(k: number, cx: number, cy: number): [number, number] {
  const r = LAYOUT_SPACING * 0.6 * Math.sqrt(k + 0.5);
  const a = k * 2.399963229728653;
  return [cx + Math.cos(a) * r, cy + Math.sin(a) * r];
}
