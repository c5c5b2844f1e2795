// What the graph draws over the agents, few shapes in one Graphics redrawn
// each frame: coordination rounds (a ring on each participant and a thicker
// one on the initiator, spokes between them, a badge per vote that pulses
// when fresh, the outcome as text for a while after the round ends) and the
// selected agent's ring. A search fades the marks of agents it does not match.

import { BitmapText, Graphics, type Container } from 'pixi.js';
import type { Camera } from './camera.js';
import { VOTE_PULSE_MS, type Rounds } from './coordination.js';
import type { AgentRef } from './graph-view.js';
import { worldOf, type PlaneLayer } from './plane-layer.js';
import { DIMMED_FACTOR } from './search-fade.js';

const ROUND_COLOR = 0xe3b341;
const VOTE_COLORS: Record<string, number> = { approve: 0x3fb950, approved: 0x3fb950, yes: 0x3fb950, reject: 0xf85149, rejected: 0xf85149, no: 0xf85149 };
/** Outcome texts shown at once, at most. */
const MAX_OUTCOMES = 8;

export class Overlays {
  /** World-space shapes (drawn above the planes). */
  readonly graphics = new Graphics();
  private readonly outcomeTexts: BitmapText[] = [];

  /** `screen`: the screen-space layer the outcome texts go in. */
  constructor(private readonly screen: Container) {}

  /** `radiusPx`: the nodes' drawn radius. */
  draw(now: number, cam: Camera, rounds: Rounds, byPlane: ReadonlyMap<string, PlaneLayer>, selected: AgentRef | null, radiusPx: number): void {
    const g = this.graphics;
    g.clear();
    const px = 1 / cam.zoom;
    const r = radiusPx * px;
    rounds.expire(now);
    let outcomes = 0;
    for (const round of rounds.rounds.values()) {
      const l = byPlane.get(round.plane);
      if (!l || !l.group.visible) continue;
      const ended = round.outcome !== null;
      const ringColor = ended ? (/reject|fail|timeout/i.test(round.outcome!) ? 0xf85149 : 0x3fb950) : ROUND_COLOR;
      const ini = round.initiator === null ? null : worldOf(byPlane, round.plane, round.initiator);
      // A search fades the marks of agents it does not match, as it fades the agents.
      const fade = (id: number | null): number => {
        const slot = id === null || l.matches === null ? undefined : l.slotOf.get(id);
        return slot !== undefined && l.dim[slot] ? DIMMED_FACTOR : 1;
      };
      const iniFade = fade(round.initiator);
      for (const [id, role] of round.participants) {
        const p = worldOf(byPlane, round.plane, id);
        if (!p) continue;
        const f = fade(id);
        if (ini) g.moveTo(ini.x, ini.y).lineTo(p.x, p.y).stroke({ width: px, color: ringColor, alpha: 0.45 * Math.max(f, iniFade) });
        g.circle(p.x, p.y, r * 2.1).stroke({ width: 2 * px, color: ringColor, alpha: (role === 'observer' ? 0.5 : 0.95) * f });
        const v = round.votes.get(id);
        if (v) {
          const pulse = now - v.at < VOTE_PULSE_MS ? 1.6 - (now - v.at) / VOTE_PULSE_MS * 0.6 : 1;
          const c = VOTE_COLORS[v.vote.toLowerCase()];
          const bx = p.x + r * 1.7, by = p.y - r * 1.7;
          if (c === undefined) g.circle(bx, by, 3 * px * pulse).stroke({ width: px, color: 0x8b949e, alpha: f });
          else g.circle(bx, by, 3.5 * px * pulse).fill({ color: c, alpha: f });
        }
      }
      if (ini) g.circle(ini.x, ini.y, r * 2.8).stroke({ width: 3.5 * px, color: ringColor, alpha: iniFade });
      if (ended && ini && outcomes < MAX_OUTCOMES) {
        const t = this.outcomeText(outcomes++);
        t.text = `${round.pattern.toLowerCase()} ${round.outcome!.toLowerCase()}`;
        t.tint = ringColor;
        t.position.set(cam.worldToScreenX(ini.x) + 14, cam.worldToScreenY(ini.y) - 26);
        t.visible = true;
      }
    }
    for (let i = outcomes; i < this.outcomeTexts.length; i++) this.outcomeTexts[i]!.visible = false;
    const p = selected ? worldOf(byPlane, selected.plane, selected.id) : null;
    if (selected && p && byPlane.get(selected.plane)!.group.visible) g.circle(p.x, p.y, r * 2.4).stroke({ width: 3 * px, color: 0xffffff, alpha: 0.95 });
  }

  private outcomeText(i: number): BitmapText {
    while (this.outcomeTexts.length <= i) {
      const t = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 13, fill: 0xffffff, fontWeight: 'bold' } });
      this.outcomeTexts.push(t);
      this.screen.addChild(t);
    }
    return this.outcomeTexts[i]!;
  }
}
