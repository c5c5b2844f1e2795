// Flows are hot data, like positions (issue 22). Each plane's
// message.flow.stats and message.sent fold into its FlowTable, which views
// get in their frames (flow-frames.ts). The events themselves are sampled:
// at most one per flow per FLOW_LOG_SAMPLE_MS, and FLOW_LOG_PER_SEC per
// plane, go on to the event log and the views (a record of them, and the
// Events panel's rows); the rest are counted as folded. Recordings keep the
// raw inbound messages, so nothing is lost from a recording.

import {
  agentNumber,
  FLOW_END_NONE,
  FLOW_LOG_PER_SEC,
  FLOW_LOG_SAMPLE_MS,
  FLOW_LOOK_FAILED,
  FLOW_LOOK_PRIORITIES,
  FLOW_LOOK_TYPES,
  MAX_FLOW_ID_CHARS,
  type PlaneEvent,
  readEvent,
} from '../../../shared/index.js';
import { createHash } from 'node:crypto';
import { quotedString } from '../protocol/index.js';
import { FlowTable } from './flow-table.js';

/** What became of an event: not a flow update, folded only (counted), or folded and kept as a sample. */
export type FoldResult = 'none' | 'folded' | 'sampled';

/** The agents a flow id "<from>-<to>" names: the first dash where both halves read as agent ids; else none. */
export function flowEnds(flowId: string): [number, number] {
  for (let i = flowId.indexOf('-'); i >= 0; i = flowId.indexOf('-', i + 1)) {
    if (i === 0 || i === flowId.length - 1) continue;
    const a = agentNumber(flowId.slice(0, i));
    if (a === null) continue;
    const b = agentNumber(flowId.slice(i + 1));
    if (b !== null) return [a, b];
  }
  return [FLOW_END_NONE, FLOW_END_NONE];
}

/** A message.sent's look as FlowFrame.look packs it. */
export function flowLook(messageType: string | undefined, priority: string | undefined, failed: boolean): number {
  const t = Math.max(0, FLOW_LOOK_TYPES.indexOf((messageType ?? '').toUpperCase() as (typeof FLOW_LOOK_TYPES)[number]));
  const p = FLOW_LOOK_PRIORITIES.indexOf((priority ?? 'normal').toLowerCase() as (typeof FLOW_LOOK_PRIORITIES)[number]);
  return t | ((p < 0 ? 1 : p) << 3) | (failed ? FLOW_LOOK_FAILED : 0);
}

/** The plane's time of an event (its timestamp), else when it arrived. */
function sourceTime(ev: PlaneEvent): number {
  const t = ev.timestamp === undefined ? NaN : Date.parse(ev.timestamp);
  return Number.isFinite(t) ? t : ev.at;
}

/** Characters a cut flow id ends with: "#" and 16 of a hash of the whole id. */
const ID_HASH_CHARS = 17;

/**
 * A flow id within MAX_FLOW_ID_CHARS. A longer one keeps its start, an ellipsis and a hash of the whole id, so two
 * long ids that differ only past the cut stay two flows; a copy, not a slice of the message.
 */
export function flowKey(id: string): string {
  if (id.length <= MAX_FLOW_ID_CHARS) return id;
  const hash = createHash('sha256').update(id).digest('base64url').substring(0, ID_HASH_CHARS - 1);
  return `${quotedString(id, MAX_FLOW_ID_CHARS - ID_HASH_CHARS - 1)}#${hash}`;
}

export class PlaneFlows {
  readonly table: FlowTable;
  /** Flow updates folded and not kept as samples. */
  folded = 0;
  sampled = 0;
  private budget: number;
  private budgetAt = -Infinity;

  constructor(
    capacity?: number,
    private readonly sampleMs = FLOW_LOG_SAMPLE_MS,
    private readonly perSec = FLOW_LOG_PER_SEC,
  ) {
    this.table = new FlowTable(capacity);
    this.budget = perSec;
  }

  /** Folds a flow update into the table; says whether the event is also to be logged (sampled). */
  fold(ev: PlaneEvent): FoldResult {
    if (ev.type !== 'message.flow.stats' && ev.type !== 'message.sent') return 'none';
    if (ev.origin === 'client') return 'none';
    const v = readEvent(ev);
    const now = ev.at;
    const t = this.table;
    let sample = false;
    if (v.kind === 'flow') {
      const id = flowKey(v.flowId);
      // A flow's ends are read from its id once, when it is new (thousands of updates a second name known flows).
      const held = t.slotOf(id);
      let from: number, to: number;
      if (held < 0) [from, to] = flowEnds(id);
      else (from = t.from[held]!), (to = t.to[held]!);
      const s = v.statistics;
      const slot = t.applyStats(id, from, to, { count: s.messageCount, successRate: s.successRate, latencyMs: s.averageLatency, minMs: s.minLatency, maxMs: s.maxLatency, bandwidth: s.bandwidth }, sourceTime(ev), now);
      if (slot >= 0) sample = this.admit(slot, now);
    } else if (v.kind === 'message') {
      const from = agentNumber(v.from.id) ?? FLOW_END_NONE;
      const look = flowLook(v.messageType, v.priority, v.failed);
      for (const r of v.to) {
        const slot = t.applySent(flowKey(`${v.from.id}-${r.id}`), from, agentNumber(r.id) ?? FLOW_END_NONE, look, now);
        if (this.admit(slot, now)) sample = true;
      }
      // No receiver to fold into: the event is kept as it is.
      if (v.to.length === 0) return 'none';
    } else return 'none';
    if (sample) this.sampled++;
    else this.folded++;
    return sample ? 'sampled' : 'folded';
  }

  /** One per flow per sampleMs, and perSec per plane. */
  private admit(slot: number, now: number): boolean {
    const t = this.table;
    if (now - t.loggedAt[slot]! < this.sampleMs) return false;
    if (now - this.budgetAt >= 1000) {
      this.budgetAt = now;
      this.budget = this.perSec;
    }
    if (this.budget <= 0) return false;
    this.budget--;
    t.loggedAt[slot] = now;
    return true;
  }
}
