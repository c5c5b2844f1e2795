// Browser mode's host (WebHost, the real one) over a renderer folder given
// on the command line, with the embedded simulator: for attacks on static
// files that need a large file the built renderer may not have.
// Usage: static-host.child.ts DIR [--dev]. Prints the page URL.

import { SwarmCore } from '../../electron/core/app/core.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { WebHost } from '../../electron/core/host/web-host.js';
import { installLastResort } from '../../electron/core/host/last-resort.js';

const [dir, flag] = process.argv.slice(2);
installLastResort('static-host');
const core = new SwarmCore([]);
core.start();
const host = new WebHost({ core, contract: serveContract(core, 'web'), rendererDir: dir!, dev: flag === '--dev' });
await host.start();
console.log(`swarmdeck (browser mode): ${host.openUrl}`);
process.once('SIGTERM', () => void host.stop().then(() => process.exit(0)));
