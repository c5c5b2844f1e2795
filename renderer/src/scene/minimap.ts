// The overview in the corner once zoomed in (MINIMAP_MIN_RELATIVE_ZOOM): every
// plane's nodes through a second mesh over the same instance buffers (so it
// costs no copy), in a box fitted to everything drawn, with the camera's view
// as a rectangle. The bounds are refreshed every BOUNDS_REFRESH_MS or at a fit.

import { Container, Graphics, type Geometry, type Mesh, type Shader } from 'pixi.js';
import type { Bounds, Camera } from './camera.js';
import { MINIMAP_MIN_RELATIVE_ZOOM } from './lod.js';
import { minimapBox, minimapTransform, minimapViewRect, type MinimapBox, type MinimapTransform } from './minimap-geometry.js';
import { boundsOf, type PlaneLayer } from './plane-layer.js';

/** The bounds the minimap shows are re-measured this often. */
const BOUNDS_REFRESH_MS = 1_000;
/** Node dots in the minimap, in minimap pixels. */
const DOT_RADIUS = 1.2;

export class Minimap {
  /** Screen-space: the box, the nodes and the view. */
  readonly container = new Container();
  private readonly world = new Container();
  private readonly frame = new Graphics();
  private readonly view = new Graphics();
  private bounds: Bounds | null = null;
  private boundsAt = -Infinity;
  private readonly transform: MinimapTransform = { scale: 1, x: 0, y: 0 };
  private readonly rect: Bounds = { x0: 0, y0: 0, x1: 0, y1: 0 };
  /** Where the box is on the canvas (sized to it: a small window gets a small box). */
  readonly box: MinimapBox = { x: 0, y: 0, w: 0, h: 0 };

  constructor() {
    this.container.addChild(this.frame, this.world, this.view);
    this.container.visible = false;
  }

  get visible(): boolean {
    return this.container.visible;
  }

  /** A plane's minimap mesh (NodeMesh.meshOf over its node buffers). */
  add(mesh: Mesh<Geometry, Shader>): void {
    this.world.addChild(mesh);
  }

  /** The bounds of a fit, measured already. */
  setBounds(b: Bounds, now: number): void {
    this.bounds = b;
    this.boundsAt = now;
  }

  draw(now: number, cam: Camera, layers: readonly PlaneLayer[]): void {
    const show = cam.relativeZoom >= MINIMAP_MIN_RELATIVE_ZOOM && layers.some((l) => l.visible > 0);
    this.container.visible = show;
    if (!show) return;
    if (!this.bounds || now - this.boundsAt > BOUNDS_REFRESH_MS) {
      this.bounds = boundsOf(layers.filter((l) => l.group.visible)) ?? this.bounds;
      this.boundsAt = now;
    }
    const b = this.bounds;
    if (!b) return;
    const box = minimapBox(cam.width, cam.height, this.box);
    const t = minimapTransform(b, box, this.transform);
    const s = t.scale;
    this.container.position.set(box.x, box.y);
    this.frame.clear().rect(0, 0, box.w, box.h).fill({ color: 0x010409, alpha: 0.85 }).stroke({ width: 1, color: 0x30363d });
    this.world.scale.set(s);
    this.world.position.set(t.x, t.y);
    for (const l of layers) {
      const u = l.miniUniforms.uniforms;
      u.uRadius = DOT_RADIUS / s;
      u.uPixel = 1 / s;
      u.uRing = 0; // dots only: at minimap size a ring hides the state colour
    }
    this.view.clear();
    if (minimapViewRect(b, s, cam.visible(0), box, this.rect)) {
      const r = this.rect;
      this.view.rect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0).stroke({ width: 1.5, color: 0xffffff, alpha: 0.9 });
    }
  }
}
