// The hosts' recorder: what the console's record buttons start and stop over
// the contract (`record`, `recordings`). Each recording is one MCAP file of
// some or all live planes (recording/session.ts), in the recordings folder.
// The Timeline lists that folder (`recordingFiles`) and opens a file of it for
// replay by name (`openRecording`): a page names a file, never a path.

import { lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MAX_ACTIVE_RECORDINGS,
  MAX_RECORDING_FILES,
  type RecordingFileRef,
  RecordingFileRefSchema,
  type RecordingFiles,
  type RecordingStatus,
  type RecordRequest,
  type ReplayEntry,
} from '../../../shared/index.js';
import { defaultConfigDir } from '../profiles/index.js';
import { openRecording } from './open.js';
import type { RecordingCore } from './ports.js';
import type { RecorderOptions } from './recorder.js';
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
    private readonly core: RecordingCore,
    readonly dir: string = defaultRecordingsDir(),
    /** Recorder options (tests give smaller caps). */
    private readonly recorderOptions: RecorderOptions = {},
  ) {}

  list(): RecordingStatus[] {
    return [...this.active].map(([id, r]) => status(id, r));
  }

  /** Start (some or all live planes) or stop one recording; stop of an unknown id is null. One stopped at its cap stays listed (saying so) until stopped here. */
  async act(req: RecordRequest): Promise<RecordingStatus | null> {
    if (req.action === 'stop') {
      const r = this.active.get(req.id);
      if (!r) return null;
      this.active.delete(req.id);
      await r.stop();
      return status(req.id, r);
    }
    if (this.active.size >= MAX_ACTIVE_RECORDINGS) throw new Error(`${MAX_ACTIVE_RECORDINGS} recordings are already running: stop one first`);
    // The folder it makes is its owner's only (0700), as are the files (0600, fileSink): they hold what planes sent.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const id = this.nextId++;
    const r = await recordCore(this.core, join(this.dir, fileName(new Date(), id)), req.planes, this.recorderOptions);
    this.active.set(id, r);
    return status(id, r);
  }

  /** The .mcap files of the recordings folder, newest first; the ones being written now are marked. */
  async files(): Promise<RecordingFiles> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => RecordingFileRefSchema.safeParse({ name: n }).success);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { dir: this.dir, files: [], more: 0, problem: code === 'ENOENT' ? 'nothing recorded yet (the folder is made by the first recording)' : `the folder cannot be read: ${e instanceof Error ? e.message : String(e)}` };
    }
    const writing = new Set([...this.active.values()].map((r) => r.path));
    const files: RecordingFiles['files'] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      // Plain files only: a link could name a file outside the folder.
      const st = await lstat(path).catch(() => null);
      if (st?.isFile()) files.push({ name, bytes: st.size, modifiedMs: st.mtimeMs, recording: writing.has(path) });
    }
    files.sort((a, b) => b.modifiedMs - a.modifiedMs || (a.name < b.name ? -1 : 1));
    return { dir: this.dir, files: files.slice(0, MAX_RECORDING_FILES), more: Math.max(0, files.length - MAX_RECORDING_FILES), problem: null };
  }

  /** Opens a file of the recordings folder for replay; one being written plays up to its last complete chunk. */
  async open(ref: RecordingFileRef): Promise<ReplayEntry> {
    const { name } = RecordingFileRefSchema.parse(ref);
    const path = join(this.dir, name);
    const st = await lstat(path).catch(() => null);
    if (!st?.isFile()) throw new Error(`no recording "${name}" in ${this.dir}`);
    const { id, state } = await openRecording(this.core, path, () => undefined);
    return { id, state };
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
  return { id, path: r.path, planes: [...r.planes], elapsedMs: s.elapsedMs, bytes: s.bytes, messages: s.messages, messagesDropped: s.messagesDropped, bytesDropped: s.bytesDropped, error: s.error, stoppedAt: s.stoppedAt };
}
