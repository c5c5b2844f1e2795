// `swarmdeck web` (what `npm run start:web` runs): browser mode. The core,
// with the embedded simulator(s) or the planes named by --url, plus the built
// renderer served on 127.0.0.1. Prints the URL; runs until a signal.

import { fileURLToPath } from 'node:url';
import { SwarmCore } from './core.js';
import { launchPlanes, parseStartupArgs } from './startup.js';
import { WebHost } from '../host/web-host.js';
import { openRecordings } from '../recording/open.js';
import { describeLoadReport } from '../cli/profiles.js';
import { openDefaultProfileStore } from '../profiles/resolve.js';
import { ProfileService } from '../profiles/service.js';
import type { ProfileStore } from '../profiles/store.js';
import { RecordingService } from '../recording/service.js';

const RENDERER_DIR = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));

export interface RunningWeb {
  url: string;
  stop(): Promise<void>;
}

export async function startWeb(argv: string[], log: (line: string) => void = console.log): Promise<RunningWeb> {
  const o = parseStartupArgs(argv);
  // The profile store: SWARMDECK_CONFIG_DIR (else the platform's config directory) and the OS keychain, as the CLI.
  // A store that cannot be opened (an unwritable directory) costs the profile manager and auto-connect, not the console.
  let store: ProfileStore | null = null;
  try {
    store = await openDefaultProfileStore();
    for (const line of describeLoadReport(store.report, store.path)) log(`profiles: ${line}`);
  } catch (e) {
    log(`profiles unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
  // As the desktop app: --profile / --url planes; with no plane flag, the auto-connect profiles; else the embedded simulator.
  const { planes, simulators, autoConnected } = await launchPlanes(argv, o, store, (line) => log(`profiles: ${line}`));
  if (autoConnected.length > 0) log(`profiles: auto-connect ${autoConnected.map((n) => `"${n}"`).join(', ')}`);
  const core = new SwarmCore(planes);
  core.start();
  const replays = await openRecordings(core, o.open, log);
  const profiles = store ? new ProfileService(store, core) : undefined;
  const recordings = new RecordingService(core);
  const host = new WebHost({ core, rendererDir: RENDERER_DIR, port: o.port, host: o.host, recordings, dev: o.dev, ...(profiles ? { profiles } : {}) });
  await host.start();
  const url = host.openUrl;
  log(`swarmdeck (browser mode): ${url}`);
  if (simulators.length === 1) log(`connected to embedded simulator ${simulators[0]!.url} (${simulators[0]!.world.count} agents)`);
  else if (simulators.length > 1) log(`connected to ${simulators.length} embedded simulators (${simulators.map((s) => s.world.count).join(' + ')} agents)`);
  else if (planes.length > 0) log(`connected to ${planes.map((p) => p.url).join(', ')}`);
  return {
    url,
    async stop() {
      await host.stop();
      await recordings.stop();
      await Promise.all(replays.map((r) => r.close()));
      core.stop();
      await Promise.all([...simulators.map((s) => s.stop()), profiles?.stop()]);
    },
  };
}
