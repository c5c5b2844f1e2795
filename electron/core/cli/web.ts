// `swarmdeck web` (what `npm run start:web` runs): browser mode, the second
// host beside electron/main.ts. The app (app/'s createApp) served to pages on
// 127.0.0.1 with the built renderer: the transport is host/'s WebHost, one
// WebSocket per tab, and there are no windows of its own. Prints the URL;
// runs until a signal.

import { fileURLToPath } from 'node:url';
import { WebHost } from '../host/index.js';
import { openDefaultProfileStore } from '../profiles/index.js';
import { createApp, parseStartupArgs, type SwarmCore } from '../app/index.js';
import type { PlaneConfig } from '../connection/index.js';
import { neutraliseText } from '../../../shared/index.js';

const RENDERER_DIR = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));

export interface RunningWeb {
  url: string;
  stop(): Promise<void>;
}

export async function startWeb(argv: string[], log: (line: string) => void = console.log): Promise<RunningWeb> {
  const o = parseStartupArgs(argv);
  // The profile store: SWARMDECK_CONFIG_DIR (else the platform's config directory) and the OS keychain, as the CLI.
  const app = await createApp({ host: 'web', argv, options: o, openProfileStore: () => openDefaultProfileStore(), log });
  const host = new WebHost({ core: app.core, contract: app.contract, rendererDir: RENDERER_DIR, port: o.port, host: o.host, dev: o.dev });
  await host.start();
  log(`swarmdeck (browser mode): ${host.openUrl}`);
  const { simulators, planes } = app;
  if (simulators.length === 1) log(`connected to embedded simulator ${simulators[0]!.url} (${simulators[0]!.world.count} agents)`);
  else if (simulators.length > 1) log(`connected to ${simulators.length} embedded simulators (${simulators.map((s) => s.world.count).join(' + ')} agents)`);
  else if (planes.length > 0) {
    // Each plane's own outcome, when it comes: a refused token or a failure is never printed as "connected".
    log(`connecting to ${planes.map((p) => p.url).join(', ')}`);
    reportOutcomes(app.core, planes, log);
  }
  return {
    url: host.openUrl,
    async stop() {
      await host.stop();
      await app.stop();
    },
  };
}

/**
 * One line per --url plane when it first reaches an outcome: "connected to URL"
 * when LIVE; "URL: not connected: REASON" when the server refused the token
 * (AUTH_REQUIRED) or the connection failed. After its first LIVE a plane's
 * later changes are the console's (and `tail`'s), not start-up lines.
 */
function reportOutcomes(core: SwarmCore, planes: readonly PlaneConfig[], log: (line: string) => void): void {
  const pending = new Map(planes.map((p) => [p.id, p]));
  const last = new Map<string, string>();
  const off = core.onEvent((ev) => {
    const p = pending.get(ev.plane);
    if (!p || ev.type !== 'client.connection') return;
    const state = ev.payload.state;
    if (state === 'LIVE') {
      pending.delete(p.id);
      log(`connected to ${p.url}`);
      if (pending.size === 0) off();
    } else if ((state === 'AUTH_REQUIRED' || state === 'FAILED') && last.get(p.id) !== state) {
      last.set(p.id, state);
      const reason = typeof ev.payload.reason === 'string' ? neutraliseText(ev.payload.reason) : String(state);
      log(`${p.url}: not connected (${state}): ${reason}`);
    }
  });
}
