// The protocol's named values that both sides show: agent states, event
// priorities and protocol versions (docs/PROTOCOL.md). The wire constants
// only the core needs stay in electron/core/protocol/constants.ts.

/** Event priorities, lowest first (binary flags bits 1-2, JSON `priority`). */
export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Protocol versions the client and the simulator speak, oldest first. */
export const SUPPORTED_VERSIONS = ['1.0', '1.1', '2.0'] as const;

/** Agent state codes of STATE_BATCH; JSON events use the names. */
export const AGENT_STATES = [
  'IDLE',
  'INITIALIZING',
  'EXECUTING',
  'WAITING',
  'COMMUNICATING',
  'COORDINATING',
  'ERROR',
  'TERMINATED',
] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];
/** Code the store uses for an agent whose state is not known yet. */
// Above every u8 wire code (a plane may send any of 0..255), so it can never collide with one.
export const STATE_UNKNOWN = 256;

export function stateName(code: number): string {
  return code < AGENT_STATES.length ? AGENT_STATES[code]! : `UNKNOWN(${code})`;
}

/** State name (any case) to code; unknown names map to STATE_UNKNOWN. */
export function stateCode(name: string): number {
  const i = (AGENT_STATES as readonly string[]).indexOf(name.toUpperCase());
  return i < 0 ? STATE_UNKNOWN : i;
}
