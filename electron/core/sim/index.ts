// sim/: the control-plane simulator (a real plane on 127.0.0.1) with its
// dialects and faults. A service; the folder's one public entry.

export { DIALECT_NAMES, type DialectName, dialectOf } from './dialects.js';
export { FAULT_SPECS, type Faults, parseFaultArg } from './faults.js';
export { Simulator } from './simulator.js';
