// sigma.js v3 (the npm package, the baseline) in the benchmark's page: the
// same graph in graphology, positions updated for every animation frame the
// way sigma's docs do it (updateEachNodeAttributes), then a synchronous render.
import { MultiDirectedGraph } from 'graphology';
import Sigma from 'sigma';
import { benchGraph, measure, params } from './graph.js';

const COLORS = ['#8b949e', '#79c0ff', '#3fb950', '#d29922', '#39c5cf', '#bc8cff', '#f85149', '#484f58'];

async function main(): Promise<void> {
  const { n, seconds } = params();
  const host = document.getElementById('host')!;
  const t0 = performance.now();
  const g = benchGraph(n);
  const xy = new Float32Array(2 * n), vxy = new Float32Array(2 * n);
  g.at(0, xy, vxy);
  const graph = new MultiDirectedGraph();
  for (let i = 0; i < n; i++) graph.addNode(String(i), { x: xy[2 * i]!, y: xy[2 * i + 1]!, size: 2 + (g.load[i]! / 100) * 1.5, color: COLORS[g.states[i]!]! });
  for (let e = 0; e < 2 * n; e++) graph.addEdge(String(g.edges[2 * e]!), String(g.edges[2 * e + 1]!), { size: 1, color: '#3fb95066' });
  const sigma = new Sigma(graph, host, { renderLabels: true });
  // What sigma's own scheduled frame runs (process if needed, then draw), called synchronously so it can be timed.
  const render = (): void => (sigma as unknown as { render(): void }).render();
  render();
  const setupMs = performance.now() - t0;
  window.__benchResult = await measure('sigma.js 3.0.3', n, graph.size, setupMs, seconds, (t) => g.at(t, xy, vxy), () => {
    const u0 = performance.now();
    graph.updateEachNodeAttributes(
      (node, attr) => {
        const i = Number(node);
        attr.x = xy[2 * i]!;
        attr.y = xy[2 * i + 1]!;
        return attr;
      },
      { attributes: ['x', 'y'] },
    );
    const u1 = performance.now();
    render();
    return u1 - u0;
  });
}

main().catch((e: unknown) => (window.__benchResult = { error: String((e as Error).stack ?? e) }));
