// One plane's agents as struct-of-arrays typed buffers indexed by slot, with
// an id → slot index. Slots of departed agents are reused; growth doubles the
// buffers. Nothing here allocates per agent per update.

import type { MetricsColumns, PositionColumns, StateColumns } from '../protocol/binary.js';
import { STATE_UNKNOWN } from '../protocol/constants.js';
import { SLOT_EMPTY } from '../ipc/contract.js';

/** Ids below this use a dense Int32Array index; larger ids fall back to a Map. */
const DENSE_ID_LIMIT = 1 << 20;

export class AgentStore {
  /** High-water mark: slots 0..slotCount-1 have been used; free ones hold SLOT_EMPTY. */
  slotCount = 0;
  /** Live agents. */
  agents = 0;
  ids = new Uint32Array(0);
  /** x,y,z per slot. */
  pos = new Float32Array(0);
  vel = new Float32Array(0);
  state = new Uint8Array(0);
  /** Local ms of the last update that named the agent. */
  lastSeen = new Float64Array(0);
  cpu = new Float32Array(0);
  mem = new Float64Array(0);
  tasks = new Uint32Array(0);
  successRate = new Float32Array(0);
  avgMs = new Float32Array(0);

  /** Bumped by every applied position message: the pipeline counts superseded ones from it. */
  positionVersion = 0;
  /** Bumped by any change (positions, states, membership). */
  version = 0;

  private dense = new Int32Array(0); // id → slot + 1 (0 = absent)
  private sparse = new Map<number, number>();
  private free: number[] = [];

  get capacity(): number {
    return this.ids.length;
  }

  slotOf(id: number): number {
    if (id < DENSE_ID_LIMIT) return id < this.dense.length ? this.dense[id]! - 1 : -1;
    return this.sparse.get(id) ?? -1;
  }

  /** The agent's slot, allocating one (reusing a freed slot first) for a new id. */
  ensureSlot(id: number): number {
    const existing = this.slotOf(id);
    if (existing >= 0) return existing;
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
    const p = slot * 3;
    this.pos.fill(0, p, p + 3);
    this.vel.fill(0, p, p + 3);
    this.cpu[slot] = 0;
    this.mem[slot] = 0;
    this.tasks[slot] = 0;
    this.successRate[slot] = 0;
    this.avgMs[slot] = 0;
    this.agents++;
    this.version++;
    return slot;
  }

  remove(id: number): boolean {
    const slot = this.slotOf(id);
    if (slot < 0) return false;
    if (id < DENSE_ID_LIMIT) this.dense[id] = 0;
    else this.sparse.delete(id);
    this.state[slot] = SLOT_EMPTY;
    this.free.push(slot);
    this.agents--;
    this.version++;
    return true;
  }

  clear(): void {
    this.dense.fill(0);
    this.sparse.clear();
    this.free.length = 0;
    this.state.fill(SLOT_EMPTY, 0, this.slotCount);
    this.slotCount = 0;
    this.agents = 0;
    this.version++;
  }

  applyPositions(cols: PositionColumns, now: number): void {
    const { ids, pos, vel, count } = cols;
    for (let i = 0; i < count; i++) {
      const slot = this.ensureSlot(ids[i]!);
      const s = slot * 3;
      const r = i * 3;
      // Buffers may have been replaced by ensureSlot's growth: index through `this`.
      this.pos[s] = pos[r]!;
      this.pos[s + 1] = pos[r + 1]!;
      this.pos[s + 2] = pos[r + 2]!;
      this.vel[s] = vel[r]!;
      this.vel[s + 1] = vel[r + 1]!;
      this.vel[s + 2] = vel[r + 2]!;
      this.lastSeen[slot] = now;
    }
    if (count > 0) {
      this.positionVersion++;
      this.version++;
    }
  }

  applyStates(cols: StateColumns, now: number): void {
    for (let i = 0; i < cols.count; i++) {
      const slot = this.ensureSlot(cols.ids[i]!);
      this.state[slot] = cols.codes[i]!;
      this.lastSeen[slot] = now;
    }
    if (cols.count > 0) this.version++;
  }

  applyMetrics(cols: MetricsColumns, now: number): void {
    for (let i = 0; i < cols.count; i++) {
      const slot = this.ensureSlot(cols.ids[i]!);
      this.tasks[slot] = cols.tasks[i]!;
      this.successRate[slot] = cols.successRate[i]!;
      this.avgMs[slot] = cols.avgMs[i]!;
      this.cpu[slot] = cols.cpu[i]!;
      this.mem[slot] = cols.mem[i]!;
      this.lastSeen[slot] = now;
    }
    if (cols.count > 0) this.version++;
  }

  setState(id: number, code: number, now: number): void {
    const slot = this.ensureSlot(id);
    this.state[slot] = code;
    this.lastSeen[slot] = now;
    this.version++;
  }

  private grow(min: number): void {
    const cap = Math.max(min, this.capacity * 2, 256);
    const g = <T extends Uint8Array | Uint32Array | Float32Array | Float64Array>(a: T, per: number, make: (n: number) => T): T => {
      const b = make(cap * per);
      b.set(a as never);
      return b;
    };
    this.ids = g(this.ids, 1, (n) => new Uint32Array(n));
    this.pos = g(this.pos, 3, (n) => new Float32Array(n));
    this.vel = g(this.vel, 3, (n) => new Float32Array(n));
    this.state = g(this.state, 1, (n) => new Uint8Array(n).fill(SLOT_EMPTY));
    this.lastSeen = g(this.lastSeen, 1, (n) => new Float64Array(n));
    this.cpu = g(this.cpu, 1, (n) => new Float32Array(n));
    this.mem = g(this.mem, 1, (n) => new Float64Array(n));
    this.tasks = g(this.tasks, 1, (n) => new Uint32Array(n));
    this.successRate = g(this.successRate, 1, (n) => new Float32Array(n));
    this.avgMs = g(this.avgMs, 1, (n) => new Float32Array(n));
  }
}
