// The one IPC contract between the core (Electron main or the browser-mode
// host) and the renderer. Channel names, payload types and their runtime
// validation live here and nowhere else; the preload, the browser-mode
// WebSocket bridge and the renderer all import this file. It must stay free of
// Node and Electron imports: the renderer bundles it.

import { z } from 'zod';
import { PlaneEventSchema } from '../protocol/events.js';

export const IPC_CHANNELS = {
  /** core → renderer, one per displayed frame: FrameMessage. */
  frame: 'swarmdeck:frame',
  /** renderer → core: the renderer has drawn frame `seq` (frees the in-flight slot). */
  ack: 'swarmdeck:ack',
  /** renderer → core, request/response: the app's identity and planes. Also says the view has subscribed and may be sent frames. */
  hello: 'swarmdeck:hello',
} as const;
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** Connection presence of one plane, an explicit state machine (docs/PROTOCOL.md). */
export const CONNECTION_STATES = [
  'CONNECTING',
  'HANDSHAKING',
  'LIVE',
  'STALE',
  'RECONNECTING',
  'AUTH_REQUIRED',
  'FAILED',
  'CLOSED',
] as const;
export const ConnectionStateSchema = z.enum(CONNECTION_STATES);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

/** Slot state value of a free slot in the store (no agent). */
export const SLOT_EMPTY = 254;
/** The most slots one plane may have (16.7M agents). */
export const MAX_SLOTS = 1 << 24;

// Views over any buffer (the store's, or a received WebSocket message's).
const u32 = z.custom<Uint32Array<ArrayBufferLike>>((v) => v instanceof Uint32Array, 'expected a Uint32Array');
const f32 = z.custom<Float32Array<ArrayBufferLike>>((v) => v instanceof Float32Array, 'expected a Float32Array');
const u8 = z.custom<Uint8Array<ArrayBufferLike>>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

export const PlaneStatusSchema = z.object({
  plane: z.string(),
  label: z.string(),
  /** 0xRRGGBB: the plane's colour in the graph. */
  color: z.number().int().min(0).max(0xffffff),
  url: z.string(),
  state: ConnectionStateSchema,
  reason: z.string().optional(),
  agents: z.number().int().nonnegative(),
  counters: z.object({
    bytesIn: z.number().nonnegative(),
    messagesIn: z.number().nonnegative(),
    positionMessages: z.number().nonnegative(),
    protocolErrors: z.number().nonnegative(),
    reconnects: z.number().nonnegative(),
  }),
});
export type PlaneStatus = z.infer<typeof PlaneStatusSchema>;

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
    /** High-resolution epoch ms (timeOrigin + now) when the newest positions here arrived on the socket; 0 before any. */
    receivedAt: z.number().nonnegative(),
    slots: u32.optional(),
    ids: u32,
    xy: f32,
    states: u8,
  })
  .superRefine((f, ctx) => {
    const n = f.slots ? f.slots.length : f.slotCount;
    if (f.ids.length !== n || f.states.length !== n || f.xy.length !== 2 * n) {
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
  /** Events waiting for the next frame (never dropped). */
  eventsQueued: z.number().nonnegative(),
  eventsSent: z.number().nonnegative(),
  /** Frames not acknowledged in time; their events were sent again. */
  framesTimedOut: z.number().nonnegative(),
});
export type PipelineStats = z.infer<typeof PipelineStatsSchema>;

export const FrameMessageSchema = z.object({
  seq: z.number().int().nonnegative(),
  /** Core clock (ms since epoch) when the frame was built. */
  builtAt: z.number(),
  planes: z.array(PlaneStatusSchema),
  positions: z.array(PlaneFrameSchema),
  events: z.array(PlaneEventSchema),
  stats: PipelineStatsSchema,
});
export type FrameMessage = z.infer<typeof FrameMessageSchema>;

export const AckSchema = z.object({ seq: z.number().int().nonnegative() });
export type Ack = z.infer<typeof AckSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web']),
  planes: z.array(z.object({ plane: z.string(), label: z.string(), url: z.string(), color: z.number().int() })),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** What the renderer sees: the preload exposes exactly this as `window.swarmdeck`. */
export interface SwarmdeckBridge {
  /** Subscribes to frames; returns the unsubscribe function. */
  onFrame(listener: (frame: FrameMessage) => void): () => void;
  ack(seq: number): void;
  /** Call after subscribing: the core starts sending frames to this view only then. */
  hello(): Promise<AppInfo>;
}

/** Runtime validation on the receiving side; throws an IpcValidationError naming the field. */
export class IpcValidationError extends Error {
  constructor(
    readonly channel: string,
    readonly field: string,
    detail: string,
  ) {
    super(`invalid ${channel} message at ${field || '(root)'}: ${detail}`);
    this.name = 'IpcValidationError';
  }
}

export function parseOrThrow<T>(channel: IpcChannel, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new IpcValidationError(channel, issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
}

/**
 * Sender check: only pages of the app's own origin may speak on the contract.
 * `appOrigin` is e.g. "app://swarmdeck" (Electron) or "http://127.0.0.1:5173" (browser mode).
 */
export function isAllowedSender(senderUrl: string | undefined | null, appOrigin: string): boolean {
  if (!senderUrl) return false;
  const a = originOf(senderUrl);
  return a !== null && a === originOf(appOrigin);
}

// URL.origin is "null" for custom schemes such as app://, so build it from protocol and host.
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}
