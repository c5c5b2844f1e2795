import { describe, expect, it } from 'vitest';
import type { RecordingStatus } from '../../../../electron/core/ipc/contract.js';
import { recordablePlanes, recordIndicator } from './record-logic.js';

const base: RecordingStatus = { id: 1, path: '/r/a.mcap', planes: ['plane-1'], elapsedMs: 83_400, bytes: 4.2 * 1024 * 1024, messages: 900, messagesDropped: 0, bytesDropped: 0, error: null };

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
  it('replayed planes are not offered for recording', () => {
    expect(recordablePlanes([{ plane: 'plane-1' }, { plane: 'rec:site-a' }, { plane: 'p2' }]).map((p) => p.plane)).toEqual(['plane-1', 'p2']);
  });
});
