// One plane's agents as struct-of-arrays typed buffers indexed by slot, with
// an id → slot index. Slots of departed agents are reused; growth doubles the
// buffers. Nothing here allocates per agent per update.
//
// Change tracking: every change batch takes the next `version`, and each slot
// it touches is stamped with it. A frame builder that last saw version v sends
// exactly the slots stamped above v (or all slots when that is cheaper).
// Capabilities, metadata and state history (event-rate data) live beside the
// arrays in maps keyed by agent id.
//
// Bounded (shared/limits.ts): at most maxAgents distinct agents (a new
// id past it is refused and counted, known agents keep updating); history
// strings, metadata per agent, capabilities per agent and all side data of
// the plane together have fixed sizes. Every refusal is counted in `limits`.

import { excerpt, type MetricsColumns, POSITION_RECORD_WORDS, type PositionRecords, type StateColumns } from '../protocol/index.js';
import {
  agentNumber,
  grownCapacity,
  HISTORY_LENGTH,
  type JsonObject,
  MAX_AGENTS_PER_PLANE,
  MAX_CAPABILITIES_PER_AGENT,
  MAX_HISTORY_STRING_CHARS,
  MAX_METADATA_CHARS,
  MAX_SIDE_DATA_CHARS,
  MAX_SLOTS,
  type PlaneEvent,
  type PlaneLimitCounters,
  resized,
  SLOT_EMPTY,
  STATE_UNKNOWN,
  stateCode,
} from '../../../shared/index.js';

export { HISTORY_LENGTH };

export interface StateChange {
  at: number;
  from: string;
  to: string;
  reason?: string;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids below this use a dense Int32Array index; larger ids fall back to a Map. */
const DENSE_ID_LIMIT = 1 << 20;
/** However maxAgents is set, a Map and the slot arrays stay far below their engine limits. */
const MAX_SLOTS_CAP = MAX_SLOTS;
/** Refusal notices (protocol errors) at most this often; the counters count every one. */
const REFUSAL_NOTICE_MS = 1000;
/** Fixed cost charged per history entry on top of its strings. */
const HISTORY_ENTRY_CHARS = 32;

const cut = (v: string): string => excerpt(v, MAX_HISTORY_STRING_CHARS);
const historyChars = (c: StateChange): number => HISTORY_ENTRY_CHARS + c.from.length + c.to.length + (c.reason?.length ?? 0);

export interface AgentStoreOptions {
  /** Distinct agents kept (default MAX_AGENTS_PER_PLANE). */
  maxAgents?: number;
  /** Characters of metadata, capabilities and history together (default MAX_SIDE_DATA_CHARS). */
  maxSideDataChars?: number;
}

/** A refusal the plane reports as a protocol error: new ids refused since the last notice. */
export interface AgentRefusal {
  refused: number;
  total: number;
  limit: number;
}

export class AgentStore {
  /** High-water mark: slots 0..slotCount-1 have been used; free ones hold SLOT_EMPTY. */
  slotCount = 0;
  /** Live agents. */
  agents = 0;
  ids = new Uint32Array(0);
  /** x,y,z per slot. */
  pos = new Float32Array(0);
  vel = new Float32Array(0);
  /** Wire state code (0..255), STATE_UNKNOWN, or SLOT_EMPTY for a free slot. */
  state = new Uint16Array(0);
  /** STATE_BATCH record flags. */
  flags = new Uint8Array(0);
  /** Version of the last change to each slot. */
  stamp = new Uint32Array(0);
  /** Local ms of the last update that named the agent. */
  lastSeen = new Float64Array(0);
  cpu = new Float32Array(0);
  mem = new Float64Array(0);
  tasks = new Uint32Array(0);
  successRate = new Float32Array(0);
  avgMs = new Float32Array(0);

  /** Bumped by every applied position message: the pipeline counts superseded ones from it. */
  positionVersion = 0;
  /** Bumped by any change (positions, states, membership); slots changed by it carry it in `stamp`. */
  version = 0;
  /** High-resolution epoch ms (timeOrigin + now) when the newest applied positions arrived. */
  positionsReceivedAt = 0;
  /** When the plane sent the newest applied positions, on the local clock (epoch ms; connection/clock.ts positionsSentAt). */
  positionsSentAt = 0;

  /** Latest metadata per agent id (STATE_BATCH metadata, agent.state.changed metadata). */
  readonly meta = new Map<number, JsonObject>();
  /** Capabilities per agent id, by capability name. */
  readonly capabilities = new Map<number, Map<string, JsonObject>>();
  /** The last HISTORY_LENGTH state changes per agent id, oldest first. */
  readonly history = new Map<number, StateChange[]>();

  /** What the bounds refused (plane status `limits`). */
  readonly limits: PlaneLimitCounters = { agentsRefused: 0, stringsTruncated: 0, metadataRefused: 0, sideDataRefused: 0 };
  readonly maxAgents: number;
  private readonly maxSideDataChars: number;
  /** Characters of metadata, capabilities and history held. */
  private sideChars = 0;
  private readonly metaChars = new Map<number, number>();
  private readonly capChars = new Map<number, number>();
  private readonly refusalListeners: ((r: AgentRefusal) => void)[] = [];
  private refusedSinceNotice = 0;
  private lastNoticeAt = -Infinity;

  constructor(opts: AgentStoreOptions = {}) {
    this.maxAgents = Math.max(0, Math.min(opts.maxAgents ?? MAX_AGENTS_PER_PLANE, MAX_SLOTS_CAP));
    this.maxSideDataChars = opts.maxSideDataChars ?? MAX_SIDE_DATA_CHARS;
  }

  /** New agents refused over the cap, in all (the public counter the plane reports). */
  get agentsRefused(): number {
    return this.limits.agentsRefused;
  }

  /** Called when new ids were refused (at most once a second, with the count since the last call). */
  onRefused(listener: (r: AgentRefusal) => void): () => void {
    this.refusalListeners.push(listener);
    return () => {
      const i = this.refusalListeners.indexOf(listener);
      if (i >= 0) this.refusalListeners.splice(i, 1);
    };
  }

  private refuse(): void {
    this.limits.agentsRefused++;
    this.refusedSinceNotice++;
    const now = performance.now();
    if (now - this.lastNoticeAt < REFUSAL_NOTICE_MS) return;
    this.lastNoticeAt = now;
    const r: AgentRefusal = { refused: this.refusedSinceNotice, total: this.limits.agentsRefused, limit: this.maxAgents };
    this.refusedSinceNotice = 0;
    for (const l of this.refusalListeners) l(r);
  }

  /** Charges `chars` of side data, or refuses (counted) when the plane's budget is spent. */
  private charge(chars: number): boolean {
    if (this.sideChars + chars > this.maxSideDataChars) {
      this.limits.sideDataRefused++;
      return false;
    }
    this.sideChars += chars;
    return true;
  }

  private setMeta(id: number, m: JsonObject, chars: number): void {
    if (chars > MAX_METADATA_CHARS) {
      this.limits.metadataRefused++;
      return;
    }
    const old = this.metaChars.get(id) ?? 0;
    this.sideChars -= old;
    if (!this.charge(chars)) {
      this.sideChars += old;
      return;
    }
    this.meta.set(id, m);
    this.metaChars.set(id, chars);
  }

  private dropSideData(id: number): void {
    this.sideChars -= this.metaChars.get(id) ?? 0;
    this.sideChars -= this.capChars.get(id) ?? 0;
    for (const c of this.history.get(id) ?? []) this.sideChars -= historyChars(c);
    this.metaChars.delete(id);
    this.capChars.delete(id);
    this.meta.delete(id);
    this.capabilities.delete(id);
    this.history.delete(id);
  }

  private listeners: (() => void)[] = [];
  private dense = new Int32Array(0); // id → slot + 1 (0 = absent)
  private sparse = new Map<number, number>();
  private free: number[] = [];

  /** Called after each change batch (not per agent): frame builders send promptly instead of polling. */
  onChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private changed(): void {
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i]!();
  }

  get capacity(): number {
    return this.ids.length;
  }

  slotOf(id: number): number {
    if (id < DENSE_ID_LIMIT) return id < this.dense.length ? this.dense[id]! - 1 : -1;
    return this.sparse.get(id) ?? -1;
  }

  /** The agent's slot, allocating one (reusing a freed slot first) for a new id; -1 when a new id is past maxAgents (refused, counted). */
  ensureSlot(id: number): number {
    const existing = this.slotOf(id);
    if (existing >= 0) return existing;
    if (this.agents >= this.maxAgents) {
      this.refuse();
      return -1;
    }
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.slotCount++;
      if (slot >= this.capacity) this.grow(slot + 1);
    }
    if (id < DENSE_ID_LIMIT) {
      if (id >= this.dense.length) {
        const d = new Int32Array(Math.min(DENSE_ID_LIMIT, Math.max(id + 1, this.dense.length * 2, 1024)));
        d.set(this.dense);
        this.dense = d;
      }
      this.dense[id] = slot + 1;
    } else {
      this.sparse.set(id, slot);
    }
    this.ids[slot] = id;
    this.state[slot] = STATE_UNKNOWN;
    this.flags[slot] = 0;
    this.stamp[slot] = ++this.version;
    const p = slot * 3;
    this.pos.fill(0, p, p + 3);
    this.vel.fill(0, p, p + 3);
    this.cpu[slot] = 0;
    this.mem[slot] = 0;
    this.tasks[slot] = 0;
    this.successRate[slot] = 0;
    this.avgMs[slot] = 0;
    this.agents++;
    return slot;
  }

  remove(id: number): boolean {
    const slot = this.slotOf(id);
    if (slot < 0) return false;
    if (id < DENSE_ID_LIMIT) this.dense[id] = 0;
    else this.sparse.delete(id);
    this.state[slot] = SLOT_EMPTY;
    this.stamp[slot] = ++this.version;
    this.free.push(slot);
    this.agents--;
    this.dropSideData(id);
    this.changed();
    return true;
  }

  /** Empties the store; slots stay allocated (stamped empty, so views clear them) and are reused first. */
  clear(): void {
    this.dense.fill(0);
    this.sparse.clear();
    this.state.fill(SLOT_EMPTY, 0, this.slotCount);
    this.stamp.fill(++this.version, 0, this.slotCount);
    this.free.length = 0;
    for (let slot = this.slotCount - 1; slot >= 0; slot--) this.free.push(slot);
    this.agents = 0;
    this.meta.clear();
    this.capabilities.clear();
    this.history.clear();
    this.metaChars.clear();
    this.capChars.clear();
    this.sideChars = 0;
    this.changed();
  }

  /**
   * `receivedAt`: high-resolution epoch ms when the socket message arrived (defaults to the time of this call);
   * `sentAt`: when the plane sent it, on the local clock (defaults to `receivedAt`).
   */
  applyPositions(recs: PositionRecords, now: number, receivedAt = performance.timeOrigin + performance.now(), sentAt = receivedAt): void {
    const { f32, u32, count } = recs;
    if (count === 0) return;
    const v = ++this.version;
    for (let i = 0, w = 0; i < count; i++, w += POSITION_RECORD_WORDS) {
      const slot = this.ensureSlot(u32[w]!);
      if (slot < 0) continue;
      this.stamp[slot] = v;
      const s = slot * 3;
      // Buffers may have been replaced by ensureSlot's growth: index through `this`.
      this.pos[s] = f32[w + 1]!;
      this.pos[s + 1] = f32[w + 2]!;
      this.pos[s + 2] = f32[w + 3]!;
      this.vel[s] = f32[w + 4]!;
      this.vel[s + 1] = f32[w + 5]!;
      this.vel[s + 2] = f32[w + 6]!;
      this.lastSeen[slot] = now;
    }
    this.positionVersion++;
    this.positionsReceivedAt = receivedAt;
    this.positionsSentAt = sentAt;
    this.changed();
  }

  applyStates(cols: StateColumns, now: number): void {
    if (cols.count === 0) return;
    const v = ++this.version;
    for (let i = 0; i < cols.count; i++) {
      const id = cols.ids[i]!;
      const slot = this.ensureSlot(id);
      if (slot < 0) continue;
      this.state[slot] = cols.codes[i]!;
      this.flags[slot] = cols.flags[i]!;
      this.stamp[slot] = v;
      this.lastSeen[slot] = now;
    }
    // Metadata is sparse (only records that carried some): parse those alone.
    for (const [i, text] of cols.meta) {
      const id = cols.ids[i]!;
      if (this.slotOf(id) < 0) continue; // refused above
      if (text.length > MAX_METADATA_CHARS) {
        this.limits.metadataRefused++;
        continue;
      }
      try {
        const m: unknown = JSON.parse(text);
        if (isObject(m)) this.setMeta(id, m, text.length);
      } catch {
        // The decoder checked UTF-8, not JSON; a bad blob is dropped here, the state is kept.
      }
    }
    this.changed();
  }

  applyMetrics(cols: MetricsColumns, now: number): void {
    if (cols.count === 0) return;
    const v = ++this.version;
    for (let i = 0; i < cols.count; i++) {
      const slot = this.ensureSlot(cols.ids[i]!);
      if (slot < 0) continue;
      this.tasks[slot] = cols.tasks[i]!;
      this.successRate[slot] = cols.successRate[i]!;
      this.avgMs[slot] = cols.avgMs[i]!;
      this.cpu[slot] = cols.cpu[i]!;
      this.mem[slot] = cols.mem[i]!;
      this.stamp[slot] = v;
      this.lastSeen[slot] = now;
    }
    this.changed();
  }

  /** False when the agent is new and past maxAgents (refused). */
  setState(id: number, code: number, now: number): boolean {
    const slot = this.ensureSlot(id);
    if (slot < 0) return false;
    this.state[slot] = code;
    this.stamp[slot] = ++this.version;
    this.lastSeen[slot] = now;
    this.changed();
    return true;
  }

  /**
   * Applies the event-rate facts an event carries about one agent: state
   * (with history and metadata) and capabilities. Events naming an agent with
   * no binary twin (see agentNumber) are left to the event log.
   */
  applyEvent(ev: PlaneEvent): void {
    if (ev.agentId === undefined) return;
    const id = agentNumber(ev.agentId);
    if (id === null) return;
    const p = ev.payload;
    if (ev.type === 'agent.state.changed' && typeof p.newState === 'string') {
      if (!this.setState(id, stateCode(p.newState), ev.at)) return;
      const change: StateChange = { at: ev.at, from: cut(typeof p.previousState === 'string' ? p.previousState : ''), to: cut(p.newState) };
      if (typeof p.reason === 'string') change.reason = cut(p.reason);
      let h = this.history.get(id);
      // The oldest entry makes room first, so a full history costs no new budget.
      if (h && h.length >= HISTORY_LENGTH) this.sideChars -= historyChars(h.shift()!);
      if (this.charge(historyChars(change))) {
        if (!h) this.history.set(id, (h = []));
        h.push(change);
      }
      if (isObject(p.metadata)) this.setMeta(id, p.metadata, JSON.stringify(p.metadata).length);
    } else if (ev.type === 'agent.performance.update' && isObject(p.metrics)) {
      // The JSON twin of PERFORMANCE_METRICS: same columns, so the inspector shows either.
      const m = p.metrics;
      const slot = this.ensureSlot(id);
      if (slot < 0) return;
      if (typeof m.tasksCompleted === 'number') this.tasks[slot] = m.tasksCompleted;
      if (typeof m.successRate === 'number') this.successRate[slot] = m.successRate;
      if (typeof m.averageResponseTime === 'number') this.avgMs[slot] = m.averageResponseTime;
      if (typeof m.resourceUtilization === 'number') this.cpu[slot] = m.resourceUtilization * 100;
      if (typeof m.memoryUsage === 'number') this.mem[slot] = m.memoryUsage;
      this.lastSeen[slot] = ev.at;
      this.stamp[slot] = ++this.version;
      this.changed();
    } else if (ev.type === 'status_update' && typeof p.cpuPercent === 'number' && typeof p.memoryBytes === 'number') {
      // Control-plane status_update, numbers already normalised from "30%" / "1.5GB".
      const slot = this.ensureSlot(id);
      if (slot < 0) return;
      this.cpu[slot] = p.cpuPercent;
      this.mem[slot] = p.memoryBytes;
      this.lastSeen[slot] = ev.at;
      this.stamp[slot] = ++this.version;
      this.changed();
    } else if (ev.type === 'agent.capability.update' && isObject(p.capability) && typeof p.capability.name === 'string') {
      if (this.ensureSlot(id) < 0) return;
      const name = p.capability.name;
      let caps = this.capabilities.get(id);
      const old = caps?.get(name);
      const oldChars = old ? name.length + JSON.stringify(old).length : 0;
      if (p.action === 'remove') {
        if (old) {
          caps!.delete(name);
          this.sideChars -= oldChars;
          this.capChars.set(id, (this.capChars.get(id) ?? 0) - oldChars);
        }
      } else {
        if (!old && (caps?.size ?? 0) >= MAX_CAPABILITIES_PER_AGENT) {
          this.limits.sideDataRefused++;
          return;
        }
        const chars = name.length + JSON.stringify(p.capability).length;
        this.sideChars -= oldChars;
        if (!this.charge(chars)) {
          this.sideChars += oldChars;
          return;
        }
        if (!caps) this.capabilities.set(id, (caps = new Map()));
        caps.set(name, p.capability);
        this.capChars.set(id, (this.capChars.get(id) ?? 0) - oldChars + chars);
      }
      this.changed();
    }
  }

  /**
   * Slots changed since `sinceVersion`, written into `out` (grown as needed);
   * returns the count, or -1 when more than `limit` changed (send all instead).
   */
  changedSlots(sinceVersion: number, out: { slots: Uint32Array }, limit: number): number {
    const stamp = this.stamp;
    let n = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (stamp[slot]! > sinceVersion) {
        if (n >= limit) return -1;
        if (n >= out.slots.length) out.slots = resized(out.slots, grownCapacity(out.slots.length, n + 1, 64), n);
        out.slots[n++] = slot;
      }
    }
    return n;
  }

  /**
   * Takes the place of `previous` (a replay seek swaps in a store rebuilt from
   * a snapshot under the same plane id): shares its change listeners, so the
   * views watching it follow this one, and continues its version numbering
   * with every slot stamped new, so they resend everything.
   */
  succeed(previous: AgentStore): void {
    this.listeners = previous.listeners;
    this.version = Math.max(this.version, previous.version) + 1;
    this.positionVersion = Math.max(this.positionVersion, previous.positionVersion) + 1;
    this.stamp.fill(this.version, 0, this.slotCount);
    this.changed();
  }

  private grow(min: number): void {
    const cap = grownCapacity(this.capacity, min, 256);
    const n = this.slotCount;
    this.ids = resized(this.ids, cap, n);
    this.pos = resized(this.pos, cap * 3, n * 3);
    this.vel = resized(this.vel, cap * 3, n * 3);
    this.state = resized(this.state, cap, n);
    this.state.fill(SLOT_EMPTY, n);
    this.flags = resized(this.flags, cap, n);
    this.stamp = resized(this.stamp, cap, n);
    this.lastSeen = resized(this.lastSeen, cap, n);
    this.cpu = resized(this.cpu, cap, n);
    this.mem = resized(this.mem, cap, n);
    this.tasks = resized(this.tasks, cap, n);
    this.successRate = resized(this.successRate, cap, n);
    this.avgMs = resized(this.avgMs, cap, n);
  }

}
