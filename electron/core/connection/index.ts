// connection/: one Plane per control plane and its endpoint sessions (the
// connection engine, docs/PROTOCOL.md). The folder's one public entry.

export { DEFAULT_CHANNELS, type PlaneConfig } from './plane-config.js';
export { Plane, type PlaneListener } from './plane.js';
