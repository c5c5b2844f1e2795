// App-wide singletons the shell creates once at start: the graph host and the
// dock. Panels reach them through these getters (null before start-up).

import type { Dock } from './dock.js';
import type { GraphHost } from './graph-host.js';

let graph: GraphHost | null = null;
let dock: Dock | null = null;

export const graphHost = (): GraphHost | null => graph;
export const setGraphHost = (g: GraphHost | null): void => void (graph = g);
export const dockLayout = (): Dock | null => dock;
export const setDockLayout = (d: Dock | null): void => void (dock = d);
