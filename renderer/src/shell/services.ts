// App-wide singletons the shell creates once at start: the graph host and the
// dock. Panels reach them through these getters (null before start-up).

import type { Dock } from './dock.js';
import type { GraphHost } from './graph-host.js';
import { ClockSource } from '../store/clock.js';

let graph: GraphHost | null = null;
let dock: Dock | null = null;

export const graphHost = (): GraphHost | null => graph;
export const setGraphHost = (g: GraphHost | null): void => void (graph = g);
export const dockLayout = (): Dock | null => dock;
export const setDockLayout = (d: Dock | null): void => void (dock = d);

let clock = new ClockSource(null);
/** The view's clock (live, rewind, replay): window.__swarmdeck.clock(), the status bar's REWIND mark. */
export const clockSource = (): ClockSource => clock;
export const setClockSource = (c: ClockSource): void => {
  clock.stop();
  clock = c;
  c.start();
};
