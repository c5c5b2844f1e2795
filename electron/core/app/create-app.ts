// The one assembly of the app, for both hosts: the core with the planes the
// command line (or the auto-connect profiles) names, its services (profile
// manager, recorder, replays, simulators) and the contract's handlers. The
// Electron main process and browser mode (web.ts) add only a transport and
// windows, so the two hosts cannot drift.

import type { AppInfo, WindowResult } from '../../../shared/index.js';
import type { PlaneConfig } from '../connection/index.js';
import { type ConsentPort, describeLoadReport, ProfileService, type ProfileStore, startupProfiles } from '../profiles/index.js';
import { defaultRecordingsDir, FlightRecorder, openRecording, openRecordings, RecordingService, type Replay, RewindService } from '../recording/index.js';
import { defaultCacheDir } from '../profiles/index.js';
import type { Simulator } from '../sim/index.js';
import { SwarmCore } from './core.js';
import { type ContractServer, serveContract } from './serve-contract.js';
import { launchPlanes, type StartupOptions } from './startup.js';

export interface AppOptions {
  /** The host serving the contract (the page's hello says which). */
  host: AppInfo['host'];
  /** The command line, and its options parsed (parseStartupArgs): planes, simulators, --open recordings. */
  argv: readonly string[];
  options: StartupOptions;
  /**
   * Opens the host's profile store (Electron: electron-store and safeStorage;
   * browser mode: the config directory and the OS keychain, as the CLI). One
   * that cannot be opened costs the profile manager and auto-connect, not the console.
   */
  openProfileStore: () => Promise<ProfileStore>;
  /** The desktop shell's windows (New Window, a window of some planes); browser mode has none. */
  windows?: { open(planes: readonly string[] | null): WindowResult };
  /**
   * The trusted side's yes for a page's profile change that runs a program or
   * moves a saved token to another origin (profiles/consent.ts). Electron asks
   * with a native dialog; without one (browser mode) such changes are refused.
   */
  consent?: ConsentPort;
  /** Start-up lines for the operator. */
  log: (line: string) => void;
}

export interface App {
  readonly core: SwarmCore;
  /** The channel table's handlers: the host hands each page message here with the page's view. */
  readonly contract: ContractServer;
  /** The planes connected at launch. */
  readonly planes: readonly PlaneConfig[];
  /** The embedded simulators started (the host's start-up line names them). */
  readonly simulators: readonly Simulator[];
  /** Opens a recording for replay beside the live planes (the desktop menu's Open Recording). */
  openRecording(path: string): Promise<void>;
  /** Connects saved profiles by name that are not open yet (a second desktop launch's --profile). */
  connectProfiles(names: readonly string[]): Promise<void>;
  /** Finishes recordings, closes replays and planes, stops the simulators. */
  stop(): Promise<void>;
}

export async function createApp(o: AppOptions): Promise<App> {
  let store: ProfileStore | null = null;
  try {
    store = await o.openProfileStore();
    for (const line of describeLoadReport(store.report, store.path)) o.log(`profiles: ${line}`);
  } catch (e) {
    o.log(`profiles unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
  // --profile / --url planes; with no plane flag, the auto-connect profiles (first launch: the "Local simulator"); else the embedded simulator.
  const { planes, simulators, autoConnected } = await launchPlanes(o.argv, o.options, store, (line) => o.log(`profiles: ${line}`));
  if (autoConnected.length > 0) o.log(`profiles: auto-connect ${autoConnected.map((n) => `"${n}"`).join(', ')}`);
  const core = new SwarmCore(planes);
  core.start();
  const replays: Replay[] = await openRecordings(core, o.options.open, o.log);
  const profiles = store ? new ProfileService(store, core, process.env, o.consent) : undefined;
  const recordings = new RecordingService(core);
  // The flight recorder: every live plane, always (--rewind, --rewind-bytes; SWARMDECK_CACHE_DIR).
  const flight = new FlightRecorder(core, { dir: defaultCacheDir(), windowMs: o.options.rewindMs, maxBytes: o.options.rewindBytes });
  flight.start();
  const rewind = new RewindService(core, flight, defaultRecordingsDir());
  core.refuseCommandsWhen((plane) => rewind.commandRefusal(plane));
  const contract = serveContract(core, o.host, { recordings, rewind, ...(profiles ? { profiles } : {}), ...(o.windows ? { windows: o.windows } : {}) });
  const sims = [...simulators];
  return {
    core,
    contract,
    planes,
    simulators: sims,
    async openRecording(path) {
      replays.push((await openRecording(core, path, o.log)).replay);
    },
    async connectProfiles(names) {
      if (!store || names.length === 0) return;
      const started = await startupProfiles(names, { store, seedBase: sims.length + 1, onError: (name, e) => o.log(`profile "${name}" not connected: ${e.message}`) });
      sims.push(...started.simulators);
      for (const p of started.planes) if (!core.plane(p.id)) core.addPlane(p);
    },
    async stop() {
      await recordings.stop();
      await rewind.stop();
      await flight.stop();
      await Promise.all(replays.map((r) => r.close()));
      core.stop();
      await Promise.all([...sims.map((s) => s.stop()), profiles?.stop()]);
    },
  };
}
