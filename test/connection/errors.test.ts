// Error codes: the seed's recoverable table, and the suggested action.

import { describe, expect, it } from 'vitest';
import { isRecoverable, suggestedAction } from '../../electron/core/connection/errors.js';

describe('errors', () => {
  it("follows the seed's recoverable table unless the server says, and suggests an action", () => {
    expect(isRecoverable('INTERNAL_ERROR')).toBe(false);
    expect(isRecoverable('AUTH_FAILED')).toBe(true);
    expect(isRecoverable('INVALID_COMMAND')).toBe(true);
    expect(isRecoverable('AGENT_NOT_FOUND', false)).toBe(false);
    expect(suggestedAction('AGENT_NOT_FOUND')).toBe('verify_agent_id');
    expect(suggestedAction('AGENT_NOT_FOUND', 'ask_bob')).toBe('ask_bob');
  });
});
