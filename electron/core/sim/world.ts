// The simulated swarm: agents orbit their namespace's centre on smooth,
// differentiable paths, change state now and then, and message each other.
// Deterministic for a given seed so tests can reason about it.

import { AGENT_STATES } from '../protocol/constants.js';

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
    for (let i = 0; i < count; i++) {
      this.ids[i] = i + 1;
      this.namespace[i] = i % NAMESPACES.length;
      this.radius[i] = 40 + this.rand() * 160;
      this.omega[i] = (0.15 + this.rand() * 0.35) * (this.rand() < 0.5 ? -1 : 1);
      this.phase[i] = this.rand() * Math.PI * 2;
      this.wobble[i] = this.rand() * 20;
      this.state[i] = this.rand() < 0.7 ? 0 : 2; // IDLE or EXECUTING
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

  randomAgent(): number {
    return this.ids[Math.floor(this.rand() * this.count)]!;
  }

  random(): number {
    return this.rand();
  }
}
