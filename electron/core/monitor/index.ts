// monitor/: the core's session state, one PlaneMonitor per plane (event log,
// alerts with their lifecycle, coordination rounds, command log, metric
// series, connection history), bounded and counted. Between the pipeline,
// which answers views from it, and the connection engine, whose events it
// takes. The folder's one public entry.

export { eventBytes, oversizedStub } from './event-size.js';
export { type MonitorChanges, type MonitorOptions, PlaneMonitor } from './plane-monitor.js';
export { alertLine } from './alert-line.js';
