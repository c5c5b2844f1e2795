// Export graph: the graph as JSON (export-schema.ts: every live agent with
// its drawn position and state, every flow with its stats), and the view as
// a PNG read from the canvas just rendered.

import { agentLabel, stateName } from '@shared';
import type { GraphExport } from './export-schema.js';
import type { PlaneLayer } from './plane-layer.js';

/** What the JSON export reads of a plane. */
export type ExportLayer = Pick<PlaneLayer, 'plane' | 'color' | 'positioned' | 'slotCount' | 'alive' | 'ids' | 'groupOf' | 'kin' | 'states' | 'load' | 'lost' | 'pinned' | 'groupNames' | 'flows'>;

/** The graph as drawn at `now` (ms, the scene's clock), stamped `exportedAt`. */
export function graphExport(layers: readonly ExportLayer[], now: number, exportedAt: Date): GraphExport {
  const out: GraphExport = { format: 'swarmdeck.graph', version: 1, exportedAt: exportedAt.toISOString(), planes: [], nodes: [], flows: [] };
  for (const l of layers) {
    out.planes.push({ plane: l.plane, color: l.color, layout: l.positioned === false ? 'local' : 'plane' });
    for (let s = 0; s < l.slotCount; s++) {
      if (!l.alive[s]) continue;
      const id = l.ids[s]!;
      const g = l.groupOf[s]!;
      out.nodes.push({
        plane: l.plane,
        id,
        label: agentLabel(id),
        x: l.kin.xy[2 * s]!,
        y: l.kin.xy[2 * s + 1]!,
        state: l.states[s]!,
        stateName: stateName(l.states[s]!),
        load: Math.min(100, l.load[s]!),
        lost: l.lost.has(id),
        pinned: l.pinned.has(id),
        group: g >= 0 ? l.groupNames[g]! : null,
      });
    }
    for (let k = 0; k < l.flows.n; k++) out.flows.push({ plane: l.plane, ...l.flows.record(k, now) });
  }
  return out;
}

/** The canvas as a PNG. Call in the same task as the render: the drawing buffer is still intact then. */
export function canvasPng(canvas: HTMLCanvasElement): Blob {
  const url = canvas.toDataURL('image/png');
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'image/png' });
}

/** A blob's bytes as base64 (for a probe that crosses into the test's process as a string). */
export async function blobBase64(b: Blob): Promise<string> {
  const bytes = new Uint8Array(await b.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
