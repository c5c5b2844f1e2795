// Every command the operator sent, with its state and result. Bounded: the
// oldest settled entries are evicted beyond the limit (pending ones are kept
// until they settle: each settles by its own timeout at the latest).

import type { CommandRequest, CommandResult } from '@shared';

/** What the list shows; `error` (the plane answered with an error) is shown as failed with its code. */
export type CommandState = 'sent' | 'waiting' | 'success' | 'failed' | 'timeout' | 'refused';

/** A pending command becomes "waiting" once it has had no answer for this long. */
export const WAITING_AFTER_MS = 1000;

export interface SentCommand {
  key: number;
  plane: string;
  request: CommandRequest;
  sentAt: number;
  result: CommandResult | null;
  settledAt?: number;
}

export function commandName(r: CommandRequest): string {
  return r.kind === 'configure' ? 'control.multi-agent.configure' : r.command;
}

/** The agent a command addresses, if any. */
export function commandTarget(r: CommandRequest): string | undefined {
  return r.kind === 'command' ? r.agentId : r.kind === 'execute' ? r.targetAgent : r.multiAgentId;
}

export function commandState(c: SentCommand, now: number): CommandState {
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

export class CommandList {
  private readonly items: SentCommand[] = [];
  private nextKey = 1;
  evicted = 0;
  constructor(readonly capacity: number) {}

  add(plane: string, request: CommandRequest, now: number): SentCommand {
    const c: SentCommand = { key: this.nextKey++, plane, request, sentAt: now, result: null };
    this.items.unshift(c);
    for (let i = this.items.length - 1; this.items.length > this.capacity && i >= 0; i--) {
      if (this.items[i]!.result) {
        this.items.splice(i, 1);
        this.evicted++;
      }
    }
    return c;
  }

  settle(key: number, result: CommandResult, now: number): boolean {
    const c = this.items.find((x) => x.key === key);
    if (!c || c.result) return false;
    c.result = result;
    c.settledAt = now;
    return true;
  }

  /** Newest first. */
  list(): readonly SentCommand[] {
    return this.items;
  }
}
