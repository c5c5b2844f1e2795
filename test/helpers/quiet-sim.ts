// Simulator options for tests that want only what they ask for. Plain module
// (no vitest import), so child processes spawned by tests can use it too.
import type { SimulatorOptions } from '../../electron/core/sim/simulator.js';

/** A simulator that only does what a test asks: few agents, no background chatter. */
export const QUIET: SimulatorOptions = {
  agents: 5,
  rate: 20,
  stateChangesPerSecond: 0,
  messagesPerSecond: 0,
  agentHeartbeatMs: 0,
  metricsIntervalMs: 0,
  systemMetricsIntervalMs: 0,
  coordinationEveryMs: 0,
  flowStatsEveryMs: 0,
  capabilityEveryMs: 0,
};
