// A control plane's conformance probe: the report and its table.

export { probePlane, type EndpointReport, type ProbeReport } from './probe.js';
export { probeTable } from './table.js';
