// `--profile NAME` on every command: start / start:web (startup), tail and
// command (headless), against a simulator that requires the profile's token.
// The token reaches the plane from the store, never from argv.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenArgWarning } from '../../electron/core/args/index.js';
import { parseStartupArgs, resolveStartup } from '../../electron/core/app/startup.js';
import { startWeb } from '../../electron/core/cli/web.js';
import { runCommand, runTail } from '../../electron/core/cli/headless.js';
import { runProbe } from '../../electron/core/cli/probe.js';
import { runRecord } from '../../electron/core/cli/record.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Recording } from '../../electron/core/recording/reader.js';
import { cliProfileConfig } from '../../electron/core/profiles/resolve.js';
import { ProfileStore } from '../../electron/core/profiles/store.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';
import { tempDir } from '../helpers/profiles.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'flag-5c2d8e1b-secret';
const t = tempDir();
let sim: Simulator;

beforeAll(async () => {
  process.env.SWARMDECK_CONFIG_DIR = t.dir;
  delete process.env.SWARMDECK_TOKEN;
  sim = new Simulator({ ...QUIET, token: TOKEN, seed: 3 });
  await sim.start();
  // No secret store in the test process: the recorded plain-text choice keeps the token (and is what a machine without a keychain does).
  const s = await ProfileStore.open({ dir: t.dir, secrets: null });
  await s.allowPlaintext('test');
  await s.add({ name: 'Sim plane', url: sim.url, color: '#90be6d', compression: 'none', protocolVersion: '1.1' }, TOKEN);
  await s.add({ name: 'No token', url: sim.url, color: '#90be6d' });
  await s.add({ name: 'Tiny sim', simulator: { agents: 7, rate: 10 }, color: '#f72585' });
});
afterAll(async () => {
  await sim.stop();
  t.cleanup();
});

describe('--profile NAME', () => {
  it('maps the profile onto the plane config: token from the store, preferred version, compression', async () => {
    const c = await cliProfileConfig('sim plane', {}, ['agents', 'control']);
    expect(c).toMatchObject({ label: 'Sim plane', url: sim.url, token: TOKEN, color: 0x90be6d, compression: false, protocolVersions: ['1.0', '1.1'], endpoints: { graph: false } });
    await expect(cliProfileConfig('Sim plane', { url: 'ws://x:1' }, ['control'])).rejects.toThrow(/--profile or --url, not both/);
    await expect(cliProfileConfig('nope', {}, ['control'])).rejects.toThrow(/no profile "nope"; saved profiles: "Local simulator", "Sim plane", "No token", "Tiny sim"/);
    await expect(cliProfileConfig('Tiny sim', {}, ['control'])).rejects.toThrow(/simulator profile; it runs inside the app/);
  });

  it('tail --profile connects with the stored token', async () => {
    const lines: string[] = [];
    const code = await runTail(['--profile', 'Sim plane', '--for', '1500ms', '--endpoints', 'agents'], (l) => lines.push(l));
    expect(code).toBe(0);
    const states = lines.map((l) => JSON.parse(l) as { type: string; payload: { state?: string } }).filter((e) => e.type === 'client.connection').map((e) => e.payload.state);
    expect(states).toContain('LIVE');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('tail --profile without a token is refused by the plane (exit 4), so the token above really came from the profile', async () => {
    const code = await runTail(['--profile', 'No token', '--for', '8s', '--endpoints', 'agents'], () => undefined);
    expect(code).toBe(4);
  });

  it('command --profile sends through the profile', async () => {
    const lines: string[] = [];
    const code = await runCommand(['--profile', 'Sim plane', '--agent', 'agent-002', '--command', 'restart', '--timeout', '10s'], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 'success', command: 'restart' });
  });

  it('probe --profile probes with the stored token (usable, exit 0); without one the plane refuses (exit 4)', async () => {
    const lines: string[] = [];
    expect(await runProbe(['--profile', 'Sim plane', '--for', '1500ms'], (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/usable \(exit 0\)/);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(await runProbe(['--profile', 'No token', '--for', '5s'], () => undefined)).toBe(4);
    await expect(runProbe(['--profile', 'Sim plane', '--url', 'ws://x:1'], () => undefined)).rejects.toThrow(/--profile or --url, not both/);
  });

  it('record --profile records the profile plane with its stored token, which the file never holds', async () => {
    const out = join(t.dir, 'profile.mcap');
    const lines: string[] = [];
    const code = await runRecord(['--profile', 'Sim plane', '--out', out, '--for', '2s'], (l) => lines.push(l), () => undefined);
    expect(code).toBe(0);
    const rec = await Recording.open(out);
    try {
      expect(rec.meta?.planes.map((p) => p.label)).toEqual(['Sim plane']);
    } finally {
      await rec.close();
    }
    expect(readFileSync(out).includes(Buffer.from(TOKEN))).toBe(false);
    // Refused without a token: so the plane above was let in by the profile's token.
    const refused = join(t.dir, 'refused.mcap');
    await runRecord(['--profile', 'No token', '--out', refused, '--for', '1500ms'], () => undefined, () => undefined);
    const r2 = await Recording.open(refused);
    try {
      expect(r2.meta?.planes.map((p) => p.label)).toEqual(['No token']);
    } finally {
      await r2.close();
    }
  });

  it('start (--profile, repeatable) connects saved planes and starts simulator profiles', async () => {
    const { planes, simulators } = await resolveStartup(parseStartupArgs(['--profile', 'Sim plane', '--profile', 'Tiny sim', '--url', 'ws://other:9']));
    try {
      expect(planes.map((p) => [p.label, p.token])).toEqual([
        ['Sim plane', TOKEN],
        ['Tiny sim', undefined],
        ['other:9', undefined],
      ]);
      expect(simulators).toHaveLength(1);
      expect(simulators[0]!.world.count).toBe(7);
      expect(planes[1]!.url).toBe(simulators[0]!.url);
    } finally {
      await Promise.all(simulators.map((s) => s.stop()));
    }
  });

  it('start:web --profile serves the profile plane', async () => {
    const log: string[] = [];
    const running = await startWeb(['--profile', 'Sim plane', '--port', '0'], (l) => log.push(l));
    try {
      // "connecting to" at once, "connected to" when the plane is LIVE.
      expect(log.join('\n')).toContain(`connecting to ${sim.url}`);
      await waitFor('connected', () => log.join('\n').includes(`connected to ${sim.url}`));
    } finally {
      await running.stop();
    }
  });

  it('start:web with no plane flag connects the auto-connect profiles, as the desktop app does', async () => {
    const log: string[] = [];
    const running = await startWeb(['--port', '0'], (l) => log.push(l));
    try {
      // This store's only auto-connect profile is the first launch's "Local simulator" (a simulator profile).
      expect(log).toContain('profiles: auto-connect "Local simulator"');
      expect(log.join('\n')).toMatch(/connected to embedded simulator ws:\/\/127\.0\.0\.1:\d+ \(200 agents\)/);
    } finally {
      await running.stop();
    }
  });

  it('warns when --token is given on the command line, naming the alternatives and never the token', () => {
    const warning = tokenArgWarning(['--url', 'ws://a:1', '--token', 'visible-in-ps']);
    expect(warning).toMatch(/--token on the command line is readable by every local user.*SWARMDECK_TOKEN.*--profile/);
    expect(warning).not.toContain('visible-in-ps');
    expect(tokenArgWarning(['--url', 'ws://a:1', '--profile', 'Sim plane'])).toBeNull();
  });
});

describe('profile paths and start-up errors', () => {
  it('SWARMDECK_CONFIG_DIR, else the platform config directory of the app', async () => {
    const { defaultConfigDir } = await import('../../electron/core/profiles/paths.js');
    expect(defaultConfigDir({ SWARMDECK_CONFIG_DIR: '/tmp/portable' }, 'linux', '/home/u')).toBe('/tmp/portable');
    expect(defaultConfigDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Swarmdeck');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/Swarmdeck');
    expect(defaultConfigDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Swarmdeck');
    expect(defaultConfigDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/Roaming.Swarmdeck$/);
  });

  it('an unresolvable profile fails start-up, or with onError is reported and skipped', async () => {
    const { startupProfiles } = await import('../../electron/core/profiles/resolve.js');
    await expect(startupProfiles(['Sim plane', 'missing'])).rejects.toThrow(/no profile "missing"/);
    const errors: string[] = [];
    const r = await startupProfiles(['missing', 'Sim plane'], { onError: (name, e) => errors.push(`${name}: ${e.message}`) });
    expect(r.planes.map((p) => p.label)).toEqual(['Sim plane']);
    expect(errors).toEqual([expect.stringMatching(/^missing: no profile "missing"/)]);
  });
});
