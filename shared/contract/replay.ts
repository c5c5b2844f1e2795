// The timeline's requests: the open recordings and their playback, synced
// timelines (several recordings on one clock) and each one's agents per state.

import { z } from 'zod';
import { MAX_OPEN_REPLAYS, REPLAY_MAX_CHANNELS, REPLAY_MAX_MARKERS, REPLAY_MAX_OFFSET_MS, REPLAY_MAX_SERIES_POINTS, REPLAY_MAX_SPEED, REPLAY_MIN_SPEED } from '../limits.js';
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

// ------------------------------------------------------------ synced timelines

/** How a synced group lines its recordings up: each one's start at 0 (start), as recorded on the clock (time), or by offsets chosen per recording (offset). */
export const REPLAY_ALIGNS = ['start', 'time', 'offset'] as const;
export type ReplayAlign = (typeof REPLAY_ALIGNS)[number];
/** Two or more open recordings on one timeline: one clock, one scrubber, play/pause/speed for all. Timeline time is ms from the group's 0. */
export const ReplayGroupStateSchema = z.object({
  align: z.enum(REPLAY_ALIGNS),
  playing: z.boolean(),
  speed: z.number().positive(),
  /** Timeline time shown, ms from 0. */
  positionMs: z.number(),
  /** The timeline's length, ms: the latest end of a recording on it. */
  endMs: z.number().nonnegative(),
  /** Each recording: where its start sits on the timeline (offsetMs >= 0), and its own state (positionMs in its recording time). */
  members: z.array(z.object({ id: ReplayRefSchema.shape.id, offsetMs: z.number(), state: ReplayStateSchema })).max(MAX_OPEN_REPLAYS),
});
export type ReplayGroupState = z.infer<typeof ReplayGroupStateSchema>;
const offsetValue = z.number().finite().min(-REPLAY_MAX_OFFSET_MS).max(REPLAY_MAX_OFFSET_MS);
/** The synced timeline's requests: state (null when none), sync some recordings, align, one recording's offset, play/pause/speed/seek for all, unsync. */
export const ReplayGroupActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['state', 'play', 'pause', 'unsync']) }),
  z.object({ action: z.literal('sync'), ids: z.array(ReplayRefSchema.shape.id).min(2).max(MAX_OPEN_REPLAYS), align: z.enum(['start', 'time']).optional() }),
  z.object({ action: z.literal('align'), align: z.enum(['start', 'time']) }),
  z.object({ action: z.literal('offset'), id: ReplayRefSchema.shape.id, value: offsetValue }),
  z.object({ action: z.literal('speed'), value: z.number().min(REPLAY_MIN_SPEED).max(REPLAY_MAX_SPEED) }),
  z.object({ action: z.literal('seek'), value: z.number().finite() }),
]);
export type ReplayGroupAction = z.infer<typeof ReplayGroupActionSchema>;

/** Agents per state over a recording, one point per snapshot read (REPLAY_MAX_SERIES_POINTS), per replay plane. */
export const ReplaySeriesSchema = z.object({
  planes: z
    .array(
      z.object({
        /** The replay plane's id (rec:…). */
        plane: z.string(),
        /** Recording time of each point, ms since the epoch, ascending. */
        t: z.array(z.number()).max(REPLAY_MAX_SERIES_POINTS),
        /** Per state name, the agent count at each point (same length as t). */
        states: z.record(z.string(), z.array(z.number().int().nonnegative()).max(REPLAY_MAX_SERIES_POINTS)),
      }),
    )
    .max(REPLAY_MAX_CHANNELS),
});
export type ReplaySeries = z.infer<typeof ReplaySeriesSchema>;

/** Opens a replayed plane's moment (an alert's firedAt, as this console's clock stamped it): its recording is sought (with its synced group) to `beforeMs` before it, and paused. */
export const ReplayMomentSchema = z.object({
  plane: z.string().min(1).max(200),
  /** ms since the epoch, this console's clock (Alert.firedAt). */
  at: z.number().finite(),
  beforeMs: z.number().min(0).max(3_600_000).optional(),
});
export type ReplayMoment = z.infer<typeof ReplayMomentSchema>;
/** The recording sought, and the recording time it is at now (null: no open recording has that plane, or the moment is before it opened). */
export const ReplayMomentResultSchema = z.object({ id: ReplayRefSchema.shape.id, positionMs: z.number(), momentMs: z.number() }).nullable();
export type ReplayMomentResult = z.infer<typeof ReplayMomentResultSchema>;
