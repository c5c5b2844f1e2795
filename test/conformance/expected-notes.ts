// The conformance notes each simulator dialect must produce (the matrix's expectation, shared by the core and CLI sides).
import type { DialectName } from '../../electron/core/sim/simulator.js';

/** The conformance note codes each dialect must produce (per endpoint, or on agents only where marked). */
export const EXPECTED_NOTES: Readonly<Record<DialectName, { all: string[]; agents?: string[] }>> = {
  strict: { all: [] },
  // It compresses with what it chose but never said: the client inflates by header and says so.
  'seed-echo': { all: ['version_no_selected', 'compression_no_selected', 'channel_no_status'], agents: ['compressed_unnegotiated'] },
  'silent-negotiation': { all: ['version_assumed', 'compression_assumed'], agents: ['compressed_unnegotiated'] },
  v1: { all: ['version_assumed', 'compression_assumed'] },
  minimal: { all: ['no_handshake_ack', 'version_assumed', 'compression_assumed'] },
  'snake-case': { all: ['ack_snake_case', 'shape:handshake_ack'] },
};
