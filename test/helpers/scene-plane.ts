// A plane as the scene's pure parts read it (picking, labels, export, search
// fading), built without pixi: real dead reckoning, k-d tree and flow table
// over slot arrays, agents placed where the test says.

import { Camera } from '../../renderer/src/scene/camera.js';
import { Kinematics } from '../../renderer/src/scene/dead-reckoning.js';
import { FlowTable } from '../../renderer/src/scene/flows.js';
import { SpatialIndex } from '../../renderer/src/scene/spatial-index.js';

export interface TestAgent {
  id: number;
  x: number;
  y: number;
  state?: number;
  load?: number;
  group?: string;
}

export function testPlane(plane: string, agents: readonly TestAgent[]) {
  const kin = new Kinematics();
  kin.ensure(Math.max(1, agents.length));
  const cap = kin.capacity;
  const groupNames: string[] = [];
  const l = {
    plane,
    color: 0x58a6ff,
    positioned: true as boolean | null,
    group: { visible: true },
    kin,
    slotCount: agents.length,
    visible: agents.length,
    alive: new Uint8Array(cap),
    ids: new Uint32Array(cap),
    states: new Uint16Array(cap),
    load: new Uint8Array(cap),
    dim: new Uint8Array(cap),
    style: new Uint8Array(4 * cap),
    styleDirty: false,
    matches: null as Set<number> | null,
    groupOf: new Int16Array(cap).fill(-1),
    slotOf: new Map<number, number>(),
    spatial: new SpatialIndex(),
    lost: new Set<number>(),
    pinned: new Set<number>(),
    groupNames,
    flows: new FlowTable((g) => groupNames[g] ?? ''),
  };
  agents.forEach((a, s) => {
    l.alive[s] = 1;
    l.ids[s] = a.id;
    l.slotOf.set(a.id, s);
    l.states[s] = a.state ?? 0;
    l.load[s] = a.load ?? 0;
    l.style[4 * s + 3] = 255;
    kin.report(s, a.x, a.y, 0, 0, 0);
    if (a.group !== undefined) {
      if (!groupNames.includes(a.group)) groupNames.push(a.group);
      l.groupOf[s] = groupNames.indexOf(a.group);
    }
  });
  return l;
}

/** A camera on a `width`×`height` canvas, centred on world (x, y), at `zoom` px per unit, with a fit at `fitZoom`. */
export function testCamera(width: number, height: number, x: number, y: number, zoom: number, fitZoom = zoom): Camera {
  const cam = new Camera();
  cam.setViewport(width, height);
  cam.centreOn(x, y);
  cam.zoom = zoom;
  cam.fitZoom = fitZoom;
  return cam;
}
