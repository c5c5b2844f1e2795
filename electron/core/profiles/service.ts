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
  MAX_RUNNING_SIMULATORS,
  PROFILE_UNDO_DEPTH,
  type ProfileActionSchema,
  type ProfileConnectResult,
  ProfileSchema,
  type ProfilesState,
  type ProfileTestResult,
} from '../../../shared/index.js';
import type { Simulator } from '../sim/index.js';
import { TOKEN_ENV } from '../args/index.js';
import { type ConsentPort, consentNeeded, REFUSE_FROM_PAGE, requireConsent } from './consent.js';
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

  /** Profiles deleted through this service, as they were saved: restoring one of these unchanged needs no consent. */
  private readonly deleted = new Map<string, Profile>();
  /** The environment without SWARMDECK_TOKEN: it is for the planes named on the command line, never one connected from the page. */
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly store: ProfileStore,
    private readonly core: ProfileCore,
    env: NodeJS.ProcessEnv = process.env,
    /** The trusted side (consent.ts): Electron's native dialog; browser mode refuses. */
    private readonly consent: ConsentPort = REFUSE_FROM_PAGE,
  ) {
    const { [TOKEN_ENV]: _token, ...rest } = env;
    this.env = rest;
  }

  async state(): Promise<ProfilesState> {
    return {
      profiles: this.store.list(),
      secretStore: await this.store.secretStatus(),
      notices: describeLoadReport(this.store.report, this.store.path).slice(0, 64),
      simulators: { running: this.runningSimulators, max: MAX_RUNNING_SIMULATORS },
    };
  }

  async act(a: ParsedAction): Promise<ProfilesState> {
    switch (a.action) {
      case 'save': {
        const { id, ...fields } = a.profile;
        // A new token replaces the old; `auth` then says where it went.
        const old = this.store.get(id);
        const saved = old?.id === id ? old : undefined;
        const after = ProfileSchema.safeParse({ ...saved, ...a.profile, id });
        // Invalid input is refused by the store below with its field message; consent is asked only of a valid profile.
        if (after.success) await requireConsent(this.consent, consentNeeded(saved, after.data, a.token !== undefined));
        if (old?.id === id) {
          await this.store.update(id, fields);
          if (a.token !== undefined) await this.store.setToken(id, a.token);
          // A token no longer used is not left behind in the secret store.
          else if (old.auth.type === 'token' && fields.auth.type !== 'token') await this.store.purgeSecret(old);
          await this.applyToOpenPlane(old, a.token !== undefined);
        } else await this.store.add(a.profile, a.token);
        break;
      }
      case 'delete': {
        // The token stays for undo; `purge` (or the panel closing) ends it.
        const was = this.store.get(a.id);
        await this.store.remove(a.id, { keepSecret: true });
        if (was) {
          this.deleted.delete(was.id);
          this.deleted.set(was.id, was);
          if (this.deleted.size > PROFILE_UNDO_DEPTH) this.deleted.delete(this.deleted.keys().next().value!);
        }
        break;
      }
      case 'restore': {
        // The page sends the profile to restore: only the one deleted here, unchanged, comes back without consent.
        const p = ProfileSchema.parse(a.profile);
        const was = this.deleted.get(p.id);
        // A token profile this service did not delete asks too (consentNeeded): its kept token must not go to a URL the page chose.
        await requireConsent(this.consent, consentNeeded(was, p, false));
        await this.store.restore(p);
        this.deleted.delete(p.id);
        break;
      }
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
  /**
   * Keeps a token typed for an open plane that is a saved profile (same id) in the profile's
   * secret store; false when the plane is no profile or the store refuses (then it lasts the session).
   */
  async keepToken(id: string, token: string): Promise<boolean> {
    if (!this.store.get(id)) return false;
    try {
      await this.store.setToken(id, token);
      return true;
    } catch {
      return false;
    }
  }

  async connect(ids: readonly string[]): Promise<ProfileConnectResult> {
    const results: ProfileConnectResult['results'] = [];
    for (const id of ids) {
      if (this.core.plane(id)) {
        results.push({ id, ok: true, message: 'already connected' });
        continue;
      }
      try {
        // A simulator whose plane was closed serves nothing: stopped before counting.
        for (const [sid, sim] of this.simulators) if (!this.core.plane(sid)) (this.simulators.delete(sid), await sim.stop());
        if (this.store.get(id)?.simulator !== undefined && this.simulators.size >= MAX_RUNNING_SIMULATORS) {
          throw new ProfileError(`${MAX_RUNNING_SIMULATORS} simulators are running already (MAX_RUNNING_SIMULATORS): disconnect one first`);
        }
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

  /** Simulators running for profiles connected here (at most MAX_RUNNING_SIMULATORS). */
  get runningSimulators(): number {
    return this.simulators.size;
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
