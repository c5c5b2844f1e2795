// What the graph draws for each plane's region (plane-regions.ts): a frame
// in the plane's colour behind its agents (world space, one Graphics redrawn
// each frame), and over it, in screen space so it reads at any zoom, a title:
// the plane's name in its colour, its connection when not LIVE, and its health
// counts (live, stale, error). A title is set only when its text changes; it
// is cut to its region's width on screen, and left out of a region too small.

import { BitmapText, Container, Graphics } from 'pixi.js';
import { REWIND_LABEL_SUFFIX } from '@shared';
import type { Camera } from './camera.js';
import { PlaneRegions } from './plane-regions.js';
import type { RegionInfo } from './probe-types.js';
import { rewindMark } from '../ui/time.js';

const TEXT = 0x8b949e;
const ERROR = 0xf85149;
const STALE = 0xd29922;
/** Title offset from the frame's top-left corner, screen pixels. */
const INSET_X = 8, INSET_Y = 6;
/** The title band's height on screen from which the counts line is shown under the name. */
const COUNTS_MIN_BAND_PX = 30;
/** Width of one character of the name (13 px bold monospace) and of the counts (11 px), screen pixels. */
const NAME_CHAR_PX = 8;
const COUNT_CHAR_PX = 6.7;
/** Below this on-screen region width the title is left out. */
const NAME_MIN_PX = 48;

/** The data time a rewound plane shows (the page's clock, set by the app), for its title's "REWIND −00:42". */
let rewoundAt: (now: number) => number | null = () => null;
export function setRewindClock(f: (now: number) => number | null): void {
  rewoundAt = f;
}

/** `label` without `suffix` (a rewind plane's title says REWIND already). */
function withoutSuffix(label: string, suffix: string): string {
  return label.endsWith(suffix) ? label.slice(0, -suffix.length) : label;
}

/** What the title says of the plane's state: a rewound plane how far behind the present it is. */
function stateText(shown: string, now: number): string {
  if (shown !== 'REWIND') return shown;
  const at = rewoundAt(now);
  return at === null ? shown : rewindMark(at, now);
}

interface Title {
  plane: string;
  name: BitmapText;
  /** live, stale, error */
  counts: [BitmapText, BitmapText, BitmapText];
  key: string;
}

/** `text` cut with an ellipsis to at most `max` characters. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : max <= 1 ? '' : `${text.slice(0, max - 1)}…`;
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
    const now = Date.now();
    for (const r of this.state.regions) {
      const l = r.layer;
      if (!l.group.visible) continue;
      const quiet = l.connection === 'STALE';
      g.rect(r.x, r.y, r.width, r.height).fill({ color: l.color, alpha: 0.035 }).stroke({ width: 1.5 * px, color: l.color, alpha: quiet ? 0.3 : 0.65 });
      g.rect(r.x, r.y, r.width, r.content.y0 - r.y - r.height * 0.02).fill({ color: l.color, alpha: quiet ? 0.04 : 0.08 });
      const w = r.width * cam.zoom;
      if (w < NAME_MIN_PX) continue;
      const t = this.title(n++);
      t.plane = r.plane;
      // The name (and the connection when not LIVE) cut to the region's width; the counts each shown while they fit.
      const room = w - 2 * INSET_X;
      const name = cut(`${l.shownState === 'REWIND' ? withoutSuffix(l.label, ` ${REWIND_LABEL_SUFFIX}`) : l.label}${l.shownState ? ` · ${stateText(l.shownState, now)}` : ''}`, Math.floor(room / NAME_CHAR_PX));
      // "12 live · 0 stale · 2 error", or where that does not fit, the numbers alone in the same colours: "12 · 0 · 2".
      const full = [`${r.live} live ·`, `${r.stale} stale ·`, `${r.error} error`];
      const counts = full.join(' ').length * COUNT_CHAR_PX <= room ? full : [`${r.live} ·`, `${r.stale} ·`, `${r.error}`];
      const key = `${name}\n${counts.join(' ')}`;
      if (t.key !== key) {
        t.key = key;
        t.name.text = name;
        for (let i = 0; i < 3; i++) t.counts[i]!.text = counts[i]!;
      }
      const sx = cam.worldToScreenX(r.x) + INSET_X, sy = cam.worldToScreenY(r.y) + INSET_Y;
      t.name.tint = l.color;
      t.name.alpha = quiet ? 0.6 : 1;
      t.name.position.set(sx, sy);
      t.name.visible = name !== '';
      let x = sx;
      // The counts go under the name, in the title band: where the band is too short on screen they would lie over the agents.
      const band = (r.content.y0 - r.y) * cam.zoom >= COUNTS_MIN_BAND_PX;
      for (let i = 0; i < 3; i++) {
        const c = t.counts[i]!;
        const len = c.text.length * COUNT_CHAR_PX;
        c.visible = band && x + len - sx <= room;
        c.tint = i === 2 && r.error ? ERROR : i === 1 && r.stale ? STALE : TEXT;
        c.position.set(x, sy + 16);
        x += len + COUNT_CHAR_PX;
      }
    }
    for (let i = n; i < this.pool.length; i++) {
      const t = this.pool[i]!;
      t.name.visible = false;
      for (const c of t.counts) c.visible = false;
    }
  }

  /** The regions with their titles as drawn at the last frame (window.__swarmdeck.regions()). */
  info(): RegionInfo[] {
    return this.state.info().map((r) => ({ ...r, title: this.pool.find((t) => t.plane === r.planeId && t.name.visible)?.name.text ?? null }));
  }

  private title(i: number): Title {
    while (this.pool.length <= i) {
      const name = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 13, fill: 0xffffff, fontWeight: 'bold' } });
      const count = () => new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 11, fill: 0xffffff } });
      const counts: Title['counts'] = [count(), count(), count()];
      this.titles.addChild(name, ...counts);
      this.pool.push({ plane: '', name, counts, key: '' });
    }
    return this.pool[i]!;
  }
}
