// The profile manager's side in the core: what the contract's profiles,
// profile, profileConnect and profileTest requests do with the host's
// ProfileStore and the running SwarmCore. Connecting a profile resolves it
// (token from its secret store) to a plane of the core; a simulator profile
// starts its embedded simulator, which this service owns and stops.
// Nothing it returns holds a token: profiles carry only where theirs is kept.

import { probePlane, probeTable } from '../probe/index.js';
import type { z } from 'zod';
import type { PlaneConfig } from '../connection/index.js';
import {
  MAX_PROFILE_PROBE_REPORT_CHARS,
  type Profile,
  PROFILE_PROBE_MS,
  type ProfileActionSchema,
  type ProfileConnectResult,
  ProfileSchema,
  type ProfilesState,
  type ProfileTestResult,
} from '../../../shared/index.js';
import type { Simulator } from '../sim/index.js';
import { describeLoadReport } from './load-report.js';
import type { ProfileCore } from './ports.js';
import { colorNumber, startupProfiles } from './resolve.js';
import { ProfileError, type ProfileStore } from './store.js';

/** A profile's connection settings: everything but how it is named, shown and filed. */
function connectionOf(p: Profile): string {
  const { name: _name, color: _color, group: _group, tags: _tags, pinned: _pinned, autoConnect: _auto, ...connection } = p;
  return JSON.stringify(connection);
}

/** What the contract asked with, parsed (ProfileActionSchema's output). */
type ParsedAction = z.output<typeof ProfileActionSchema>;

export class ProfileService {
  private readonly simulators = new Map<string, Simulator>();
  private seed = 1000;

  constructor(
    readonly store: ProfileStore,
    private readonly core: ProfileCore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async state(): Promise<ProfilesState> {
    return { profiles: this.store.list(), secretStore: await this.store.secretStatus(), notices: describeLoadReport(this.store.report, this.store.path).slice(0, 64) };
  }

  async act(a: ParsedAction): Promise<ProfilesState> {
    switch (a.action) {
      case 'save': {
        const { id, ...fields } = a.profile;
        // A new token replaces the old; `auth` then says where it went.
        const old = this.store.get(id);
        if (old?.id === id) {
          await this.store.update(id, fields);
          if (a.token !== undefined) await this.store.setToken(id, a.token);
          // A token no longer used is not left behind in the secret store.
          else if (old.auth.type === 'token' && fields.auth.type !== 'token') await this.store.purgeSecret(old);
          await this.applyToOpenPlane(old, a.token !== undefined);
        } else await this.store.add(a.profile, a.token);
        break;
      }
      case 'delete':
        // The token stays for undo; `purge` (or the panel closing) ends it.
        await this.store.remove(a.id, { keepSecret: true });
        break;
      case 'restore':
        await this.store.restore(a.profile);
        break;
      case 'purge':
        // Only a deleted profile's token: a renderer cannot wipe the token of one still saved.
        if (this.store.get(a.profile.id)?.id === a.profile.id) throw new ProfileError(`profile "${a.profile.name}" is still saved; its token is kept`);
        await this.store.purgeSecret(a.profile);
        break;
      case 'import':
        // Re-validated and renamed by the store's own import (tokens are never imported).
        await this.store.import(JSON.stringify({ profiles: a.profiles.map((p) => ProfileSchema.parse({ ...p, auth: p.auth.type === 'token' ? { type: 'none' } : p.auth })) }));
        break;
      case 'allowPlaintext':
        await this.store.allowPlaintext('profile manager');
        break;
    }
    return this.state();
  }

  /** Opens each profile as a plane; one that fails is reported and the rest still connect. */
  async connect(ids: readonly string[]): Promise<ProfileConnectResult> {
    const results: ProfileConnectResult['results'] = [];
    for (const id of ids) {
      if (this.core.plane(id)) {
        results.push({ id, ok: true, message: 'already connected' });
        continue;
      }
      try {
        const { config, simulator } = await this.resolve(id);
        try {
          // Checked again: a concurrent connect may have opened it while this one resolved.
          this.core.addPlane(config);
        } catch (e) {
          await simulator?.stop();
          throw e;
        }
        if (simulator) {
          // A simulator left from an earlier connect of this profile serves no plane now.
          await this.simulators.get(id)?.stop();
          this.simulators.set(id, simulator);
        }
        results.push({ id, ok: true });
      } catch (e) {
        results.push({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
      }
    }
    return { results };
  }

  /** `probe` against the profile for PROFILE_PROBE_MS: its open plane's settings, else the profile's (a simulator profile's simulator started for it). */
  async test(id: string): Promise<ProfileTestResult> {
    const open = this.core.plane(id);
    const { config, simulator } = open ? { config: open.config, simulator: undefined } : await this.resolve(id);
    try {
      const probe = await probePlane(config, { forMs: PROFILE_PROBE_MS });
      let report = probeTable(probe).join('\n');
      if (report.length > MAX_PROFILE_PROBE_REPORT_CHARS) report = `${report.slice(0, MAX_PROFILE_PROBE_REPORT_CHARS - 40)}\n… (report cut)`;
      return { id, exitCode: probe.exitCode, report };
    } finally {
      await simulator?.stop();
    }
  }

  /**
   * A saved profile whose plane is open takes effect at once: a new name or
   * colour in place, and any connection setting (URL, endpoints, token, TLS,
   * version, compression, timing, simulator) by reconnecting the plane with
   * the new settings. Its agents then come again from the plane. When the new
   * settings cannot be resolved the plane keeps running on the old ones and
   * the error says why.
   */
  private async applyToOpenPlane(old: Profile, tokenChanged: boolean): Promise<void> {
    const plane = this.core.plane(old.id);
    const now = this.store.get(old.id);
    if (!plane || !now || !this.core.isLive(old.id)) return;
    plane.present(now.name, colorNumber(now.color));
    if (!tokenChanged && connectionOf(old) === connectionOf(now)) return;
    let resolved: Awaited<ReturnType<ProfileService['resolve']>>;
    try {
      resolved = await this.resolve(old.id);
    } catch (e) {
      throw new ProfileError(`"${now.name}" is saved, but its plane keeps the old settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { config, simulator } = resolved;
    this.core.removePlane(old.id);
    this.core.addPlane(config);
    // The simulator of the old settings serves no plane now (one the host started at launch is the host's to stop).
    await this.simulators.get(old.id)?.stop();
    this.simulators.delete(old.id);
    if (simulator) this.simulators.set(old.id, simulator);
  }

  /** Stops the simulators of simulator profiles connected here (the host calls it on exit). */
  async stop(): Promise<void> {
    const sims = [...this.simulators.values()];
    this.simulators.clear();
    await Promise.all(sims.map((s) => s.stop()));
  }

  private async resolve(id: string): Promise<{ config: PlaneConfig; simulator?: Simulator }> {
    if (!this.store.get(id)) throw new ProfileError(`no profile with id "${id}"`);
    const r = await startupProfiles([id], { store: this.store, env: this.env, seedBase: this.seed++ });
    return { config: r.planes[0]!, ...(r.simulators[0] ? { simulator: r.simulators[0] } : {}) };
  }
}
