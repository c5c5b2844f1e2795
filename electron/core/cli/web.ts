// `swarmdeck web` (what `npm run start:web` runs): browser mode, the second
// host beside electron/main.ts. The app (app/'s createApp) served to pages on
// 127.0.0.1 with the built renderer: the transport is host/'s WebHost, one
// WebSocket per tab, and there are no windows of its own. Prints the URL;
// runs until a signal.

import { fileURLToPath } from 'node:url';
import { WebHost } from '../host/index.js';
import { openDefaultProfileStore } from '../profiles/index.js';
import { createApp, parseStartupArgs } from '../app/index.js';

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
  else if (planes.length > 0) log(`connected to ${planes.map((p) => p.url).join(', ')}`);
  return {
    url: host.openUrl,
    async stop() {
      await host.stop();
      await app.stop();
    },
  };
}
