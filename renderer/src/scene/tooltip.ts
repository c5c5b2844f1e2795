// The tooltip over the graph: what is under the pointer, an agent (state,
// load, group, marks, and for a stale one how long ago it was last heard) or
// else a flow (its messages, rate, success and latency). A DOM element over
// the canvas, filled with text only, refreshed at most every HOVER_MS.

import { agentLabel, stateName } from '@shared';
import type { Camera } from './camera.js';
import type { FlowRecord } from './flows.js';
import { flowAt, pickAgent } from './picking.js';
import type { PlaneLayer } from './plane-layer.js';

/** The tooltip follows the pointer at most this often. */
const HOVER_MS = 50;

/** What the tooltip says at screen (sx, sy): an agent, else the nearest flow within a few pixels, else null. */
export function describeAt(layers: readonly PlaneLayer[], byPlane: ReadonlyMap<string, PlaneLayer>, cam: Camera, agentsShown: number, sx: number, sy: number, now: number): string | null {
  const hit = pickAgent(layers, cam, agentsShown, sx, sy, now);
  if (hit) {
    const l = byPlane.get(hit.plane)!;
    const slot = l.slotOf.get(hit.id)!;
    const g = l.groupOf[slot]!;
    const lost = l.lost.has(hit.id);
    // A stale agent (its plane STALE or DOWN, or itself lost) shows how old what is drawn of it is.
    // A view opened after the plane went DOWN had its agents in its first frame: the age is at least the time DOWN.
    const heard = lost || l.connection === 'STALE' ? `\n${lastHeard(Math.max(now - l.heard[slot]!, l.downSince ? Date.now() - l.downSince : 0))}` : '';
    return `${agentLabel(hit.id)} · ${hit.plane}\n${stateName(l.states[slot]!)} · load ${l.load[slot]}%${g >= 0 ? ` · ${l.groupNames[g]}` : ''}${lost ? ' · LOST' : ''}${l.pinned.has(hit.id) ? ' · pinned' : ''}${heard}`;
  }
  const flow = flowAt(layers, cam, sx, sy);
  return flow ? describeFlow(flow.layer.flows.record(flow.k, now)) : null;
}

/** "last heard 12 s ago" (minutes past 2 min, hours past 2 h). */
export function lastHeard(ageMs: number): string {
  const s = Math.max(0, Math.round(ageMs / 1000));
  const age = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return `last heard ${age} ago`;
}

function describeFlow(r: FlowRecord): string {
  const end = (x: typeof r.from): string => (x.kind === 'agent' ? agentLabel(x.id) : x.name);
  const lat = r.averageLatency === null ? 'latency ?' : `latency ${r.averageLatency.toFixed(1)} ms${r.minLatency !== null && r.maxLatency !== null ? ` (${r.minLatency}–${r.maxLatency})` : ''}`;
  return `${end(r.from)} → ${end(r.to)}\n${r.messageCount} msgs${r.ratePerSec !== null ? ` · ${r.ratePerSec.toFixed(1)}/s` : ''} · success ${r.successRate === null ? '?' : `${(r.successRate * 100).toFixed(0)}%`}\n${lat}`;
}

export class Tooltip {
  private readonly el: HTMLDivElement;
  private hoverAt = 0;

  constructor(
    host: HTMLElement,
    private readonly describe: (sx: number, sy: number) => string | null,
  ) {
    const t = document.createElement('div');
    t.dataset.testid = 'graph-tooltip';
    Object.assign(t.style, {
      position: 'absolute',
      display: 'none',
      pointerEvents: 'none',
      background: 'rgba(1,4,9,0.92)',
      border: '1px solid #30363d',
      borderRadius: '4px',
      padding: '4px 6px',
      font: '11px monospace',
      color: '#c9d1d9',
      whiteSpace: 'pre',
      zIndex: '5',
    });
    host.appendChild(t);
    this.el = t;
  }

  /** The pointer is at canvas point (sx, sy). */
  hover(sx: number, sy: number): void {
    const now = performance.now();
    if (now - this.hoverAt < HOVER_MS) return;
    this.hoverAt = now;
    const text = this.describe(sx, sy);
    if (!text) {
      this.hide();
      return;
    }
    const t = this.el;
    t.textContent = text;
    t.style.left = `${sx + 14}px`;
    t.style.top = `${sy + 10}px`;
    t.style.display = 'block';
  }

  hide(): void {
    this.el.style.display = 'none';
  }

  remove(): void {
    this.el.remove();
  }
}
