// Agent labels on screen: BitmapTexts in a screen-space layer, re-chosen every
// LABEL_REFRESH_MS (label-choice.ts) and moved with their agents every frame.
// Texts are pooled and a label's text is set only when its agent changes.

import { BitmapText, Container } from 'pixi.js';
import { agentLabel, grown, STATE_UNKNOWN } from '@shared';
import type { Camera } from './camera.js';
import type { AgentRef } from './graph-view.js';
import { chooseLabels, LABEL_OFFSET_Y, labelOffsetX, type LabelSlot } from './label-choice.js';
import { LabelGrid, labelsShown } from './lod.js';
import type { PlaneLayer } from './plane-layer.js';
import { DIMMED_LABEL_ALPHA } from './search-fade.js';

/** Labels are re-chosen this often (their positions follow every frame). */
const LABEL_REFRESH_MS = 150;

export class Labels {
  /** Screen-space layer of the texts. */
  readonly layer = new Container();
  /** Labels drawn at the last frame. */
  count = 0;
  private readonly texts: BitmapText[] = [];
  /** Per text, the agent it shows ((plane index × 2^32 + id) × 2 + unknown state), so text is set only on a change. */
  private keys = new Float64Array(0);
  private chosenAt = -Infinity;
  private readonly chosen: LabelSlot<PlaneLayer>[] = [];
  private readonly grid = new LabelGrid();

  /** Labels when zoomed in enough, at most one per screen cell and never more than the screen holds; `radiusPx` is the nodes' drawn radius. */
  draw(now: number, cam: Camera, layers: readonly PlaneLayer[], byPlane: ReadonlyMap<string, PlaneLayer>, selected: AgentRef | null, radiusPx: number): void {
    if (!labelsShown(cam.relativeZoom)) {
      this.chosen.length = 0;
    } else if (now - this.chosenAt > LABEL_REFRESH_MS) {
      this.chosenAt = now;
      chooseLabels(this.chosen, this.grid, cam, layers, byPlane, selected, radiusPx, now);
    }
    const dx = labelOffsetX(radiusPx);
    let n = 0;
    for (const { layer: l, slot } of this.chosen) {
      if (!l.alive[slot] || !l.group.visible) continue;
      // An agent in a state the console does not know reads "agent-007 ?" (its node is hollow).
      const unknown = l.states[slot] === STATE_UNKNOWN ? 1 : 0;
      const key = (l.index * 4294967296 + l.ids[slot]!) * 2 + unknown;
      const t = this.textAt(n);
      if (this.keys[n] !== key) {
        this.keys[n] = key;
        t.text = unknown ? `${agentLabel(l.ids[slot]!)} ?` : agentLabel(l.ids[slot]!);
      }
      t.position.set(cam.worldToScreenX(l.kin.xy[2 * slot]!) + dx, cam.worldToScreenY(l.kin.xy[2 * slot + 1]!) + LABEL_OFFSET_Y);
      t.alpha = l.dim[slot] ? DIMMED_LABEL_ALPHA : 1;
      t.visible = true;
      n++;
    }
    for (let i = n; i < this.count; i++) this.texts[i]!.visible = false;
    this.count = n;
  }

  private textAt(i: number): BitmapText {
    while (this.texts.length <= i) {
      const t = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 11, fill: 0xc9d1d9 } });
      this.texts.push(t);
      this.layer.addChild(t);
      if (this.keys.length < this.texts.length) this.keys = grown(this.keys, this.texts.length * 2, -1);
    }
    return this.texts[i]!;
  }
}
