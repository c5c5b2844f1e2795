// The hosts' recorder: what the console's record buttons start and stop over
// the contract (`record`, `recordings`). Each recording is one MCAP file of
// some or all live planes (recording/session.ts), in the recordings folder.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SwarmCore } from '../app/core.js';
import type { RecordRequest, RecordingStatus } from '../ipc/contract.js';
import { MAX_ACTIVE_RECORDINGS } from '../limits.js';
import { defaultConfigDir } from '../profiles/paths.js';
import { recordCore, type CoreRecording } from './session.js';

export const RECORDINGS_DIR_ENV = 'SWARMDECK_RECORDINGS_DIR';

/** SWARMDECK_RECORDINGS_DIR, else `recordings/` in the app's config directory. */
export function defaultRecordingsDir(env: NodeJS.ProcessEnv = process.env): string {
  const d = env[RECORDINGS_DIR_ENV];
  return d && d.trim() ? d : join(defaultConfigDir(env), 'recordings');
}

/** A file name that sorts by start time and never collides within a run. */
function fileName(now: Date, n: number): string {
  return `swarmdeck-${now.toISOString().replace(/[:.]/g, '-')}-${n}.mcap`;
}

export class RecordingService {
  private readonly active = new Map<number, CoreRecording>();
  private nextId = 1;

  constructor(
    private readonly core: SwarmCore,
    readonly dir: string = defaultRecordingsDir(),
  ) {}

  list(): RecordingStatus[] {
    return [...this.active].map(([id, r]) => status(id, r));
  }

  /** Start (some or all live planes) or stop one recording; stop of an unknown id is null. */
  async act(req: RecordRequest): Promise<RecordingStatus | null> {
    if (req.action === 'stop') {
      const r = this.active.get(req.id);
      if (!r) return null;
      this.active.delete(req.id);
      await r.stop();
      return status(req.id, r);
    }
    if (this.active.size >= MAX_ACTIVE_RECORDINGS) throw new Error(`${MAX_ACTIVE_RECORDINGS} recordings are already running: stop one first`);
    await mkdir(this.dir, { recursive: true });
    const id = this.nextId++;
    const r = await recordCore(this.core, join(this.dir, fileName(new Date(), id)), req.planes);
    this.active.set(id, r);
    return status(id, r);
  }

  /** Finishes every file (the host is stopping). */
  async stop(): Promise<void> {
    const all = [...this.active.values()];
    this.active.clear();
    await Promise.all(all.map((r) => r.stop()));
  }
}

function status(id: number, r: CoreRecording): RecordingStatus {
  const s = r.stats();
  return { id, path: r.path, planes: [...r.planes], elapsedMs: s.elapsedMs, bytes: s.bytes, messages: s.messages, messagesDropped: s.messagesDropped, bytesDropped: s.bytesDropped, error: s.error };
}
