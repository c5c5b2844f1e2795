// app/: the assembly (layer 2 of docs/ARCHITECTURE.md, "Layers"): the core both hosts run
// (SwarmCore), the contract's handlers, the start-up options, and createApp,
// which builds them and the services once. The folder's one public entry.

export { type App, type AppOptions, createApp } from './create-app.js';
export { planeMatches, SwarmCore, type View } from './core.js';
export { type ContractServer, serveContract } from './serve-contract.js';
export { launchPlanes, parseStartupArgs, PLANE_COLORS } from './startup.js';
