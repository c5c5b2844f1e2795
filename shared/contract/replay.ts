// The timeline's requests: the open recordings and their playback.

import { z } from 'zod';
import { REPLAY_MAX_MARKERS, REPLAY_MAX_SPEED, REPLAY_MIN_SPEED } from '../limits.js';
import { ReplayStateSchema, TimelineMarkerSchema } from '../model.js';

/** An open recording, by the id the core gave it when it was opened. */
export const ReplayRefSchema = z.object({ id: z.number().int().nonnegative().max(1_000_000) });
export type ReplayRef = z.infer<typeof ReplayRefSchema>;
export const ReplayEntrySchema = z.object({ id: z.number().int().nonnegative(), state: ReplayStateSchema });
export type ReplayEntry = z.infer<typeof ReplayEntrySchema>;
/** One timeline control: `value` is the speed (speed) or the recording time in ms (seek). */
export const ReplayActionSchema = z.discriminatedUnion('action', [
  z.object({ id: ReplayRefSchema.shape.id, action: z.enum(['play', 'pause', 'step', 'close']) }),
  z.object({ id: ReplayRefSchema.shape.id, action: z.literal('speed'), value: z.number().min(REPLAY_MIN_SPEED).max(REPLAY_MAX_SPEED) }),
  z.object({ id: ReplayRefSchema.shape.id, action: z.literal('seek'), value: z.number().finite() }),
]);
export type ReplayAction = z.infer<typeof ReplayActionSchema>;
export const ReplayMarkersSchema = z.object({ markers: z.array(TimelineMarkerSchema).max(REPLAY_MAX_MARKERS), dropped: z.number().int().nonnegative() });
export type ReplayMarkers = z.infer<typeof ReplayMarkersSchema>;
