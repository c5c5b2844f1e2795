// The commands sent to one plane (from any view), each with its response:
// what the Commands panel and the inspector show. Bounded by entries and
// bytes (a fetch_logs answer can be large): the oldest settled ones go first;
// when every kept one is pending, the oldest pending goes (its answer is then
// not kept). Every eviction counted.

import { type CommandEntry, commandName, type CommandRequest, type CommandResult, commandTarget, type StructureCount } from '../../../shared/index.js';
import { VersionedMap } from './versioned-map.js';

export interface CommandLogOptions {
  maxCommands: number;
  maxBytes: number;
}

export class CommandLog {
  private readonly byId: VersionedMap<number, CommandEntry>;
  private nextId = 1;

  constructor(
    readonly plane: string,
    nextRev: () => number,
    private readonly opts: CommandLogOptions,
  ) {
    this.byId = new VersionedMap(nextRev);
  }

  get lastRev(): number {
    return this.byId.lastRev;
  }

  /** Logs a command as sent; returns its id. */
  sent(request: CommandRequest, now: number): number {
    const id = this.nextId++;
    const entry: CommandEntry = { id, plane: this.plane, name: commandName(request), request, sentAt: now, result: null, rev: 0 };
    const target = commandTarget(request);
    if (target !== undefined) entry.target = target;
    this.byId.set(id, entry);
    this.evict();
    return id;
  }

  /** Its result; false when the command is no longer kept or already settled. */
  settled(id: number, result: CommandResult, now: number): boolean {
    const e = this.byId.get(id);
    if (!e || e.result) return false;
    e.result = result;
    e.settledAt = now;
    this.byId.touched(id);
    this.evict();
    return true;
  }

  /** Newest first. */
  list(): CommandEntry[] {
    return this.byId.values().reverse();
  }

  since(rev: number): CommandEntry[] {
    return this.byId.since(rev);
  }

  counts(): StructureCount {
    return this.byId.counts(this.opts.maxCommands, this.opts.maxBytes);
  }

  private evict(): void {
    while (this.byId.size > 1 && (this.byId.size > this.opts.maxCommands || this.byId.bytes > this.opts.maxBytes)) {
      let victim: number | undefined;
      let oldest: number | undefined;
      for (const [id, e] of this.byId.entries()) {
        oldest ??= id;
        if (e.result) {
          victim = id;
          break;
        }
      }
      this.byId.evict(victim ?? oldest!);
    }
  }
}
