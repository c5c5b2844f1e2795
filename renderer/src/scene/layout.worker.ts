// Local layout for planes that send no positions (control-plane-only planes):
// d3-force in a worker, one simulation per plane. Namespaces cluster around
// their own centres; a new agent starts at its group's centre and the
// simulation is only reheated a little, so the picture stays stable as agents
// come and go. Dragged nodes are pinned (fx, fy) until unpinned. Past
// SCENE_LAYOUT_MAX_AGENTS the extra agents sit on a fixed spiral of their group.

import { forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationNodeDatum } from 'd3-force';
import { SCENE_LAYOUT_MAX_AGENTS, SCENE_MAX_GROUPS } from '@shared';
import { groupCentre, LAYOUT_SPACING, spiralPoint, type LayoutPositions, type ToLayout } from './layout-protocol.js';

interface Node extends SimulationNodeDatum {
  id: number;
  group: number;
  /** Beyond the simulated count: placed on the spiral, not simulated. */
  fixed: boolean;
}

interface PlaneLayout {
  nodes: Map<number, Node>;
  groups: Map<string, number>;
  sim: Simulation<Node, undefined>;
  simulated: number;
  dirty: boolean;
}

const TICK_MS = 33;
const REHEAT = 0.3;
const planes = new Map<string, PlaneLayout>();

function planeOf(id: string): PlaneLayout {
  let p = planes.get(id);
  if (!p) {
    const sim = forceSimulation<Node>([])
      .force('charge', forceManyBody<Node>().strength(-LAYOUT_SPACING * 1.5).distanceMax(LAYOUT_SPACING * 12))
      .alphaDecay(0.03)
      .stop();
    p = { nodes: new Map(), groups: new Map(), sim, simulated: 0, dirty: true };
    planes.set(id, p);
  }
  return p;
}

function groupIndex(p: PlaneLayout, name: string | null): number {
  if (name === null) return 0;
  let g = p.groups.get(name);
  if (g === undefined) {
    g = Math.min(p.groups.size + 1, SCENE_MAX_GROUPS);
    p.groups.set(name, g);
  }
  return g;
}

function centreOf(p: PlaneLayout, g: number): [number, number] {
  return groupCentre(g, p.groups.size + 1, p.nodes.size);
}

/** Re-seats forces after membership or groups changed. */
function rewire(p: PlaneLayout): void {
  const sim = p.sim;
  const live = [...p.nodes.values()].filter((n) => !n.fixed);
  sim.nodes(live);
  sim.force('x', forceX<Node>((n) => centreOf(p, n.group)[0]).strength(0.06));
  sim.force('y', forceY<Node>((n) => centreOf(p, n.group)[1]).strength(0.06));
  // Spiral-placed agents: re-seat by their rank in the group (stable for a stable membership).
  const rank = new Map<number, number>();
  for (const n of p.nodes.values()) {
    if (!n.fixed) continue;
    const k = rank.get(n.group) ?? 0;
    rank.set(n.group, k + 1);
    const [cx, cy] = centreOf(p, n.group);
    [n.x, n.y] = spiralPoint(k, cx, cy);
  }
  sim.alpha(Math.max(sim.alpha(), REHEAT));
  p.dirty = true;
}

function hashJitter(id: number): [number, number] {
  const h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return [((h & 0xffff) / 0xffff - 0.5) * LAYOUT_SPACING * 2, ((h >>> 16) / 0xffff - 0.5) * LAYOUT_SPACING * 2];
}

self.onmessage = (e: MessageEvent<ToLayout>) => {
  const m = e.data;
  const p = planeOf(m.plane);
  switch (m.type) {
    case 'add': {
      for (let i = 0; i < m.ids.length; i++) {
        const id = m.ids[i]!;
        if (p.nodes.has(id)) continue;
        const group = groupIndex(p, m.groups[i] ?? null);
        const fixed = p.simulated >= SCENE_LAYOUT_MAX_AGENTS;
        if (!fixed) p.simulated++;
        const [cx, cy] = centreOf(p, group);
        const [jx, jy] = hashJitter(id);
        p.nodes.set(id, { id, group, fixed, x: cx + jx, y: cy + jy });
      }
      rewire(p);
      break;
    }
    case 'remove':
      for (const id of m.ids) {
        const n = p.nodes.get(id);
        if (n && !n.fixed) p.simulated--;
        p.nodes.delete(id);
      }
      rewire(p);
      break;
    case 'group': {
      const n = p.nodes.get(m.id);
      if (n) {
        n.group = groupIndex(p, m.group);
        rewire(p);
      }
      break;
    }
    case 'pin': {
      const n = p.nodes.get(m.id);
      if (n) {
        n.fx = n.x = m.x;
        n.fy = n.y = m.y;
        p.sim.alpha(Math.max(p.sim.alpha(), REHEAT / 3));
        p.dirty = true;
      }
      break;
    }
    case 'unpin': {
      const n = p.nodes.get(m.id);
      if (n) {
        n.fx = n.fy = null;
        p.sim.alpha(Math.max(p.sim.alpha(), REHEAT / 3));
      }
      break;
    }
    case 'drop':
      planes.delete(m.plane);
      break;
  }
};

setInterval(() => {
  for (const [plane, p] of planes) {
    const sim = p.sim;
    const hot = sim.alpha() > sim.alphaMin();
    if (!hot && !p.dirty) continue;
    if (hot) sim.tick();
    p.dirty = false;
    const ids = new Uint32Array(p.nodes.size);
    const xy = new Float32Array(p.nodes.size * 2);
    let k = 0;
    for (const n of p.nodes.values()) {
      ids[k] = n.id;
      xy[2 * k] = n.x ?? 0;
      xy[2 * k + 1] = n.y ?? 0;
      k++;
    }
    const out: LayoutPositions = { type: 'positions', plane, ids, xy, alpha: hot ? sim.alpha() : 0 };
    (self as unknown as Worker).postMessage(out, [ids.buffer, xy.buffer]);
  }
}, TICK_MS);
