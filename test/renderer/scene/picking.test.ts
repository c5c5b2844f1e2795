import { describe, expect, it } from 'vitest';
import { nodeRadiusPx } from '../../../renderer/src/scene/lod.js';
import { FLOW_REACH_PX, flowAt, PICK_SLACK_PX, pickAgent, pickReach, segmentDistance2 } from '../../../renderer/src/scene/picking.js';
import { REINDEX_MS } from '../../../renderer/src/scene/spatial-index.js';
import { testCamera, testPlane } from '../../helpers/scene-plane.js';

// 1000×800 canvas centred on world (0, 0): screen (500 + x·zoom, 400 + y·zoom).
const W = 1000, H = 800;
const screen = (x: number, zoom = 1) => W / 2 + x * zoom;
const flowEnds = (a: number, b: number) => ({ from: { kind: 'agent' as const, id: a }, to: { kind: 'agent' as const, id: b } });

describe('picking an agent', () => {
  it('picks within the node radius (at full load) plus the slack, and not beyond', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const reachPx = nodeRadiusPx(1, 2) * 1.6 + PICK_SLACK_PX;
    expect(pickReach(cam, 2)).toBeCloseTo(reachPx, 9);
    const l = testPlane('p', [{ id: 7, x: 0, y: 0 }, { id: 8, x: 300, y: 0 }]);
    expect(pickAgent([l], cam, 2, screen(reachPx - 0.1), H / 2, 0)).toEqual({ plane: 'p', id: 7 });
    expect(pickAgent([l], cam, 2, screen(reachPx + 0.1), H / 2, 0)).toBeNull();
    expect(pickAgent([l], cam, 2, screen(299), H / 2 + 3, 0)).toEqual({ plane: 'p', id: 8 });
  });

  it('judges the reach in screen pixels, whatever the zoom', () => {
    // Zoomed in 4× past the fit: nodes are drawn larger, and a world unit is 4 px.
    const cam = testCamera(W, H, 0, 0, 4, 1);
    const reachPx = nodeRadiusPx(4, 2) * 1.6 + PICK_SLACK_PX;
    const l = testPlane('p', [{ id: 1, x: 10, y: 0 }, { id: 2, x: 100, y: 0 }]);
    expect(pickAgent([l], cam, 2, screen(10, 4) + reachPx - 0.1, H / 2, 0)).toEqual({ plane: 'p', id: 1 });
    expect(pickAgent([l], cam, 2, screen(10, 4) + reachPx + 0.1, H / 2, 0)).toBeNull();
  });

  it('takes the nearest agent, and on a tie the plane drawn on top; hidden and empty planes are skipped', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const below = testPlane('below', [{ id: 1, x: 0, y: 0 }, { id: 2, x: 5, y: 0 }]);
    const above = testPlane('above', [{ id: 9, x: 0, y: 0 }]);
    expect(pickAgent([below], cam, 3, screen(4), H / 2, 0)).toEqual({ plane: 'below', id: 2 });
    expect(pickAgent([below, above], cam, 3, screen(0), H / 2, 0)).toEqual({ plane: 'above', id: 9 });
    above.group.visible = false;
    expect(pickAgent([below, above], cam, 3, screen(0), H / 2, 0)).toEqual({ plane: 'below', id: 1 });
    below.visible = 0;
    expect(pickAgent([below, above], cam, 3, screen(0), H / 2, 0)).toBeNull();
  });

  it('finds an agent where it is drawn now, not where the index last saw it', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const l = testPlane('p', [{ id: 1, x: 0, y: 0 }]);
    expect(pickAgent([l], cam, 1, screen(0), H / 2, 0)).toEqual({ plane: 'p', id: 1 });
    // It moves by more than its reach before the index is rebuilt.
    const moved = pickReach(cam, 1) * 2;
    l.kin.xy[0] = moved;
    const soon = REINDEX_MS / 2;
    expect(pickAgent([l], cam, 1, screen(0), H / 2, soon)).toBeNull();
    expect(pickAgent([l], cam, 1, screen(moved), H / 2, soon)).toEqual({ plane: 'p', id: 1 });
  });
});

describe('the flow under the pointer', () => {
  const withFlow = () => {
    const l = testPlane('p', [{ id: 1, x: 0, y: 0 }, { id: 2, x: 100, y: 0 }]);
    const k = l.flows.update('agent-1-agent-2', flowEnds(1, 2), () => 0, { messageCount: 3 }, 0);
    l.flows.ends.set([0, 0, 100, 0], 4 * k);
    l.flows.color[4 * k + 3] = 255;
    return l;
  };

  it('is found within FLOW_REACH_PX of its drawn segment, in screen pixels', () => {
    const cam = testCamera(W, H, 0, 0, 2);
    const l = withFlow();
    l.flows.meta[0] = 0; // a hairline: the reach is from its centre line
    expect(flowAt([l], cam, screen(50, 2), H / 2 + FLOW_REACH_PX - 0.5)?.k).toBe(0);
    expect(flowAt([l], cam, screen(50, 2), H / 2 + FLOW_REACH_PX + 0.5)).toBeNull();
    // Past an end, the distance is to the end.
    expect(flowAt([l], cam, screen(100, 2) + FLOW_REACH_PX - 0.5, H / 2)?.k).toBe(0);
    expect(flowAt([l], cam, screen(100, 2) + FLOW_REACH_PX + 0.5, H / 2)).toBeNull();
  });

  it('is found within FLOW_REACH_PX of its drawn edge: a wide flow reaches further, and wins over a thin one crossing it', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const l = testPlane('p', [{ id: 1, x: 0, y: 0 }, { id: 2, x: 100, y: 0 }, { id: 3, x: 50, y: -50 }, { id: 4, x: 50, y: 50 }]);
    const wide = l.flows.update('wide', flowEnds(1, 2), () => 0, { messageCount: 3 }, 0);
    const thin = l.flows.update('thin', flowEnds(3, 4), () => 0, { messageCount: 3 }, 0);
    l.flows.ends.set([0, 0, 100, 0], 4 * wide);
    l.flows.ends.set([50, -50, 50, 50], 4 * thin);
    l.flows.color[4 * wide + 3] = 255;
    l.flows.color[4 * thin + 3] = 255;
    l.flows.meta[4 * wide] = 255; // 8 px wide
    l.flows.meta[4 * thin] = 0;
    expect(l.flows.drawnWidthPx(wide)).toBe(8);
    // 4 px (half its width) + FLOW_REACH_PX from its centre line.
    expect(flowAt([l], cam, screen(20), H / 2 + 4 + FLOW_REACH_PX - 0.5)?.k).toBe(wide);
    expect(flowAt([l], cam, screen(20), H / 2 + 4 + FLOW_REACH_PX + 0.5)).toBeNull();
    // On the wide flow's body, 2 px beside the thin one's line: the wide one is named.
    expect(flowAt([l], cam, screen(52), H / 2 + 1)?.k).toBe(wide);
    // Off the wide flow, beside the thin one: the thin one.
    expect(flowAt([l], cam, screen(51), H / 2 + 30)?.k).toBe(thin);
  });

  it('skips flows faded out and planes hidden', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const l = withFlow();
    l.flows.color[3] = 0;
    expect(flowAt([l], cam, screen(50), H / 2)).toBeNull();
    l.flows.color[3] = 255;
    l.group.visible = false;
    expect(flowAt([l], cam, screen(50), H / 2)).toBeNull();
  });

  it('measures the distance to a segment, and to a point for a zero-length one', () => {
    expect(segmentDistance2(5, 3, 0, 0, 10, 0)).toBe(9);
    expect(segmentDistance2(-3, 4, 0, 0, 10, 0)).toBe(25);
    expect(segmentDistance2(13, 4, 0, 0, 10, 0)).toBe(25);
    expect(segmentDistance2(3, 4, 0, 0, 0, 0)).toBe(25);
  });
});
