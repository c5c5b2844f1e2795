// The record buttons' requests and the recordings folder.

import { z } from 'zod';
import { MAX_RECORDING_FILES } from '../limits.js';

/** Start recording (`planes` omitted: every live plane) or stop recording `id`. */
export const RecordRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), planes: z.array(z.string().min(1).max(200)).min(1).max(64).optional() }),
  z.object({ action: z.literal('stop'), id: z.number().int().nonnegative().max(1_000_000) }),
]);
export type RecordRequest = z.infer<typeof RecordRequestSchema>;
/** The limits a recording stops at by itself (limits.ts). */
export const RECORDING_STOP_LIMITS = ['RECORDING_MAX_BYTES', 'RECORDING_MAX_DURATION_MS'] as const;
export type RecordingStopLimit = (typeof RECORDING_STOP_LIMITS)[number];
/** One running (or just stopped) recording: what the record indicator shows. */
export const RecordingStatusSchema = z.object({
  id: z.number().int().nonnegative(),
  path: z.string(),
  planes: z.array(z.string()),
  elapsedMs: z.number().nonnegative(),
  /** Bytes of the file so far (written or queued). */
  bytes: z.number().nonnegative(),
  messages: z.number().nonnegative(),
  /** Not written because the disk could not keep up (the live view never waits). */
  messagesDropped: z.number().nonnegative(),
  bytesDropped: z.number().nonnegative(),
  error: z.string().nullable(),
  /** The limit it stopped at by itself (the file is finished); null while it runs or when stopped by hand. */
  stoppedAt: z.enum(RECORDING_STOP_LIMITS).nullable(),
});
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;

/** A file of the recordings folder by name: a plain file name ending in .mcap, never a path. */
export const RecordingFileRefSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\\u0000]+\.mcap$/i, 'a file name ending in .mcap, without a folder')
    // ".." cannot end in .mcap; a leading dot is a hidden file.
    .refine((n) => !n.startsWith('.'), 'not a hidden file'),
});
export type RecordingFileRef = z.infer<typeof RecordingFileRefSchema>;
export const RecordingFilesSchema = z.object({
  /** The recordings folder (SWARMDECK_RECORDINGS_DIR, else recordings/ in the config directory). */
  dir: z.string(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().nonnegative(), modifiedMs: z.number(), recording: z.boolean() })).max(MAX_RECORDING_FILES),
  /** Files past MAX_RECORDING_FILES, not listed. */
  more: z.number().int().nonnegative(),
  /** Why the folder could not be read (it may not exist yet); null when it was. */
  problem: z.string().nullable(),
});
export type RecordingFiles = z.infer<typeof RecordingFilesSchema>;
