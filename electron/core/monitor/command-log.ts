// The commands sent to one plane (from any view), each with its response:
// what the Commands panel and the inspector show. Bounded by entries and
// bytes (a fetch_logs answer can be large): the oldest settled ones go first;
// when every kept one is pending, the oldest pending goes (its answer is then
// not kept). Every eviction counted.

import { type CommandEntry, commandName, type CommandRequest, type CommandResult, commandTarget, type StructureCount } from '../../../shared/index.js';

export interface CommandLogOptions {
  maxCommands: number;
  maxBytes: number;
}

export class CommandLog {
  private readonly byId = new Map<number, { entry: CommandEntry; bytes: number }>();
  private nextId = 1;
  private heldBytes = 0;
  lastRev = 0;
  evicted = 0;

  constructor(
    readonly plane: string,
    private readonly nextRev: () => number,
    private readonly opts: CommandLogOptions,
  ) {}

  /** Logs a command as sent; returns its id. */
  sent(request: CommandRequest, now: number): number {
    const id = this.nextId++;
    const entry: CommandEntry = { id, plane: this.plane, name: commandName(request), request, sentAt: now, result: null, rev: 0 };
    const target = commandTarget(request);
    if (target !== undefined) entry.target = target;
    const e = { entry, bytes: 0 };
    this.byId.set(id, e);
    this.touched(e);
    this.evict();
    return id;
  }

  /** Its result; false when the command is no longer kept or already settled. */
  settled(id: number, result: CommandResult, now: number): boolean {
    const e = this.byId.get(id);
    if (!e || e.entry.result) return false;
    e.entry.result = result;
    e.entry.settledAt = now;
    this.touched(e);
    this.evict();
    return true;
  }

  /** Newest first. */
  list(): CommandEntry[] {
    return [...this.byId.values()].map((e) => e.entry).reverse();
  }

  since(rev: number): CommandEntry[] {
    if (this.lastRev <= rev) return [];
    const out: CommandEntry[] = [];
    for (const e of this.byId.values()) if (e.entry.rev > rev) out.push(e.entry);
    return out;
  }

  counts(): StructureCount {
    return { entries: this.byId.size, bytes: this.heldBytes, evicted: this.evicted, maxEntries: this.opts.maxCommands, maxBytes: this.opts.maxBytes };
  }

  private touched(e: { entry: CommandEntry; bytes: number }): void {
    e.entry.rev = this.lastRev = this.nextRev();
    this.heldBytes -= e.bytes;
    e.bytes = JSON.stringify(e.entry).length;
    this.heldBytes += e.bytes;
  }

  private evict(): void {
    while (this.byId.size > 1 && (this.byId.size > this.opts.maxCommands || this.heldBytes > this.opts.maxBytes)) {
      let victim: number | undefined;
      for (const [id, e] of this.byId) {
        if (e.entry.result) {
          victim = id;
          break;
        }
      }
      victim ??= this.byId.keys().next().value!;
      this.heldBytes -= this.byId.get(victim)!.bytes;
      this.byId.delete(victim);
      this.evicted++;
    }
  }
}
