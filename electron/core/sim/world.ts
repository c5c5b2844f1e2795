// The simulated swarm: agents orbit their namespace's centre on smooth,
// differentiable paths, change state now and then, and message each other.
// Deterministic for a given seed so tests can reason about it.

import { AGENT_STATES } from '../../../shared/index.js';

export const NAMESPACES = ['research', 'analysis', 'planning', 'operations'] as const;

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CAPABILITY_NAMES = ['web_search', 'advanced_analysis', 'planning', 'code_execution', 'summarisation', 'vision'] as const;
const CAPABILITY_CATEGORIES = ['retrieval', 'analysis', 'planning', 'execution', 'language', 'perception'] as const;

export interface CapabilityChange {
  id: number;
  action: 'add' | 'remove' | 'update';
  name: string;
  category: string;
  level: number;
}

export interface StateChange {
  id: number;
  previous: number;
  next: number;
}

export class World {
  readonly count: number;
  readonly ids: Uint32Array;
  readonly pos: Float32Array;
  readonly vel: Float32Array;
  readonly state: Uint8Array;
  readonly namespace: Uint8Array;
  // Performance, as agent.performance.update and PERFORMANCE_METRICS report it.
  readonly tasks: Uint32Array;
  readonly successRate: Float32Array;
  readonly avgMs: Float32Array;
  /** CPU percent. */
  readonly cpu: Float32Array;
  /** Memory bytes. */
  readonly mem: Float64Array;
  /** Capability name → level, per agent. */
  readonly capabilities: Map<string, number>[];
  private readonly radius: Float32Array;
  private readonly omega: Float32Array;
  private readonly phase: Float32Array;
  private readonly wobble: Float32Array;
  private readonly rand: () => number;
  /** Simulated seconds since start. */
  t = 0;

  constructor(count: number, seed = 1) {
    this.count = count;
    this.rand = prng(seed);
    this.ids = new Uint32Array(count);
    this.pos = new Float32Array(count * 3);
    this.vel = new Float32Array(count * 3);
    this.state = new Uint8Array(count);
    this.namespace = new Uint8Array(count);
    this.radius = new Float32Array(count);
    this.omega = new Float32Array(count);
    this.phase = new Float32Array(count);
    this.wobble = new Float32Array(count);
    this.tasks = new Uint32Array(count);
    this.successRate = new Float32Array(count);
    this.avgMs = new Float32Array(count);
    this.cpu = new Float32Array(count);
    this.mem = new Float64Array(count);
    this.capabilities = [];
    for (let i = 0; i < count; i++) {
      this.ids[i] = i + 1;
      this.namespace[i] = i % NAMESPACES.length;
      this.radius[i] = 40 + this.rand() * 160;
      this.omega[i] = (0.15 + this.rand() * 0.35) * (this.rand() < 0.5 ? -1 : 1);
      this.phase[i] = this.rand() * Math.PI * 2;
      this.wobble[i] = this.rand() * 20;
      this.state[i] = this.rand() < 0.7 ? 0 : 2; // IDLE or EXECUTING
      this.tasks[i] = Math.floor(this.rand() * 50);
      this.successRate[i] = 0.85 + this.rand() * 0.15;
      this.avgMs[i] = 50 + this.rand() * 400;
      this.cpu[i] = 5 + this.rand() * 60;
      this.mem[i] = Math.round((64 + this.rand() * 960) * 1024 * 1024);
      const caps = new Map<string, number>();
      caps.set(CAPABILITY_NAMES[i % CAPABILITY_NAMES.length]!, 1 + Math.floor(this.rand() * 5));
      this.capabilities.push(caps);
    }
    this.advance(0);
  }

  /** Namespace centres sit on a circle around the origin. */
  static centre(ns: number): [number, number] {
    const a = (ns / NAMESPACES.length) * Math.PI * 2;
    return [Math.cos(a) * 260, Math.sin(a) * 260];
  }

  advance(dt: number): void {
    this.t += dt;
    const t = this.t;
    for (let i = 0; i < this.count; i++) {
      const [cx, cy] = World.centre(this.namespace[i]!);
      const a = this.phase[i]! + this.omega[i]! * t;
      const r = this.radius[i]! + this.wobble[i]! * Math.sin(t * 0.7 + this.phase[i]!);
      const dr = this.wobble[i]! * 0.7 * Math.cos(t * 0.7 + this.phase[i]!);
      const c = Math.cos(a), s = Math.sin(a);
      const p = i * 3;
      this.pos[p] = cx + r * c;
      this.pos[p + 1] = cy + r * s;
      this.pos[p + 2] = 0;
      this.vel[p] = dr * c - r * this.omega[i]! * s;
      this.vel[p + 1] = dr * s + r * this.omega[i]! * c;
      this.vel[p + 2] = 0;
    }
  }

  /** Changes the state of about `expected` random agents. */
  changeStates(expected: number): StateChange[] {
    const out: StateChange[] = [];
    if (this.count === 0) return out;
    let n = Math.floor(expected) + (this.rand() < expected % 1 ? 1 : 0);
    while (n-- > 0) {
      const i = Math.floor(this.rand() * this.count);
      const previous = this.state[i]!;
      // TERMINATED (7) is left out: simulated agents stay in the swarm.
      let next = Math.floor(this.rand() * (AGENT_STATES.length - 1));
      if (next === previous) next = (next + 1) % (AGENT_STATES.length - 1);
      this.state[i] = next;
      out.push({ id: this.ids[i]!, previous, next });
    }
    return out;
  }

  /** Metrics drift: busy agents complete tasks and use more CPU. */
  updateMetrics(dt: number): void {
    for (let i = 0; i < this.count; i++) {
      const busy = this.state[i] === 2 || this.state[i] === 5;
      if (busy && this.rand() < dt * 0.5) this.tasks[i]!++;
      const sr = this.successRate[i]! + (this.rand() - 0.5) * 0.02 * dt;
      this.successRate[i] = Math.min(1, Math.max(0.5, sr));
      const ms = this.avgMs[i]! + (this.rand() - 0.5) * 40 * dt;
      this.avgMs[i] = Math.min(2000, Math.max(10, ms));
      const target = busy ? 70 : 10;
      this.cpu[i] = Math.min(100, Math.max(0, this.cpu[i]! + (target - this.cpu[i]!) * Math.min(1, dt) * 0.5 + (this.rand() - 0.5) * 4));
      this.mem[i] = Math.max(32 * 1024 * 1024, Math.round(this.mem[i]! + (this.rand() - 0.5) * 4 * 1024 * 1024 * dt));
    }
  }

  /** One agent gains, improves or drops a capability. */
  changeCapability(): CapabilityChange | null {
    if (this.count === 0) return null;
    const i = Math.floor(this.rand() * this.count);
    const caps = this.capabilities[i]!;
    const k = Math.floor(this.rand() * CAPABILITY_NAMES.length);
    const name = CAPABILITY_NAMES[k]!;
    const category = CAPABILITY_CATEGORIES[k]!;
    const have = caps.get(name);
    if (have === undefined) {
      caps.set(name, 1);
      return { id: this.ids[i]!, action: 'add', name, category, level: 1 };
    }
    if (have < 5 && this.rand() < 0.7) {
      caps.set(name, have + 1);
      return { id: this.ids[i]!, action: 'update', name, category, level: have + 1 };
    }
    if (caps.size > 1) {
      caps.delete(name);
      return { id: this.ids[i]!, action: 'remove', name, category, level: have };
    }
    return null;
  }

  /** Index of agent id (ids are 1..count). -1 when absent. */
  indexOf(id: number): number {
    return id >= 1 && id <= this.count && this.ids[id - 1] === id ? id - 1 : -1;
  }

  setState(i: number, next: number): StateChange {
    const previous = this.state[i]!;
    this.state[i] = next;
    return { id: this.ids[i]!, previous, next };
  }

  randomAgent(): number {
    return this.ids[Math.floor(this.rand() * this.count)]!;
  }

  random(): number {
    return this.rand();
  }
}
