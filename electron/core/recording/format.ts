// The recording format (docs/RECORDING.md): which MCAP channels a recording
// has, their encodings, the metadata record, and the snapshot layout. The
// writer, the reader and `info` all take these names from here.

import { z } from 'zod';
import { type EndpointName, ENDPOINTS } from '../protocol/index.js';
import { type JsonObject, JsonObjectSchema, type JsonValue, REPLAY_MAX_SNAPSHOT_JSON_BYTES, SLOT_EMPTY } from '../../../shared/index.js';
import type { AgentStore, StateChange } from '../store/index.js';

/** MCAP header profile. */
export const RECORDING_PROFILE = 'swarmdeck';
/** Binary AGNT messages exactly as received (docs/PROTOCOL.md framing). */
export const ENCODING_AGNT = 'swarmdeck.agnt';
export const ENCODING_JSON = 'json';
/** Store snapshot, layout below. */
export const ENCODING_SNAPSHOT = 'swarmdeck.snapshot';
/** Name of the metadata record describing the recording. */
export const METADATA_NAME = 'swarmdeck.recording';

/** What a channel carries. */
export type ChannelKind = 'json' | 'agnt' | 'connection' | 'status' | 'snapshot';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['json', 'agnt', 'connection', 'status', 'snapshot'];

/** Channel metadata keys (MCAP channel records carry a string map). */
export const META_PLANE = 'swarmdeck.plane';
export const META_KIND = 'swarmdeck.kind';
export const META_ENDPOINT = 'swarmdeck.endpoint';

/** JSON Schema names of the json channels (schema encoding "jsonschema", permissive: the wire is liberal). */
export const SCHEMA_NAMES: Readonly<Record<'json' | 'connection' | 'status', string>> = {
  json: 'swarmdeck.WireMessage',
  connection: 'swarmdeck.PlaneEvent',
  status: 'swarmdeck.PlaneStatus',
};
export const JSON_SCHEMA_TEXT = JSON.stringify({ type: 'object' });

export interface ChannelSpec {
  topic: string;
  kind: ChannelKind;
  plane: string;
  endpoint?: EndpointName;
  encoding: string;
}

/** The channel of a plane: one per endpoint and encoding (an MCAP channel has one encoding), plus connection, status and snapshot. */
export function channelSpec(plane: string, kind: ChannelKind, endpoint?: EndpointName): ChannelSpec {
  const base = `/${plane}`;
  switch (kind) {
    case 'json':
      return { topic: `${base}/${endpoint!}`, kind, plane, endpoint: endpoint!, encoding: ENCODING_JSON };
    case 'agnt':
      return { topic: `${base}/${endpoint!}/agnt`, kind, plane, endpoint: endpoint!, encoding: ENCODING_AGNT };
    case 'connection':
      return { topic: `${base}/connection`, kind, plane, encoding: ENCODING_JSON };
    case 'status':
      return { topic: `${base}/status`, kind, plane, encoding: ENCODING_JSON };
    case 'snapshot':
      return { topic: `${base}/snapshot`, kind, plane, encoding: ENCODING_SNAPSHOT };
  }
}

export function channelMetadata(spec: ChannelSpec): Map<string, string> {
  const m = new Map<string, string>([
    [META_PLANE, spec.plane],
    [META_KIND, spec.kind],
  ]);
  if (spec.endpoint !== undefined) m.set(META_ENDPOINT, spec.endpoint);
  return m;
}

/** A channel record read back: its spec from the channel metadata (null when it is not one of ours). */
export function specOfChannel(topic: string, encoding: string, metadata: ReadonlyMap<string, string>): ChannelSpec | null {
  const plane = metadata.get(META_PLANE);
  const kind = metadata.get(META_KIND) as ChannelKind | undefined;
  if (plane === undefined || kind === undefined || !CHANNEL_KINDS.includes(kind)) return null;
  const endpoint = metadata.get(META_ENDPOINT);
  if ((kind === 'json' || kind === 'agnt') && (endpoint === undefined || !(endpoint in ENDPOINTS))) return null;
  const spec: ChannelSpec = { topic, kind, plane, encoding };
  if (endpoint !== undefined && endpoint in ENDPOINTS) spec.endpoint = endpoint as EndpointName;
  return spec;
}

// ------------------------------------------------------------------ metadata

export const RecordedPlaneSchema = z.object({
  id: z.string().min(1).max(200),
  label: z.string().max(500),
  /** The plane's URL without credentials, query or fragment. */
  url: z.string().max(2000),
  color: z.number().int().min(0).max(0xffffff),
  /** Endpoints the profile had enabled. */
  endpoints: z.array(z.enum(Object.keys(ENDPOINTS) as [EndpointName, ...EndpointName[]])),
});
export type RecordedPlane = z.infer<typeof RecordedPlaneSchema>;

export const RecordingMetaSchema = z.object({
  app: z.literal('swarmdeck'),
  appVersion: z.string().max(100),
  /** Recording format version (this file documents 1). */
  formatVersion: z.literal(1),
  createdAt: z.string().max(100),
  planes: z.array(RecordedPlaneSchema).max(1000),
});
export type RecordingMeta = z.infer<typeof RecordingMetaSchema>;

/** The metadata record's string map: scalars as text, planes as JSON. Never a token. */
export function metaToRecord(meta: RecordingMeta): Map<string, string> {
  return new Map([
    ['app', meta.app],
    ['appVersion', meta.appVersion],
    ['formatVersion', String(meta.formatVersion)],
    ['createdAt', meta.createdAt],
    ['planes', JSON.stringify(meta.planes)],
  ]);
}

export function metaFromRecord(m: ReadonlyMap<string, string>): RecordingMeta {
  let planes: unknown;
  try {
    planes = JSON.parse(m.get('planes') ?? 'null');
  } catch {
    planes = null;
  }
  return RecordingMetaSchema.parse({
    app: m.get('app'),
    appVersion: m.get('appVersion'),
    formatVersion: Number(m.get('formatVersion')),
    createdAt: m.get('createdAt'),
    planes,
  });
}

/** A URL safe to store: no user info (a token may hide there), no query or fragment (nor there). */
export function sanitiseUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return '';
  }
}

// ------------------------------------------------------------------ snapshots
//
// Little-endian, 24-byte head then columns of n agents in slot order:
//   u32 magic "SDSN"  u16 version (1)  u16 reserved  u32 n  u32 jsonBytes  u64 reserved
//   u32 ids[n]  f32 pos[3n]  f32 vel[3n]  f32 cpu[n]  f64 mem[n]  u32 tasks[n]
//   f32 successRate[n]  f32 avgMs[n]  u16 state[n]  u8 flags[n]
//   JSON (UTF-8, jsonBytes): {"meta":[[id,{...}]], "capabilities":[[id,[{...}]]], "history":[[id,[change]]]}

export const SNAPSHOT_MAGIC = 0x4e534453; // "SDSN" little-endian
const SNAPSHOT_HEAD = 24;
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** Bytes per agent of the columns. */
const PER_AGENT = 4 + 12 + 12 + 4 + 8 + 4 + 4 + 4 + 2 + 1;

export interface Snapshot {
  count: number;
  ids: Uint32Array;
  pos: Float32Array;
  vel: Float32Array;
  cpu: Float32Array;
  mem: Float64Array;
  tasks: Uint32Array;
  successRate: Float32Array;
  avgMs: Float32Array;
  state: Uint16Array;
  flags: Uint8Array;
  meta: [number, JsonObject][];
  capabilities: [number, JsonObject[]][];
  history: [number, StateChange[]][];
}

/** Every live agent of the store, in slot order. */
export function takeSnapshot(store: AgentStore): Snapshot {
  const n = store.agents;
  const s: Snapshot = {
    count: n,
    ids: new Uint32Array(n),
    pos: new Float32Array(3 * n),
    vel: new Float32Array(3 * n),
    cpu: new Float32Array(n),
    mem: new Float64Array(n),
    tasks: new Uint32Array(n),
    successRate: new Float32Array(n),
    avgMs: new Float32Array(n),
    state: new Uint16Array(n),
    flags: new Uint8Array(n),
    meta: [...store.meta],
    capabilities: [...store.capabilities].map(([id, caps]) => [id, [...caps.values()]]),
    history: [...store.history].map(([id, h]) => [id, h.slice()]),
  };
  let k = 0;
  for (let slot = 0; slot < store.slotCount && k < n; slot++) {
    if (store.state[slot] === SLOT_EMPTY) continue;
    s.ids[k] = store.ids[slot]!;
    for (let j = 0; j < 3; j++) {
      s.pos[3 * k + j] = store.pos[3 * slot + j]!;
      s.vel[3 * k + j] = store.vel[3 * slot + j]!;
    }
    s.cpu[k] = store.cpu[slot]!;
    s.mem[k] = store.mem[slot]!;
    s.tasks[k] = store.tasks[slot]!;
    s.successRate[k] = store.successRate[slot]!;
    s.avgMs[k] = store.avgMs[slot]!;
    s.state[k] = store.state[slot]!;
    s.flags[k] = store.flags[slot]!;
    k++;
  }
  return s;
}

function columns(s: Snapshot): ArrayBufferView[] {
  return [s.ids, s.pos, s.vel, s.cpu, s.mem, s.tasks, s.successRate, s.avgMs, s.state, s.flags];
}

export function encodeSnapshot(s: Snapshot): Uint8Array {
  if (!LITTLE_ENDIAN_HOST) throw new Error('snapshots are written on little-endian hosts only');
  const json = Buffer.from(JSON.stringify({ meta: s.meta, capabilities: s.capabilities, history: s.history }), 'utf8');
  const out = new Uint8Array(SNAPSHOT_HEAD + PER_AGENT * s.count + json.byteLength);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, SNAPSHOT_MAGIC, true);
  dv.setUint16(4, 1, true);
  dv.setUint32(8, s.count, true);
  dv.setUint32(12, json.byteLength, true);
  let off = SNAPSHOT_HEAD;
  for (const c of columns(s)) {
    out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), off);
    off += c.byteLength;
  }
  out.set(json, off);
  return out;
}

const SnapshotJsonSchema = z.object({
  meta: z.array(z.tuple([z.number().int().nonnegative(), JsonObjectSchema])),
  capabilities: z.array(z.tuple([z.number().int().nonnegative(), z.array(JsonObjectSchema)])),
  history: z.array(
    z.tuple([
      z.number().int().nonnegative(),
      z.array(z.object({ at: z.number(), from: z.string(), to: z.string(), reason: z.string().optional() })),
    ]),
  ),
});

/** Only the state column of a snapshot (a copy; agents in snapshot order), for the agents-per-state series; throws on a malformed head or length. */
export function snapshotStates(bytes: Uint8Array): Uint16Array {
  if (bytes.byteLength < SNAPSHOT_HEAD) throw new Error(`snapshot of ${bytes.byteLength} bytes is shorter than its ${SNAPSHOT_HEAD}-byte head`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== SNAPSHOT_MAGIC || dv.getUint16(4, true) !== 1) throw new Error('snapshot: bad magic or version');
  const n = dv.getUint32(8, true);
  if (SNAPSHOT_HEAD + PER_AGENT * n + dv.getUint32(12, true) !== bytes.byteLength) throw new Error('snapshot: length does not match its head');
  const at = SNAPSHOT_HEAD + (PER_AGENT - 3) * n; // the columns before state: ids .. avgMs
  const out = new Uint16Array(n);
  new Uint8Array(out.buffer).set(bytes.subarray(at, at + 2 * n));
  return out;
}

/** Reads a snapshot; throws with the reason on anything malformed (a file is input too). */
export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  if (!LITTLE_ENDIAN_HOST) throw new Error('snapshots are read on little-endian hosts only');
  if (bytes.byteLength < SNAPSHOT_HEAD) throw new Error(`snapshot of ${bytes.byteLength} bytes is shorter than its ${SNAPSHOT_HEAD}-byte head`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== SNAPSHOT_MAGIC) throw new Error('snapshot: bad magic (expected "SDSN")');
  const version = dv.getUint16(4, true);
  if (version !== 1) throw new Error(`snapshot: unknown version ${version}`);
  const n = dv.getUint32(8, true);
  const jsonBytes = dv.getUint32(12, true);
  if (jsonBytes > REPLAY_MAX_SNAPSHOT_JSON_BYTES) throw new Error(`snapshot: JSON part of ${jsonBytes} bytes is over the limit`);
  if (SNAPSHOT_HEAD + PER_AGENT * n + jsonBytes !== bytes.byteLength) {
    throw new Error(`snapshot: ${n} agents and ${jsonBytes} JSON bytes need ${SNAPSHOT_HEAD + PER_AGENT * n + jsonBytes} bytes, got ${bytes.byteLength}`);
  }
  let off = SNAPSHOT_HEAD;
  // Copies: the message bytes need not be aligned for typed-array views.
  const take = <T extends ArrayBufferView>(make: (buf: ArrayBuffer) => T, size: number): T => {
    const buf = new ArrayBuffer(size);
    new Uint8Array(buf).set(bytes.subarray(off, off + size));
    off += size;
    return make(buf);
  };
  const s = {
    count: n,
    ids: take((b) => new Uint32Array(b), 4 * n),
    pos: take((b) => new Float32Array(b), 12 * n),
    vel: take((b) => new Float32Array(b), 12 * n),
    cpu: take((b) => new Float32Array(b), 4 * n),
    mem: take((b) => new Float64Array(b), 8 * n),
    tasks: take((b) => new Uint32Array(b), 4 * n),
    successRate: take((b) => new Float32Array(b), 4 * n),
    avgMs: take((b) => new Float32Array(b), 4 * n),
    state: take((b) => new Uint16Array(b), 2 * n),
    flags: take((b) => new Uint8Array(b), n),
  };
  for (let i = 0; i < n; i++) if (s.state[i]! > SLOT_EMPTY - 1) throw new Error(`snapshot: agent ${s.ids[i]} has state ${s.state[i]}, not a state code`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + off, jsonBytes).toString('utf8'));
  } catch (e) {
    throw new Error(`snapshot: JSON part does not parse (${e instanceof Error ? e.message : String(e)})`);
  }
  const j = SnapshotJsonSchema.parse(parsed);
  const history = j.history.map(([id, h]): [number, StateChange[]] => [
    id,
    h.map((c) => {
      const change: StateChange = { at: c.at, from: c.from, to: c.to };
      if (c.reason !== undefined) change.reason = c.reason;
      return change;
    }),
  ]);
  return { ...s, meta: j.meta, capabilities: j.capabilities, history };
}

/**
 * Empties `store` and fills it from `s`: the agents in snapshot order, their
 * positions, states, metrics, metadata, capabilities and history. Uses the
 * store's public API and columns; `lastSeen` is set to `now`.
 */
export function restoreSnapshot(store: AgentStore, s: Snapshot, now: number): void {
  store.clear();
  for (let i = 0; i < s.count; i++) {
    const slot = store.ensureSlot(s.ids[i]!);
    for (let j = 0; j < 3; j++) {
      store.pos[3 * slot + j] = s.pos[3 * i + j]!;
      store.vel[3 * slot + j] = s.vel[3 * i + j]!;
    }
    store.cpu[slot] = s.cpu[i]!;
    store.mem[slot] = s.mem[i]!;
    store.tasks[slot] = s.tasks[i]!;
    store.successRate[slot] = s.successRate[i]!;
    store.avgMs[slot] = s.avgMs[i]!;
    store.state[slot] = s.state[i]!;
    store.flags[slot] = s.flags[i]!;
    store.lastSeen[slot] = now;
  }
  store.stamp.fill(++store.version, 0, store.slotCount);
  for (const [id, m] of s.meta) store.meta.set(id, m);
  for (const [id, caps] of s.capabilities) {
    const byName = new Map<string, JsonObject>();
    for (const c of caps) if (typeof c.name === 'string') byName.set(c.name, c);
    store.capabilities.set(id, byName);
  }
  for (const [id, h] of s.history) store.history.set(id, h.slice());
}

/** A JSON value as text for a PlaneEvent-like payload (the connection channel). */
export function jsonBytes(v: JsonValue | JsonObject): Uint8Array {
  return Buffer.from(JSON.stringify(v), 'utf8');
}
