import { describe, expect, it } from 'vitest';
import type { RecordingStatus } from '@shared';
import { recordablePlanes, recordIndicator, recordingFileLine } from '../../../../renderer/src/panels/Timeline/record-logic.js';

const base: RecordingStatus = { id: 1, path: '/r/a.mcap', planes: ['plane-1'], elapsedMs: 83_400, bytes: 4.2 * 1024 * 1024, messages: 900, messagesDropped: 0, bytesDropped: 0, error: null, stoppedAt: null };

describe('record controls', () => {
  it('the indicator shows elapsed time, size and what is recorded', () => {
    const text = recordIndicator(base);
    expect(text).toMatch(/^REC 1:23\.4 · /);
    expect(text).toContain('plane-1');
    expect(text).toMatch(/4\.2\s*MiB/);
    expect(recordIndicator({ ...base, planes: ['a', 'b', 'c'] })).toContain('3 planes');
  });
  it('says what the disk could not keep up with, and an error', () => {
    expect(recordIndicator({ ...base, messagesDropped: 12 })).toContain('12 messages not written');
    expect(recordIndicator({ ...base, error: 'ENOSPC' })).toContain('error: ENOSPC');
    expect(recordIndicator(base)).not.toContain('not written');
  });
  it('says when a recording stopped at its size or duration cap, naming the limit', () => {
    expect(recordIndicator({ ...base, stoppedAt: 'RECORDING_MAX_BYTES' })).toMatch(/stopped at the size cap \(4(\.0+)?\s*GiB, RECORDING_MAX_BYTES\)/);
    expect(recordIndicator({ ...base, stoppedAt: 'RECORDING_MAX_DURATION_MS' })).toContain('stopped at the duration cap (24 h, RECORDING_MAX_DURATION_MS)');
    expect(recordIndicator(base)).not.toContain('stopped');
  });
  it('replayed planes are not offered for recording', () => {
    expect(recordablePlanes([{ plane: 'plane-1' }, { plane: 'rec:site-a', replay: true }, { plane: 'p2', replay: false }]).map((p) => p.plane)).toEqual(['plane-1', 'p2']);
  });
  it('a file of the recordings folder shows its size and time (the date only when not today), and whether it is being written', () => {
    const at = new Date(2026, 11, 1, 9, 30, 5).getTime();
    const file = { name: 'a.mcap', bytes: 3 * 1024 * 1024, modifiedMs: at, recording: false };
    const today = recordingFileLine(file, at + 60_000);
    expect(today).toMatch(/^3(\.0)?\s*MiB · /);
    // 24-hour, never "9:30:05 AM".
    expect(today).toMatch(/ · 09:30:05$/);
    expect(today).not.toMatch(/AM|PM|2026/);
    const later = recordingFileLine(file, at + 3 * 86_400_000);
    expect(later).toMatch(/2026/);
    expect(later).toMatch(/09:30:05/);
    expect(recordingFileLine({ ...file, recording: true }, at)).toMatch(/ · recording now$/);
  });
});
