// connection/: one Plane per control plane and its endpoint sessions (the
// connection engine, docs/PROTOCOL.md). plane.ts owns the endpoints and the
// lifecycle; intake, negotiation, heartbeat, auth, commands, status, clock,
// counters and client events are its parts, private to the folder. The
// folder's one public entry.

export { DEFAULT_CHANNELS, type PlaneConfig, type PlaneSettings } from './plane-config.js';
export { Plane, type PlaneListener } from './plane.js';
export type { PlaneCounters } from './counters.js';
export type { EndpointStatus } from './status.js';
