// What the core pushes to a view: one FrameMessage per displayed frame (the
// planes' statuses, their positions as typed arrays, events, pipeline stats),
// and the view's acknowledgement of it.

import { z } from 'zod';
import { PlaneEventSchema } from '../events.js';
import { MAX_SLOTS, PlaneStatusSchema } from '../model.js';
import { MonitorDeltaSchema } from './history.js';

// Views over any buffer (the store's, or a received WebSocket message's).
const u32 = z.custom<Uint32Array<ArrayBufferLike>>((v) => v instanceof Uint32Array, 'expected a Uint32Array');
const f32 = z.custom<Float32Array<ArrayBufferLike>>((v) => v instanceof Float32Array, 'expected a Float32Array');
const u16 = z.custom<Uint16Array<ArrayBufferLike>>((v) => v instanceof Uint16Array, 'expected a Uint16Array');
const u8 = z.custom<Uint8Array<ArrayBufferLike>>((v) => v instanceof Uint8Array, 'expected a Uint8Array');


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
});
export type PipelineStats = z.infer<typeof PipelineStatsSchema>;

export const FrameMessageSchema = z.object({
  seq: z.number().int().nonnegative(),
  /** Core clock (ms since epoch) when the frame was built. */
  builtAt: z.number(),
  planes: z.array(PlaneStatusSchema),
  positions: z.array(PlaneFrameSchema),
  events: z.array(PlaneEventSchema),
  /** What changed in each plane's session state since the view's last acknowledged frame (planes with no change left out). */
  monitor: z.array(MonitorDeltaSchema).optional(),
  stats: PipelineStatsSchema,
});
export type FrameMessage = z.infer<typeof FrameMessageSchema>;

export const AckSchema = z.object({ seq: z.number().int().nonnegative() });
export type Ack = z.infer<typeof AckSchema>;
