// What the core pushes to a view: one FrameMessage per displayed frame (the
// planes' statuses, their positions as typed arrays, events, pipeline stats),
// and the view's acknowledgement of it.

import { z } from 'zod';
import { PlaneEventSchema } from '../events.js';
import { MAX_FLOW_ID_CHARS, MAX_FLOWS_PER_PLANE } from '../limits.js';
import { MAX_SLOTS, PlaneStatusSchema } from '../model.js';
import { MonitorDeltaSchema } from './history.js';

// Views over any buffer (the store's, or a received WebSocket message's).
const u32 = z.custom<Uint32Array<ArrayBufferLike>>((v) => v instanceof Uint32Array, 'expected a Uint32Array');
const f32 = z.custom<Float32Array<ArrayBufferLike>>((v) => v instanceof Float32Array, 'expected a Float32Array');
const u16 = z.custom<Uint16Array<ArrayBufferLike>>((v) => v instanceof Uint16Array, 'expected a Uint16Array');
const u8 = z.custom<Uint8Array<ArrayBufferLike>>((v) => v instanceof Uint8Array, 'expected a Uint8Array');
const f64 = z.custom<Float64Array<ArrayBufferLike>>((v) => v instanceof Float64Array, 'expected a Float64Array');


/**
 * Positions of one plane's store, by slot. Entry k is slot slots[k] (or slot
 * k when `slots` is absent, and then the arrays cover slots 0..slotCount-1):
 * agent ids[k] at (xy[2k], xy[2k+1]) in state states[k]; SLOT_EMPTY marks a
 * free slot. With `slots`, only the slots changed since the view's last frame.
 */
export const PlaneFrameSchema = z
  .object({
    plane: z.string(),
    /** Bounded so a bad frame cannot make the renderer allocate without limit. */
    slotCount: z.number().int().nonnegative().max(MAX_SLOTS),
    /** High-resolution epoch ms (timeOrigin + now) when the newest positions here arrived on the socket; 0 when the frame brings no new positions (a state or metrics change only). */
    receivedAt: z.number().nonnegative(),
    /** When the plane sent the newest positions here, corrected to the core's clock (epoch ms; connection/clock.ts positionsSentAt); 0 or absent: none new. The page's data age is now minus this. */
    sentAt: z.number().nonnegative().optional(),
    slots: u32.optional(),
    ids: u32,
    xy: f32,
    states: u16,
    /** Velocity (vx[2k], vy[2k+1]) in the plane's units per second: the view dead-reckons between updates. */
    vxy: f32.optional(),
    /** Load per entry: CPU percent 0..100 (node size). */
    load: u8.optional(),
    /** The plane has sent positions at all; when false the view lays the plane out itself. */
    positioned: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    const n = f.slots ? f.slots.length : f.slotCount;
    if (f.ids.length !== n || f.states.length !== n || f.xy.length !== 2 * n || (f.vxy && f.vxy.length !== 2 * n) || (f.load && f.load.length !== n)) {
      ctx.addIssue({ code: 'custom', message: `array lengths disagree with ${n} slots` });
    }
    // A slot index past slotCount would make the renderer grow without bound.
    if (f.slots) {
      for (let i = 0; i < f.slots.length; i++) {
        if (f.slots[i]! >= f.slotCount) {
          ctx.addIssue({ code: 'custom', path: ['slots', i], message: `slot ${f.slots[i]} >= slotCount ${f.slotCount}` });
          break;
        }
      }
    }
  });
export type PlaneFrame = z.infer<typeof PlaneFrameSchema>;

/** A flow end that is not an agent (a group, or a flow id no split of names two agents): the view resolves the id itself. */
export const FLOW_END_NONE = 0xffffffff;

/** `FlowFrame.look`: the last message.sent of the flow (particle colour and shape). Bits 0-2 type, 3-4 priority, 5 failed. */
export const FLOW_LOOK_TYPES = ['', 'REQUEST', 'RESPONSE', 'BROADCAST', 'EVENT'] as const;
export const FLOW_LOOK_PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export const FLOW_LOOK_FAILED = 32;

/**
 * One plane's flow table (the core folds message.flow.stats and message.sent
 * into it; issue 22), as the view has not seen it: entry k is table slot
 * slots[k], flow from[k] → to[k] (agent numbers, or FLOW_END_NONE), with its
 * latest figures (NaN: not known). A slot whose flow is new to the view
 * (first sent, or the slot reused after an eviction) names its flow id in
 * `names` as [k, flowId]. `complete`: every flow of the table is here (the
 * view forgets the plane's flows not listed).
 */
export const FlowFrameSchema = z
  .object({
    plane: z.string(),
    complete: z.boolean(),
    slots: u32,
    from: u32,
    to: u32,
    /** Messages the flow has carried (message.flow.stats messageCount). */
    count: f64,
    /** Messages per second: from messageCount over the plane's timestamps, or counted message.sent. */
    rate: f32,
    /** 0..1 */
    successRate: f32,
    /** Average, smallest and largest latency, ms. */
    latencyMs: f32,
    minMs: f32,
    maxMs: f32,
    bandwidth: f32,
    /** How long before the frame's builtAt the flow was last updated, ms (no clock offset to correct). */
    ageMs: f32,
    look: u8,
    names: z.array(z.tuple([z.number().int().nonnegative(), z.string().max(MAX_FLOW_ID_CHARS)])).max(MAX_FLOWS_PER_PLANE),
    /** The table's size, and its evictions so far (counted). */
    size: z.number().int().nonnegative().max(MAX_FLOWS_PER_PLANE),
    evicted: z.number().int().nonnegative(),
  })
  .superRefine((f, ctx) => {
    const n = f.slots.length;
    const cols = [f.from, f.to, f.count, f.rate, f.successRate, f.latencyMs, f.minMs, f.maxMs, f.bandwidth, f.ageMs, f.look];
    if (n > MAX_FLOWS_PER_PLANE || cols.some((c) => c.length !== n)) ctx.addIssue({ code: 'custom', message: `flow columns disagree with ${n} entries` });
    for (let i = 0; i < n; i++) {
      if (f.slots[i]! >= MAX_FLOWS_PER_PLANE) {
        ctx.addIssue({ code: 'custom', path: ['slots', i], message: `flow slot ${f.slots[i]} >= ${MAX_FLOWS_PER_PLANE}` });
        break;
      }
    }
    for (const [k] of f.names) {
      if (k >= n) {
        ctx.addIssue({ code: 'custom', path: ['names'], message: `name for entry ${k} of ${n}` });
        break;
      }
    }
  });
export type FlowFrame = z.infer<typeof FlowFrameSchema>;

export const PipelineStatsSchema = z.object({
  framesSent: z.number().nonnegative(),
  /** Position updates replaced by newer ones before delivery (latest wins). */
  supersededPositions: z.number().nonnegative(),
  /** Events waiting for the next frame (bounded: see eventsDropped). */
  eventsQueued: z.number().nonnegative(),
  eventsSent: z.number().nonnegative(),
  /** Frames not acknowledged in time; their events were sent again. */
  framesTimedOut: z.number().nonnegative(),
  // Bounds of the view (shared/limits.ts, docs/ARCHITECTURE.md "Limits"); every drop counted.
  /** Older low/normal-priority updates replaced by a newer one of the same kind and agent while the queue was full. */
  eventsCoalesced: z.number().nonnegative().optional(),
  /** Events dropped because the view's queue was full (low first, critical last). */
  eventsDropped: z.number().nonnegative().optional(),
  /** Of eventsDropped, those of high or critical priority. */
  eventsDroppedHigh: z.number().nonnegative().optional(),
  /** Events too large to send whole: sent as a stub naming their size. */
  eventsOversized: z.number().nonnegative().optional(),
  /** Estimated JSON bytes of the events waiting. */
  eventBytesQueued: z.number().nonnegative().optional(),
  /** Current wait for an acknowledgement before events are re-sent (doubles per unacknowledged frame). */
  resendWaitMs: z.number().nonnegative().optional(),
  /** Messages from this view the host refused (invalid, unknown channel, socket protocol errors). */
  rejectedMessages: z.number().nonnegative().optional(),
  /** Flow table entries sent (each a flow's latest figures). */
  flowsSent: z.number().nonnegative().optional(),
  /** Flow updates replaced by a newer one of the same flow before this view was sent it (latest wins). */
  flowUpdatesSuperseded: z.number().nonnegative().optional(),
});
export type PipelineStats = z.infer<typeof PipelineStatsSchema>;

export const FrameMessageSchema = z.object({
  seq: z.number().int().nonnegative(),
  /** Core clock (ms since epoch) when the frame was built. */
  builtAt: z.number(),
  planes: z.array(PlaneStatusSchema),
  /** Positions and states first: the view applies them before anything else of the frame. */
  positions: z.array(PlaneFrameSchema),
  /** Each shown plane's flow table changes since the view's last frame (planes with none left out). */
  flows: z.array(FlowFrameSchema).optional(),
  events: z.array(PlaneEventSchema),
  /** What changed in each plane's session state since the view's last acknowledged frame (planes with no change left out). */
  monitor: z.array(MonitorDeltaSchema).optional(),
  stats: PipelineStatsSchema,
});
export type FrameMessage = z.infer<typeof FrameMessageSchema>;

export const AckSchema = z.object({ seq: z.number().int().nonnegative() });
export type Ack = z.infer<typeof AckSchema>;
