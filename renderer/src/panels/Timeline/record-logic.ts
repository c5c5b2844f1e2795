// What the record controls show: the indicator line of a running recording,
// and which planes can be recorded (live ones; a replayed plane is already a file).

import { RECORDING_MAX_BYTES, RECORDING_MAX_DURATION_MS, type RecordingFiles, type RecordingStatus } from '@shared';
import { bytes } from '../../ui/format.js';
import { when } from '../../ui/time.js';
import { formatClock } from './timeline-logic.js';

/** What a recording that stopped at a limit says. */
const STOPPED_AT: Record<NonNullable<RecordingStatus['stoppedAt']>, string> = {
  RECORDING_MAX_BYTES: `stopped at the size cap (${bytes(RECORDING_MAX_BYTES)}, RECORDING_MAX_BYTES)`,
  RECORDING_MAX_DURATION_MS: `stopped at the duration cap (${RECORDING_MAX_DURATION_MS / 3_600_000} h, RECORDING_MAX_DURATION_MS)`,
};

/** "REC 1:23.4 · 4.2 MiB · 3 planes", what the disk could not keep up with, if anything, and the cap it stopped at. */
export function recordIndicator(r: RecordingStatus): string {
  const parts = [`REC ${formatClock(r.elapsedMs)}`, bytes(r.bytes), r.planes.length === 1 ? r.planes[0]! : `${r.planes.length} planes`];
  if (r.stoppedAt) parts.push(STOPPED_AT[r.stoppedAt]);
  if (r.messagesDropped > 0) parts.push(`${r.messagesDropped} messages not written (disk behind)`);
  if (r.error) parts.push(`error: ${r.error}`);
  return parts.join(' · ');
}

/** Replayed planes are not offered: recording them again would copy a file into a file. */
export function recordablePlanes<P extends { replay?: boolean }>(planes: readonly P[]): P[] {
  return planes.filter((p) => !p.replay);
}

/** A file of the recordings folder as its row says it: "4.2 MiB · 12:03:04", and "recording now" for one being written. */
export function recordingFileLine(f: RecordingFiles['files'][number], now: number = Date.now()): string {
  return [bytes(f.bytes), when(f.modifiedMs, now), ...(f.recording ? ['recording now'] : [])].join(' · ');
}
