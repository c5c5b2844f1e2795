// The flight recorder and rewind: its settings and buffers (`flight`), and a
// live plane rewound, returned to LIVE, or its buffer saved (`rewind`).

import { z } from 'zod';
import { REWIND_MAX_BYTES, REWIND_MAX_MS, REWIND_MIN_BYTES } from '../limits.js';

const PlaneId = z.string().min(1).max(200);

/** A rewound plane is shown as this replay plane: "rewind:<plane>". */
export const REWIND_PLANE_PREFIX = 'rewind:';
export const isRewindPlane = (id: string): boolean => id.startsWith(REWIND_PLANE_PREFIX);
/** A rewind plane's label: its live plane's, with this after it. */
export const REWIND_LABEL_SUFFIX = '(rewind)';

/** What `window.__swarmdeck.clock()` says: the data time shown (ms since the epoch) and whether it is the present. */
export interface ClockReading {
  mode: 'live' | 'rewind' | 'replay';
  at: number;
}

/** The clock of a view from the timeline's entries: rewound if any entry is a rewind, else replay if a recording is open, else live at `now`. */
export function clockOf(entries: readonly { state: { positionMs: number; planes: Record<string, string> } }[], now: number): ClockReading {
  const rewind = entries.find((e) => Object.values(e.state.planes).some(isRewindPlane));
  if (rewind) return { mode: 'rewind', at: rewind.state.positionMs };
  if (entries.length > 0) return { mode: 'replay', at: entries[0]!.state.positionMs };
  return { mode: 'live', at: now };
}

/** One live plane's rolling buffer. */
export const FlightPlaneSchema = z.object({
  plane: z.string(),
  /** Recording into the buffer now. */
  recording: z.boolean(),
  /** The buffer's extent (data time, ms since the epoch); null while it is empty. */
  startMs: z.number().nullable(),
  endMs: z.number().nullable(),
  bytes: z.number().nonnegative(),
  segments: z.number().int().nonnegative(),
  /** Why the recorder is off for this plane (a full disk, an unwritable cache); null when it runs or is off by setting. */
  off: z.string().nullable(),
  /** The data time shown while the plane is rewound; null at LIVE. */
  rewoundAt: z.number().nullable(),
});
export type FlightPlane = z.infer<typeof FlightPlaneSchema>;

export const FlightStatusSchema = z.object({
  /** `--rewind` in ms; 0: off. */
  windowMs: z.number().int().nonnegative(),
  /** `--rewind-bytes`, across all planes. */
  maxBytes: z.number().int().nonnegative(),
  /** Where the segments are (under SWARMDECK_CACHE_DIR). */
  dir: z.string(),
  /** Bytes of every plane's segments. */
  bytes: z.number().nonnegative(),
  planes: z.array(FlightPlaneSchema).max(256),
});
export type FlightStatus = z.infer<typeof FlightStatusSchema>;

/** The settings' change (either or both); none: just the status. */
export const FlightSettingsSchema = z
  .object({
    windowMs: z.number().int().min(0).max(REWIND_MAX_MS).optional(),
    maxBytes: z.number().int().min(REWIND_MIN_BYTES).max(REWIND_MAX_BYTES).optional(),
  })
  .strict();
export type FlightSettings = z.infer<typeof FlightSettingsSchema>;

/** Rewind `plane` to data time `at` (clamped to its buffer), return it to LIVE, or save its buffer (or the span from..to) to the recordings folder. */
export const RewindActionSchema = z.discriminatedUnion('action', [
  z.object({ plane: PlaneId, action: z.literal('seek'), at: z.number().finite() }),
  z.object({ plane: PlaneId, action: z.literal('live') }),
  z.object({ plane: PlaneId, action: z.literal('save'), fromMs: z.number().finite().optional(), toMs: z.number().finite().optional() }),
]);
export type RewindAction = z.infer<typeof RewindActionSchema>;

export const RewindResultSchema = z.object({
  plane: z.string(),
  mode: z.enum(['live', 'rewind']),
  /** The data time shown when rewound. */
  atMs: z.number().nullable(),
  /** The rewind's entry in the timeline's recordings, and the plane that shows it ("rewind:<plane>"). */
  replayId: z.number().int().nonnegative().nullable(),
  replayPlane: z.string().nullable(),
  /** Save: the file written. */
  saved: z.string().nullable(),
});
export type RewindResult = z.infer<typeof RewindResultSchema>;
