// Agents by state per plane, for the Overview: a mirror of each plane's
// state column by slot (typed, applied from full and delta frames alike),
// counted on demand.

import { AGENT_STATES, MAX_SLOTS, type PlaneFrame, SLOT_EMPTY } from '@shared';

export class StateTally {
  private states = new Uint16Array(0);
  private slotCount = 0;

  apply(f: PlaneFrame): void {
    const n = Math.min(f.slotCount, MAX_SLOTS);
    if (n > this.states.length) {
      const next = new Uint16Array(Math.max(n, this.states.length * 2, 64)).fill(SLOT_EMPTY);
      next.set(this.states);
      this.states = next;
    }
    if (n < this.slotCount) this.states.fill(SLOT_EMPTY, n, this.slotCount);
    this.slotCount = n;
    if (f.slots) {
      for (let k = 0; k < f.slots.length; k++) this.states[f.slots[k]!] = f.states[k]!;
    } else {
      this.states.set(f.states.subarray(0, n));
    }
  }

  /** Count per state name (AGENT_STATES order, then UNKNOWN); states not present are omitted. */
  counts(): Record<string, number> {
    const by = new Uint32Array(AGENT_STATES.length + 1);
    for (let i = 0; i < this.slotCount; i++) {
      const s = this.states[i]!;
      if (s === SLOT_EMPTY) continue;
      by[s < AGENT_STATES.length ? s : AGENT_STATES.length]!++;
    }
    const out: Record<string, number> = {};
    AGENT_STATES.forEach((name, i) => {
      if (by[i]) out[name] = by[i]!;
    });
    if (by[AGENT_STATES.length]) out.UNKNOWN = by[AGENT_STATES.length]!;
    return out;
  }
}
