import { describe, expect, it } from 'vitest';
import { GraphExportSchema } from '../../../renderer/src/scene/export-schema.js';
import { graphExport } from '../../../renderer/src/scene/graph-export.js';
import { testPlane } from '../../helpers/scene-plane.js';

describe('the JSON export', () => {
  const planes = () => {
    const a = testPlane('alpha', [
      { id: 1, x: 10, y: -20, state: 2, load: 250, group: 'ns-a' },
      { id: 2, x: 30, y: 40, state: 6, load: 40 },
      { id: 3, x: 0, y: 0 },
    ]);
    a.alive[2] = 0; // agent 3 left
    a.lost.add(2);
    a.flows.update('agent-1-agent-2', { from: { kind: 'agent', id: 1 }, to: { kind: 'agent', id: 2 } }, () => 0, { messageCount: 12, successRate: 0.9, averageLatency: 4 }, 0);
    const b = testPlane('beta', [{ id: 1, x: 5, y: 5 }]);
    b.positioned = false;
    b.pinned.add(1);
    return [a, b];
  };

  it('validates against the export schema', () => {
    const out = graphExport(planes(), 1_000, new Date(0));
    expect(GraphExportSchema.safeParse(out).success).toBe(true);
    // A real export with something the schema refuses is caught by the same check.
    expect(GraphExportSchema.safeParse({ ...out, nodes: [{ ...out.nodes[0]!, load: 250 }] }).success).toBe(false);
  });

  it('lists live agents only, with drawn position, state, capped load, marks and group', () => {
    const out = graphExport(planes(), 1_000, new Date(0));
    expect(out.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(out.planes).toEqual([
      { plane: 'alpha', color: 0x58a6ff, layout: 'plane' },
      { plane: 'beta', color: 0x58a6ff, layout: 'local' },
    ]);
    expect(out.nodes.map((n) => `${n.plane}/${n.id}`)).toEqual(['alpha/1', 'alpha/2', 'beta/1']);
    expect(out.nodes[0]).toMatchObject({ label: 'agent-001', x: 10, y: -20, state: 2, stateName: 'EXECUTING', load: 100, lost: false, pinned: false, group: 'ns-a' });
    expect(out.nodes[1]).toMatchObject({ state: 6, stateName: 'ERROR', load: 40, lost: true, group: null });
    expect(out.nodes[2]).toMatchObject({ pinned: true });
  });

  it('gives each flow with its stats and age', () => {
    const out = graphExport(planes(), 1_000, new Date(0));
    expect(out.flows).toEqual([
      {
        plane: 'alpha',
        flowId: 'agent-1-agent-2',
        from: { kind: 'agent', id: 1 },
        to: { kind: 'agent', id: 2 },
        messageCount: 12,
        ratePerSec: null,
        successRate: expect.closeTo(0.9, 6),
        averageLatency: 4,
        minLatency: null,
        maxLatency: null,
        lastUpdateAgoMs: 1_000,
      },
    ]);
  });
});
