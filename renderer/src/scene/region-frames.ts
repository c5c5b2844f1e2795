// What the graph draws for each plane's region (plane-regions.ts): a frame
// in the plane's colour behind its agents (world space, one Graphics redrawn
// each frame), and over it, in screen space so it reads at any zoom, a title:
// the plane's name in its colour, its connection when not LIVE, and its health
// counts (live, stale, error). A title is set only when its text changes, and
// left out when its region is too small on screen to hold it.

import { BitmapText, Container, Graphics } from 'pixi.js';
import type { Camera } from './camera.js';
import { PlaneRegions } from './plane-regions.js';

const TEXT = 0x8b949e;
const ERROR = 0xf85149;
const STALE = 0xd29922;
/** Title offset from the frame's top-left corner, screen pixels. */
const INSET_X = 8, INSET_Y = 6;
/** Below these on-screen region widths the counts, then the name, are left out. */
const COUNTS_MIN_PX = 150;
const NAME_MIN_PX = 48;
/** Names longer than this are cut with an ellipsis. */
const NAME_MAX = 40;

interface Title {
  name: BitmapText;
  counts: BitmapText;
  key: string;
}

export class RegionFrames {
  /** Where the regions are, and how their planes stand. */
  readonly state = new PlaneRegions();
  /** World space, below the planes. */
  readonly graphics = new Graphics();
  /** Screen space: the titles. */
  readonly titles = new Container();
  private readonly pool: Title[] = [];

  draw(cam: Camera): void {
    const g = this.graphics;
    g.clear();
    const px = 1 / cam.zoom;
    let n = 0;
    for (const r of this.state.regions) {
      const l = r.layer;
      if (!l.group.visible) continue;
      const quiet = l.connection === 'STALE';
      g.rect(r.x, r.y, r.width, r.height).fill({ color: l.color, alpha: 0.035 }).stroke({ width: 1.5 * px, color: l.color, alpha: quiet ? 0.3 : 0.65 });
      g.rect(r.x, r.y, r.width, r.content.y0 - r.y - r.height * 0.02).fill({ color: l.color, alpha: quiet ? 0.04 : 0.08 });
      const w = r.width * cam.zoom;
      if (w < NAME_MIN_PX) continue;
      const t = this.title(n++);
      const state = l.shownState ? ` · ${l.shownState}` : '';
      const name = l.label.length > NAME_MAX ? `${l.label.slice(0, NAME_MAX - 1)}…` : l.label;
      const counts = w < COUNTS_MIN_PX ? '' : `${r.live} live · ${r.stale} stale · ${r.error} error`;
      const key = `${name}${state}\n${counts}`;
      if (t.key !== key) {
        t.key = key;
        t.name.text = `${name}${state}`;
        t.counts.text = counts;
      }
      t.name.tint = l.color;
      t.name.alpha = quiet ? 0.6 : 1;
      t.counts.tint = r.error ? ERROR : r.stale ? STALE : TEXT;
      const sx = cam.worldToScreenX(r.x) + INSET_X, sy = cam.worldToScreenY(r.y) + INSET_Y;
      t.name.position.set(sx, sy);
      t.counts.position.set(sx, sy + 16);
      // A title wider than its region on screen is cut by hiding it, rather than spilling into the next.
      t.name.visible = t.name.width < w - INSET_X;
      t.counts.visible = counts !== '' && t.counts.width < w - INSET_X;
    }
    for (let i = n; i < this.pool.length; i++) {
      this.pool[i]!.name.visible = false;
      this.pool[i]!.counts.visible = false;
    }
  }

  /** Titles drawn, with their text (for the probes). */
  shown(): string[] {
    return this.pool.filter((t) => t.name.visible).map((t) => t.name.text);
  }

  private title(i: number): Title {
    while (this.pool.length <= i) {
      const name = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 13, fill: 0xffffff, fontWeight: 'bold' } });
      const counts = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 11, fill: 0xffffff } });
      this.titles.addChild(name, counts);
      this.pool.push({ name, counts, key: '' });
    }
    return this.pool[i]!;
  }
}
