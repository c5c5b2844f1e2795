// What the profile manager needs of the running core, as a narrow interface
// (a port): app/ passes its SwarmCore in, so profiles never imports app/
// (imports point down only).

import type { Plane, PlaneConfig } from '../connection/index.js';

/** The open planes, to connect a profile as one, apply a saved change to it, or probe it. */
export interface ProfileCore {
  plane(id: string): Plane | undefined;
  /** Throws on a duplicate id. */
  addPlane(config: PlaneConfig): Plane;
  removePlane(id: string): boolean;
  /** Open and connected by the core (not fed by a recording). */
  isLive(id: string): boolean;
}
