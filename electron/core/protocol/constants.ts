// Wire constants of the visualisation protocol (binary AGNT frames) and the
// control-plane standard. Defined once here; docs/PROTOCOL.md pins the choices
// where the seed documents are silent.

/** "AGNT" read as a little-endian u32 (bytes 0x41 0x47 0x4E 0x54). */
export const MAGIC_LE = 0x544e4741;
export const MAGIC_BYTES = Uint8Array.of(0x41, 0x47, 0x4e, 0x54);

export const HEADER_BYTES = 8;
/** u16 length field: the largest payload one frame can carry. */
export const MAX_FRAME_PAYLOAD = 0xffff;

export const FrameType = {
  POSITION_UPDATE: 0x01,
  STATE_BATCH: 0x02,
  PERFORMANCE_METRICS: 0x03,
  COORDINATION_EVENT: 0x04,
  COMPRESSED_BATCH: 0x05,
  HEARTBEAT: 0x06,
  ERROR: 0xff,
} as const;
export type FrameTypeCode = (typeof FrameType)[keyof typeof FrameType];

export const FRAME_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x01: 'POSITION_UPDATE',
  0x02: 'STATE_BATCH',
  0x03: 'PERFORMANCE_METRICS',
  0x04: 'COORDINATION_EVENT',
  0x05: 'COMPRESSED_BATCH',
  0x06: 'HEARTBEAT',
  0xff: 'ERROR',
};

/** Flags byte: bit 0 compressed, bits 1-2 priority, the rest reserved. */
export const FLAG_COMPRESSED = 0x01;
export const FLAG_PRIORITY_SHIFT = 1;
export const FLAG_PRIORITY_MASK = 0x06;
export const FLAG_RESERVED_MASK = 0xf8;

/** POSITION_UPDATE: id u32 + pos xyz f32 + vel xyz f32. */
export const POSITION_RECORD_BYTES = 28;
/** The same record in 32-bit words: id, x, y, z, vx, vy, vz. */
export const POSITION_RECORD_WORDS = POSITION_RECORD_BYTES / 4;
export const POSITION_COUNT_BYTES = 4;
/** floor((65535 - 4) / 28): the most agents one POSITION_UPDATE frame holds. */
export const MAX_POSITIONS_PER_FRAME = Math.floor((MAX_FRAME_PAYLOAD - POSITION_COUNT_BYTES) / POSITION_RECORD_BYTES);

/** STATE_BATCH record head: id u32, state u8, flags u8, metaLen u16. */
export const STATE_RECORD_HEAD_BYTES = 8;

/** PERFORMANCE_METRICS record: id, tasks, successRate, avgMs, cpu, mem u64. */
export const METRICS_RECORD_BYTES = 28;

/** COMPRESSED_BATCH head: magic, type, original length u32 (no flags/length). */
export const COMPRESSED_HEAD_BYTES = 9;
/** Most bytes one message may inflate to (all its compressed frames and batches together). */
export const DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;
/** Algorithm assumed until the session negotiates one: handshake_ack's default "zlib" (RFC 1950). */
export const DEFAULT_COMPRESSION = 'deflate';

/** Error codes of the 0xFF frame and of JSON `error` payloads. */
export const ERROR_CODES = [
  '',
  'CONNECTION_FAILED',
  'AUTH_FAILED',
  'INVALID_MESSAGE',
  'AGENT_NOT_FOUND',
  'COMMAND_FAILED',
  'RATE_LIMIT_EXCEEDED',
  'INTERNAL_ERROR',
] as const;

export function errorCodeName(code: number): string {
  return code > 0 && code < ERROR_CODES.length ? ERROR_CODES[code]! : `UNKNOWN(${code})`;
}

/** Seed table: which error codes are recoverable. */
export const RECOVERABLE_ERRORS: Readonly<Record<string, boolean>> = {
  CONNECTION_FAILED: true,
  AUTH_FAILED: true,
  INVALID_MESSAGE: true,
  AGENT_NOT_FOUND: true,
  COMMAND_FAILED: true,
  RATE_LIMIT_EXCEEDED: true,
  INTERNAL_ERROR: false,
};

/** The three endpoints of a control plane, relative to its base URL. */
export const ENDPOINTS = {
  agents: '/api/visualisation/agents/ws',
  graph: '/api/graph/ws',
  control: '/api/control/ws',
} as const;
export type EndpointName = keyof typeof ENDPOINTS;

export const CLIENT_VERSION = '0.1.0';
