import { describe, expect, it } from 'vitest';
import type { Alert, MetricSample, PlaneStatus } from '@shared';
import type { FlowRow } from '../../../renderer/src/store/flows.js';
import { segments, sparkPoints } from '../../../renderer/src/panels/Inspector/timeline.js';
import { metricTable, xRange } from '../../../renderer/src/panels/Metrics/series-data.js';
import { planeHealth } from '../../../renderer/src/panels/Overview/health.js';
import { planeState } from '../../../renderer/src/ui/format.js';
import { slowFlows, sortFlows } from '../../../renderer/src/panels/Flows/sort-flows.js';
import { parseQuery, unknownKeyMessage } from '../../../renderer/src/panels/Search/query.js';

const row = (flowId: string, avgMs: number, count = 1): FlowRow => ({ key: flowId, plane: 'p', flowId, count, avgMs, minMs: 1, maxMs: 2, successRate: 1, bandwidth: 1, lastActivity: 0, updatedAt: 0 });

describe('Flows table', () => {
  it('sorts either way with missing figures last, and marks the slow ones', () => {
    const rows = [row('a', 10), row('b', NaN), row('c', 50), row('d', 12)];
    expect(sortFlows(rows, 'avgMs', true).map((r) => r.flowId)).toEqual(['c', 'd', 'a', 'b']);
    expect(sortFlows(rows, 'avgMs', false).map((r) => r.flowId)).toEqual(['a', 'd', 'c', 'b']);
    expect(sortFlows(rows, 'flowId', false).map((r) => r.flowId)).toEqual(['a', 'b', 'c', 'd']);
    expect([...slowFlows(rows)]).toEqual(['c']);
  });
});

describe('search queries', () => {
  it('reads field prefixes and free text', () => {
    expect(parseQuery('  ')).toEqual({ request: null, unknownKeys: [] });
    expect(parseQuery('state:error ns:research 12').request).toEqual({ state: 'ERROR', namespace: 'research', text: '12' });
    expect(parseQuery('cap:nlp plane:sim').request).toEqual({ capability: 'nlp', plane: 'sim' });
  });
  it('reports an unknown key instead of searching it as text', () => {
    const q = parseQuery('colour:red state:idle Colour:blue size:3');
    expect(q.request).toEqual({ state: 'IDLE' });
    expect(q.unknownKeys).toEqual(['colour', 'size']);
    expect(unknownKeyMessage(['colour'])).toBe('unknown key colour; keys are ns, state, cap, plane');
    expect(unknownKeyMessage([])).toBeNull();
  });
});

describe('plane health', () => {
  const p = { plane: 'p', label: 'P', color: 0, url: '', state: 'LIVE', agents: 3, counters: {} } as unknown as PlaneStatus;
  it('is healthy when live with nothing wrong, degraded with reasons, down when failed', () => {
    expect(planeHealth(p, [], 99)).toEqual({ health: 'healthy', reasons: [] });
    // Lost while LIVE and retrying: down, not degraded.
    expect(planeHealth({ ...p, state: 'CONNECTING', downSince: 1 }, [], 99)).toEqual({ health: 'down', reasons: ['connection lost, retrying'] });
    const alert: Alert = { key: 'p/plane_down', kind: 'plane_down', plane: 'p', level: 'critical', state: 'firing', message: 'm', count: 2, since: 0, firedAt: 0, firstAt: 0, lastAt: 0, acknowledged: false, rev: 1 };
    expect(planeHealth({ ...p, agentsLost: 2 }, [alert], 50)).toEqual({ health: 'degraded', reasons: ['1 critical alert', '2 agents lost', 'network health 50 %'] });
    expect(planeHealth(p, [{ ...alert, acknowledged: true }], undefined).health).toBe('healthy');
    expect(planeHealth(p, [{ ...alert, state: 'resolved' }], undefined).health).toBe('healthy');
    expect(planeHealth({ ...p, state: 'AUTH_REQUIRED' }, [], 99).health).toBe('down');
    // A recording is never connected: it is a replay, not a plane that is down.
    expect(planeHealth({ ...p, state: 'CLOSED', replay: true }, [], 99)).toEqual({ health: 'replay', reasons: ['playing a recording (Timeline)'] });
    expect(planeHealth({ ...p, state: 'CLOSED' }, [], 99).health).toBe('down');
    expect(planeState({ state: 'CLOSED', replay: true })).toBe('REPLAY');
    expect(planeState({ state: 'CLOSED' })).toBe('CLOSED');
  });
});

describe('state timeline', () => {
  it('cuts the window into state segments', () => {
    const segs = segments([{ at: 600, from: 'IDLE', to: 'EXECUTING' }, { at: 800, from: 'EXECUTING', to: 'ERROR', reason: 'crash' }], 1000, 1000);
    expect(segs.map((s) => [s.state, s.x0, s.x1])).toEqual([
      ['IDLE', 0, 0.6],
      ['EXECUTING', 0.6, 0.8],
      ['ERROR', 0.8, 1],
    ]);
    expect(segs[2]!.reason).toBe('crash');
    expect(sparkPoints([1], 10, 10)).toBe('');
    expect(sparkPoints([0, 1], 10, 10)).toBe('0.0,9.0 10.0,1.0');
  });
});

describe('metric tables', () => {
  it('joins planes on one time axis with gaps where a plane has no sample', () => {
    const sample = (n: number, at: number, v: number | null, kind: MetricSample['kind'] = 'raw'): MetricSample => ({ n, at, kind, values: [v, ...new Array<null>(10).fill(null)] });
    const a = [sample(1, 1000, 1), sample(2, 3000, 3)];
    const b = [sample(1, 2000, 20)];
    const t = metricTable([a, b, undefined], 0, 0);
    expect(t).toEqual([[1, 2, 3], [1, null, 3], [null, 20, null], [null, null, null]]);
    // Averaged buckets fill in only where no raw sample remains; the window cuts older ones.
    const c = [sample(3, 500, 5, 'avg'), sample(4, 2500, 7, 'avg'), sample(5, 2000, 9)];
    expect(metricTable([c], 0, 0)).toEqual([[0.5, 2], [5, 9]]);
    expect(metricTable([c], 0, 1000)).toEqual([[2], [9]]);
  });

  it('one sample spans a minute around it, whatever span the chart library proposed (it proposes a day)', () => {
    expect(xRange([1000], 1000, 1000 + 86_400)).toEqual([970, 1030]);
    expect(xRange([1000, 1010], 1000, 1010)).toEqual([1000, 1010]);
    expect(xRange([], 5, 5)).toEqual([-25, 35]);
  });
});
