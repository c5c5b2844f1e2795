// Node colours by agent state (codes of docs/PROTOCOL.md). Unknown codes use
// the plane's own colour, so an unfamiliar state is still visible.

import { AGENT_STATES } from '@shared';

export const STATE_COLORS: readonly number[] = [
  0x8b949e, // IDLE
  0x79c0ff, // INITIALIZING
  0x3fb950, // EXECUTING
  0xd29922, // WAITING
  0x39c5cf, // COMMUNICATING
  0xbc8cff, // COORDINATING
  0xf85149, // ERROR
  0x484f58, // TERMINATED
];

export function stateColor(code: number, planeColor: number): number {
  return STATE_COLORS[code] ?? planeColor;
}

export const LEGEND: readonly { name: string; color: number }[] = AGENT_STATES.map((name, i) => ({ name, color: STATE_COLORS[i]! }));

export const hex = (c: number): string => `#${c.toString(16).padStart(6, '0')}`;
