// Fault switches of the simulator, for tests and demos. All are read live:
// change them at runtime through `sim.faults.x = ...` or `sim.setFault(name,
// value)`, or at start with `npm run sim -- --fault NAME[=VALUE]` (repeatable).
// docs/PROTOCOL.md, "Simulator faults", lists them.

import { parseDuration } from '../args/index.js';

export interface Faults {
  /** Terminate every session every N ms (0 = off). */
  dropEveryMs: number;
  /** Send nothing at all, sockets open: a hung server. */
  silence: boolean;
  /** Stop the server's heartbeats; data still flows. */
  stopHeartbeats: boolean;
  /** Send a garbage binary message to every live session every N ms. */
  garbageEveryMs: number;
  /** Send a truncated POSITION_UPDATE frame to every agents session every N ms. */
  truncateEveryMs: number;
  /** Delay every outgoing message by N ms (order kept). */
  delayMs: number;
  /** Send every channel message twice. */
  duplicateChannel: boolean;
  /** Swap consecutive channel messages pairwise. */
  reorderChannel: boolean;
  /** Skip every Nth channel sequence number (a gap the client must report); 0 = off. */
  skipChannelEvery: number;
  /** Support no version the client offers (the server claims 3.0 only). */
  refuseVersions: boolean;
  /** Answer commands after N ms. */
  commandDelayMs: number;
  /** Never answer commands. */
  commandNoAnswer: boolean;
  /** Commands per second accepted per session; beyond it RATE_LIMIT_EXCEEDED (0 = unlimited). */
  commandRateLimit: number;
  /** Answer every command with status "failed". */
  failCommands: boolean;
  /** Expire the token N ms after this is set (AUTH_FAILED to every session, then 401 for the old token); 0 = off. */
  expireTokenAfterMs: number;
  /** Server clock ahead (+) or behind (-) by N ms: handshake_ack.serverTime, heartbeats and timestamps. */
  clockSkewMs: number;
  /** Agent ids whose heartbeats and status updates stop (comma-separated on the CLI). */
  silentAgents: string[];
  /** Send INTERNAL_ERROR (unrecoverable) to every session every N ms (0 = off). */
  internalErrorEveryMs: number;
}

export function defaultFaults(): Faults {
  return {
    dropEveryMs: 0,
    silence: false,
    stopHeartbeats: false,
    garbageEveryMs: 0,
    truncateEveryMs: 0,
    delayMs: 0,
    duplicateChannel: false,
    reorderChannel: false,
    skipChannelEvery: 0,
    refuseVersions: false,
    commandDelayMs: 0,
    commandNoAnswer: false,
    commandRateLimit: 0,
    failCommands: false,
    expireTokenAfterMs: 0,
    clockSkewMs: 0,
    silentAgents: [],
    internalErrorEveryMs: 0,
  };
}

type Kind = 'duration' | 'signed-duration' | 'boolean' | 'count' | 'list';

export const FAULT_SPECS: readonly { name: string; key: keyof Faults; kind: Kind; help: string }[] = [
  { name: 'drop-every', key: 'dropEveryMs', kind: 'duration', help: 'terminate every connection every DURATION' },
  { name: 'silence', key: 'silence', kind: 'boolean', help: 'send nothing (connections stay open): a hung server' },
  { name: 'stop-heartbeats', key: 'stopHeartbeats', kind: 'boolean', help: "stop the server's heartbeats (data still flows)" },
  { name: 'garbage-every', key: 'garbageEveryMs', kind: 'duration', help: 'send a garbage binary message every DURATION' },
  { name: 'truncate-every', key: 'truncateEveryMs', kind: 'duration', help: 'send a truncated position frame every DURATION' },
  { name: 'delay', key: 'delayMs', kind: 'duration', help: 'delay every outgoing message by DURATION' },
  { name: 'duplicate-channel', key: 'duplicateChannel', kind: 'boolean', help: 'send every channel message twice' },
  { name: 'reorder-channel', key: 'reorderChannel', kind: 'boolean', help: 'swap channel messages pairwise' },
  { name: 'skip-channel-every', key: 'skipChannelEvery', kind: 'count', help: 'skip every Nth channel sequence number (gaps)' },
  { name: 'refuse-versions', key: 'refuseVersions', kind: 'boolean', help: 'support no protocol version the client offers' },
  { name: 'command-delay', key: 'commandDelayMs', kind: 'duration', help: 'answer commands after DURATION' },
  { name: 'command-no-answer', key: 'commandNoAnswer', kind: 'boolean', help: 'never answer commands' },
  { name: 'command-rate-limit', key: 'commandRateLimit', kind: 'count', help: 'accept N commands per second per connection, then RATE_LIMIT_EXCEEDED' },
  { name: 'fail-commands', key: 'failCommands', kind: 'boolean', help: 'answer every command with status "failed"' },
  { name: 'expire-token-after', key: 'expireTokenAfterMs', kind: 'duration', help: 'expire the token after DURATION (AUTH_FAILED, then 401)' },
  { name: 'clock-skew', key: 'clockSkewMs', kind: 'signed-duration', help: "server clock ahead by DURATION (prefix - for behind)" },
  { name: 'silent-agents', key: 'silentAgents', kind: 'list', help: 'these agents (comma-separated ids) stop heartbeats and status updates' },
  { name: 'internal-error-every', key: 'internalErrorEveryMs', kind: 'duration', help: 'send INTERNAL_ERROR (unrecoverable) every DURATION' },
];

/** The spec for a kebab-case name ("drop-every") or a Faults key ("dropEveryMs"). */
export function faultSpec(name: string): (typeof FAULT_SPECS)[number] | undefined {
  return FAULT_SPECS.find((f) => f.name === name || f.key === name);
}

/** Parses a value given as text (CLI) for a fault; throws an Error naming the fault on bad input. */
export function parseFaultValue(name: string, text: string | undefined): Faults[keyof Faults] {
  const spec = faultSpec(name);
  if (!spec) throw new Error(`unknown fault "${name}" (known: ${FAULT_SPECS.map((f) => f.name).join(', ')})`);
  switch (spec.kind) {
    case 'boolean':
      if (text === undefined || text === '' || text === 'true' || text === 'on' || text === '1') return true;
      if (text === 'false' || text === 'off' || text === '0') return false;
      throw new Error(`fault ${spec.name}: expected on/off, got "${text}"`);
    case 'duration':
    case 'signed-duration': {
      if (text === undefined) throw new Error(`fault ${spec.name} needs a duration, e.g. ${spec.name}=5s`);
      if (text === '0' || text === 'off') return 0;
      const neg = spec.kind === 'signed-duration' && text.startsWith('-');
      const ms = parseDuration(neg ? text.slice(1) : text);
      if (ms === null) throw new Error(`fault ${spec.name}: "${text}" is not a duration like 500ms, 10s, 2m`);
      return neg ? -ms : ms;
    }
    case 'count': {
      const n = Number(text);
      if (text === undefined || !Number.isInteger(n) || n < 0) throw new Error(`fault ${spec.name} needs a whole number >= 0, got "${text ?? ''}"`);
      return n;
    }
    case 'list':
      return (text ?? '').split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  }
}

/** "drop-every=5s" → ["dropEveryMs", 5000]. */
export function parseFaultArg(arg: string): [keyof Faults, Faults[keyof Faults]] {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const value = eq < 0 ? undefined : arg.slice(eq + 1);
  const spec = faultSpec(name);
  if (!spec) throw new Error(`unknown fault "${name}" (known: ${FAULT_SPECS.map((f) => f.name).join(', ')})`);
  return [spec.key, parseFaultValue(name, value)];
}
