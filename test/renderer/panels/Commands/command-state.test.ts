// A logged command's state as the list shows it (panels/Commands/command-state.ts).
import { describe, expect, it } from 'vitest';
import { commandState, WAITING_AFTER_MS } from '../../../../renderer/src/panels/Commands/command-state.js';

describe('command state', () => {
  it('sent, then waiting without an answer, then the result; error shows as failed', () => {
    const c = { sentAt: 0, result: null };
    expect(commandState(c, 10)).toBe('sent');
    expect(commandState(c, WAITING_AFTER_MS)).toBe('waiting');
    expect(commandState({ sentAt: 0, result: { status: 'timeout', plane: 'p', command: 'restart', requestId: 'r', timeoutMs: 5, sent: true } }, 6)).toBe('timeout');
    expect(commandState({ sentAt: 0, result: { status: 'error', plane: 'p', command: 'x', requestId: 'r', code: 'E', message: 'm', recoverable: true, suggestedAction: 'a' } }, 6)).toBe('failed');
    expect(commandState({ sentAt: 0, result: { status: 'refused', plane: 'p', command: 'x', code: 'E', message: 'm' } }, 6)).toBe('refused');
  });
});
