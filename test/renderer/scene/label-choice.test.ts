import { describe, expect, it } from 'vitest';
import { SCENE_MAX_LABELS } from '../../../shared/limits.js';
import { chooseLabels, LABEL_OFFSET_Y, labelOffsetX, type LabelSlot } from '../../../renderer/src/scene/label-choice.js';
import { LABEL_BOX_H, LABEL_BOX_W, LABEL_CELL_H, LABEL_CELL_W, LabelGrid, labelBudget } from '../../../renderer/src/scene/lod.js';
import { testCamera, testPlane, type TestAgent } from '../../helpers/scene-plane.js';

type Plane = ReturnType<typeof testPlane>;
const W = 1000, H = 800;
const RADIUS_PX = 4;

function choose(planes: Plane[], selected: { plane: string; id: number } | null = null, zoom = 10): LabelSlot<Plane>[] {
  const cam = testCamera(W, H, 0, 0, zoom, 1);
  const out: LabelSlot<Plane>[] = [];
  chooseLabels(out, new LabelGrid(), cam, planes, new Map(planes.map((p) => [p.plane, p])), selected, RADIUS_PX, 0);
  return out;
}
const ids = (out: LabelSlot<Plane>[]) => out.map(({ layer, slot }) => `${layer.plane}/${layer.ids[slot]}`);

describe('choosing labels', () => {
  it('never labels more than the screen holds, and no two labels overlap', () => {
    // 3,000 agents packed into the view (at zoom 10 the view is 100 × 80 world units).
    const crowd: TestAgent[] = Array.from({ length: 3_000 }, (_, i) => ({ id: i + 1, x: ((i * 37) % 100) - 50, y: ((i * 53) % 80) - 40 }));
    const out = choose([testPlane('p', crowd)]);
    const budget = labelBudget(W, H);
    expect(budget).toBeLessThanOrEqual(SCENE_MAX_LABELS);
    expect(out.length).toBeGreaterThan(50);
    expect(out.length).toBeLessThanOrEqual(budget);
    const cam = testCamera(W, H, 0, 0, 10, 1);
    const boxes = out.map(({ layer, slot }) => ({ x: cam.worldToScreenX(layer.kin.xy[2 * slot]!) + labelOffsetX(RADIUS_PX), y: cam.worldToScreenY(layer.kin.xy[2 * slot + 1]!) + LABEL_OFFSET_Y }));
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i]!;
      // On screen, within the grid's last (partial) cell.
      expect(a.x >= 0 && a.y >= 0 && a.x + LABEL_BOX_W < Math.ceil(W / LABEL_CELL_W) * LABEL_CELL_W && a.y + LABEL_BOX_H < Math.ceil(H / LABEL_CELL_H) * LABEL_CELL_H, `label ${i} at ${a.x}, ${a.y}`).toBe(true);
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j]!;
        const overlap = a.x < b.x + LABEL_BOX_W && b.x < a.x + LABEL_BOX_W && a.y < b.y + LABEL_BOX_H && b.y < a.y + LABEL_BOX_H;
        expect(overlap, `labels ${i} and ${j} overlap`).toBe(false);
      }
    }
  });

  it('offers the plane drawn on top first, and the selected agent before all', () => {
    const below = testPlane('below', [{ id: 1, x: 0, y: 0 }]);
    const above = testPlane('above', [{ id: 2, x: 0, y: 0 }]);
    expect(ids(choose([below, above]))).toEqual(['above/2']);
    expect(ids(choose([below, above], { plane: 'below', id: 1 }))).toEqual(['below/1']);
  });

  it('labels only live agents in view on visible planes', () => {
    const p = testPlane('p', [{ id: 1, x: 0, y: 0 }, { id: 2, x: 20, y: 20 }, { id: 3, x: 400, y: 0 }, { id: 4, x: -20, y: -20 }]);
    p.alive[3] = 0;
    const hidden = testPlane('hidden', [{ id: 5, x: 20, y: -20 }]);
    hidden.group.visible = false;
    expect(ids(choose([p, hidden])).sort()).toEqual(['p/1', 'p/2']);
  });

  it('chooses afresh each time: the same view gives the same labels', () => {
    const p = testPlane('p', [{ id: 1, x: 0, y: 0 }, { id: 2, x: 20, y: 20 }]);
    const cam = testCamera(W, H, 0, 0, 10, 1);
    const out: LabelSlot<Plane>[] = [];
    const grid = new LabelGrid();
    const byPlane = new Map([['p', p]]);
    chooseLabels(out, grid, cam, [p], byPlane, null, RADIUS_PX, 0);
    const first = ids(out);
    chooseLabels(out, grid, cam, [p], byPlane, null, RADIUS_PX, 0);
    expect(ids(out)).toEqual(first);
    expect(first).toHaveLength(2);
  });
});
