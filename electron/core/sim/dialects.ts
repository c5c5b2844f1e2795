// Simulator dialects: how other implementations of the same seeds behave, so
// the client can be tested (and demonstrated) against each. `strict` is our
// pinned dialect (docs/PROTOCOL.md, "Session"); the others answer in the
// seed's own shapes, not at all, as a 1.0 server, without a handshake_ack, or
// in snake_case. docs/PROTOCOL.md, "Simulator dialects", is the table.

export const DIALECT_NAMES = ['strict', 'seed-echo', 'silent-negotiation', 'v1', 'minimal', 'snake-case'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

export interface Dialect {
  name: DialectName;
  help: string;
  /** handshake_ack field names, or none at all. */
  ack: 'camel' | 'snake' | 'none';
  /** handshake_ack.protocols. */
  protocols: string[];
  /** Replies to version.negotiate / compression.negotiate / channel.create: ours, the seed's shapes (no selected, no status), or none. */
  replies: 'pinned' | 'seed' | 'none';
  /** When a session starts streaming without negotiating: at the upgrade, after the handshake_ack, or only a legacy client after a wait. */
  serveAt: 'connect' | 'ack' | 'legacy';
  /** The version a session that does not negotiate is served as. */
  serveAs: string;
  /** Channels the server streams on without being asked (channel messages the client never created). */
  unaskedChannels: boolean;
  /** Compression used without negotiating (as handshake_ack's "zlib" says), or none. */
  unaskedCompression: 'deflate' | null;
}

const BASE = { ack: 'camel', protocols: ['binary', 'json'], replies: 'pinned', serveAt: 'legacy', serveAs: '1.1', unaskedChannels: false, unaskedCompression: null } as const;

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  strict: { ...BASE, protocols: [...BASE.protocols], name: 'strict', help: "today's pinned replies (the default)" },
  'seed-echo': { ...BASE, protocols: [...BASE.protocols], name: 'seed-echo', replies: 'seed', help: "answers with the seed's own message shapes, no selected" },
  'silent-negotiation': {
    ...BASE,
    protocols: [...BASE.protocols],
    name: 'silent-negotiation',
    replies: 'none',
    serveAt: 'ack',
    unaskedChannels: true,
    unaskedCompression: 'deflate',
    help: 'never answers the version, compression or channel messages',
  },
  v1: { ...BASE, name: 'v1', protocols: ['json'], replies: 'none', serveAt: 'ack', serveAs: '1.0', help: 'a 1.0 server: JSON only, ignores version.negotiate, never sends binary' },
  minimal: { ...BASE, protocols: [...BASE.protocols], name: 'minimal', ack: 'none', replies: 'none', serveAt: 'connect', help: 'sends no handshake_ack and streams at once' },
  'snake-case': { ...BASE, protocols: [...BASE.protocols], name: 'snake-case', ack: 'snake', help: 'ack fields in snake_case' },
};

export function isDialectName(v: string): v is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(v);
}

/** The dialect called `name`; throws with the list when there is none. */
export function dialectOf(name: string): Dialect {
  if (!isDialectName(name)) throw new Error(`unknown dialect "${name}" (one of ${DIALECT_NAMES.join(', ')})`);
  return DIALECTS[name];
}
