// The one graph of the app. The scene lives in a host element of its own,
// created once; the Graph panel lends it a place in the layout (and takes it
// back), so moving, closing or re-opening the panel never rebuilds the scene.
// The rest of the renderer uses it only through GraphView.

import { GraphScene } from '../scene/graph-scene.js';
import type { GraphView } from '../scene/graph-view.js';

export interface GraphHost {
  readonly view: GraphView;
  /** The scene's own element: the Graph panel appends it. */
  readonly element: HTMLDivElement;
  ready: Promise<void>;
  /** True once the scene has initialised (before that, stats() and screenOf() must not be called). */
  readonly isReady: () => boolean;
}

export function createGraphHost(): GraphHost {
  const element = document.createElement('div');
  element.className = 'scene';
  element.dataset.testid = 'scene';
  const view: GraphView = new GraphScene();
  // Until the panel places it, it still needs a size for pixi to start.
  element.style.position = 'absolute';
  element.style.inset = '0';
  const parking = document.createElement('div');
  parking.className = 'scene-parking';
  parking.appendChild(element);
  document.body.appendChild(parking);
  // pixi's resizeTo follows window resizes only; a dock splitter resizes the host alone.
  new ResizeObserver(() => window.dispatchEvent(new Event('resize'))).observe(element);
  let done = false;
  const ready = view.init(element).then(() => {
    done = true;
  });
  return { view, element, ready, isReady: () => done };
}

/** Where the scene waits while no Graph panel shows it. */
export function parkGraph(host: GraphHost): void {
  document.querySelector('.scene-parking')?.appendChild(host.element);
}
