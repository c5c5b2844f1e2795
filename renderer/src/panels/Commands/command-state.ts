// A logged command's state as the list shows it (pure: tested); `error` (the
// plane answered with an error) is shown as failed with its code.

import type { CommandEntry } from '@shared';

export type CommandState = 'sent' | 'waiting' | 'success' | 'failed' | 'timeout' | 'refused';

/** A pending command becomes "waiting" once it has had no answer for this long. */
export const WAITING_AFTER_MS = 1000;

export function commandState(c: Pick<CommandEntry, 'result' | 'sentAt'>, now: number): CommandState {
  if (!c.result) return now - c.sentAt >= WAITING_AFTER_MS ? 'waiting' : 'sent';
  switch (c.result.status) {
    case 'success':
      return 'success';
    case 'failed':
    case 'error':
      return 'failed';
    case 'timeout':
      return 'timeout';
    case 'refused':
      return 'refused';
  }
}
