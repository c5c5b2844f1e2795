// store/: the per-plane AgentStore (typed arrays by slot). The folder's one
// public entry.

export { AgentStore, type StateChange } from './agent-store.js';
