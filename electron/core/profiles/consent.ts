// The trusted side's consent (docs/SECURITY.md, "Trust boundaries"). The page
// (a renderer, or any client of browser mode's contract socket) may ask to
// save, restore, import, connect and test profiles, but it may not on its own
// make the app run a program (auth.command) or send a saved token to another
// origin (a new URL, or an endpoint override on another host). Those need a
// yes from the trusted side: Electron asks the operator with a native dialog
// (electron/main.ts), browser mode refuses and points to the command line.

import type { Profile } from '../../../shared/index.js';
import { ProfileError } from './store.js';

export type ConsentRequest =
  /** Saving a profile that runs `command args` for its token. */
  | { kind: 'program'; profile: string; command: string; args: readonly string[] }
  /** Sending the token saved for `from` to `to` (origins: scheme://host:port). */
  | { kind: 'origin'; profile: string; from: readonly string[]; to: readonly string[] };

/** Implemented by the host: true only when the operator said yes on the trusted side. */
export interface ConsentPort {
  confirm(req: ConsentRequest): Promise<boolean>;
}

/** In words, for a dialog and for errors. */
export function describeConsent(r: ConsentRequest): string {
  if (r.kind === 'program') return `profile "${r.profile}" runs the program ${JSON.stringify(r.command)}${r.args.length ? ` with arguments ${r.args.map((a) => JSON.stringify(a)).join(' ')}` : ''} to get its token`;
  return `profile "${r.profile}" would send its saved token to ${r.to.join(', ')} (it was saved for ${r.from.join(', ')})`;
}

/** Browser mode: the page alone never gets consent; the command line is the trusted side. */
export const REFUSE_FROM_PAGE: ConsentPort = {
  confirm: (r) =>
    Promise.reject(
      new ProfileError(
        `refused from the page: ${describeConsent(r)}. In browser mode this needs the command line: use \`swarmdeck profiles add\` (or \`profiles remove\` and \`profiles add\` to change it)`,
      ),
    ),
};

/** Every origin (scheme://host:port) a profile's sessions connect to: its URL and any endpoint override that is a full URL. */
export function originsOf(p: Pick<Profile, 'url' | 'endpoints'>): string[] {
  const out = new Set<string>();
  const add = (u: string): void => {
    try {
      const x = new URL(u);
      const port = x.port || (x.protocol === 'wss:' ? '443' : '80');
      out.add(`${x.protocol}//${x.hostname}:${port}`);
    } catch {
      out.add(u);
    }
  };
  if (p.url) add(p.url);
  for (const v of Object.values(p.endpoints ?? {})) if (typeof v === 'string' && !v.startsWith('/')) add(v);
  return [...out].sort();
}

const sameProgram = (a: Profile['auth'] | undefined, b: Profile['auth']): boolean =>
  a?.type === 'command' && b.type === 'command' && a.command === b.command && JSON.stringify(a.args) === JSON.stringify(b.args);

/**
 * What a change from the page needs consent for: a program it did not run
 * before, or a saved token (not replaced in the same change) going to an
 * origin it was not given for. `before` is the trusted version (the saved
 * profile, or the one deleted here), undefined for a new one.
 */
export function consentNeeded(before: Profile | undefined, after: Profile, newToken: boolean): ConsentRequest[] {
  const out: ConsentRequest[] = [];
  if (after.auth.type === 'command' && !sameProgram(before?.auth, after.auth)) {
    out.push({ kind: 'program', profile: after.name, command: after.auth.command, args: after.auth.args });
  }
  if (after.auth.type === 'token' && !newToken) {
    if (before?.auth.type === 'token') {
      const from = originsOf(before);
      const to = originsOf(after);
      if (to.some((o) => !from.includes(o))) out.push({ kind: 'origin', profile: after.name, from, to });
    } else {
      // A token profile the page made up (or switched to) without a token: a token kept under that id
      // (a deletion's undo, another window's) would go to the page's URL.
      out.push({ kind: 'origin', profile: after.name, from: ['(no token was given here for this profile)'], to: originsOf(after) });
    }
  }
  return out;
}

/** Asks for each; throws (the port's error, or a refusal) unless every one is confirmed. */
export async function requireConsent(port: ConsentPort, reqs: readonly ConsentRequest[]): Promise<void> {
  for (const r of reqs) {
    if (!(await port.confirm(r))) throw new ProfileError(`not confirmed: ${describeConsent(r)}`);
  }
}
