// `npm run -s swarmdeck -- profiles list|show|add|remove|import|export`: the
// saved connection profiles from the command line (SWARMDECK_CONFIG_DIR sets
// where they live). A token is read from standard input (--token-stdin), so
// it never appears in `ps` or shell history, and goes to the OS keychain;
// where there is none it is refused unless --allow-plaintext-token records the
// choice to keep it in plain text. Nothing printed ever contains a token.

import { readFileSync, writeFileSync } from 'node:fs';
import { FLAGS, parseFlags, tlsFlags, tokenCommandFlag, UsageError } from '../args/index.js';
import { PLANE_COLORS } from '../app/index.js';
import { MAX_PROFILE_FILE_BYTES, MAX_TOKEN_BYTES, type Profile, PROFILE_COMPRESSION, type ProfileInput, SUPPORTED_VERSIONS } from '../../../shared/index.js';
import { jsonLine } from '../protocol/index.js';
import { describeLoadReport, openDefaultProfileStore, readTextBounded, ProfileError, type ProfileStore } from '../profiles/index.js';

export const PROFILES_USAGE = `profiles list [--json]
          profiles show NAME
          profiles add NAME --url ws[s]://HOST:PORT [--token-stdin | --token-command "CMD ARGS"] [--ca FILE] [--insecure]
                       [--group G] [--tag T]... [--color #RRGGBB] [--pin] [--auto-connect] [--protocol ${SUPPORTED_VERSIONS.join('|')}]
                       [--compression ${PROFILE_COMPRESSION.join('|')}] [--allow-plaintext-token]
          profiles remove NAME
          profiles import FILE|-
          profiles export [NAME]... [--out FILE]`;

export interface ProfilesIo {
  out(line: string): void;
  err(line: string): void;
  /** All of standard input (bounded). */
  stdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  openStore?: (env: NodeJS.ProcessEnv) => Promise<ProfileStore>;
}

export async function readStdinBounded(max: number, stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > max) throw new UsageError(`standard input is larger than ${max} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo = (): ProfilesIo => ({
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  stdin: () => readStdinBounded(Math.max(MAX_TOKEN_BYTES, MAX_PROFILE_FILE_BYTES)),
  env: process.env,
});

/** How a profile authenticates, for people: flags plain text and skip-verify. */
export function authSummary(p: Profile): string {
  switch (p.auth.type) {
    case 'none':
      return 'no token';
    case 'command':
      return `token command: ${[p.auth.command, ...p.auth.args].join(' ')}`;
    case 'token':
      return p.auth.store === 'plaintext' ? 'token in PLAIN TEXT (flagged)' : p.auth.store === 'keychain' ? 'token in the OS keychain' : 'token in safeStorage (desktop app)';
  }
}

function summary(p: Profile): string {
  const where = p.url ?? `simulator (${p.simulator?.dialect}, ${p.simulator?.agents} agents at ${p.simulator?.rate} Hz)`;
  const flags = [p.pinned ? 'pinned' : '', p.autoConnect ? 'auto-connect' : '', p.tls?.insecureSkipVerify ? 'INSECURE: TLS not verified' : '', p.group ? `group ${p.group}` : '', p.tags.length ? `tags ${p.tags.join(',')}` : '']
    .filter(Boolean)
    .join(' · ');
  return `${p.name}\t${where}\t${authSummary(p)}${flags ? `\t${flags}` : ''}`;
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`profiles ${what} takes one profile NAME`);
  return positionals[0];
}

export async function runProfiles(argv: string[], io: ProfilesIo = processIo()): Promise<number> {
  const [sub, ...rest] = argv;
  const open = io.openStore ?? openDefaultProfileStore;
  const withStore = async (f: (s: ProfileStore) => Promise<number>): Promise<number> => {
    const s = await open(io.env);
    for (const l of describeLoadReport(s.report, s.path)) io.err(`swarmdeck: ${l}`);
    try {
      return await f(s);
    } catch (e) {
      if (e instanceof ProfileError) {
        io.err(`swarmdeck: ${e.message}`);
        return 1;
      }
      throw e;
    }
  };
  switch (sub) {
    case 'list': {
      const { values } = parseFlags(FLAGS.profilesList, rest);
      return withStore(async (s) => {
        const list = s.list();
        if (values.json) io.out(jsonLine(list));
        else for (const p of [...list].sort((a, b) => Number(b.pinned) - Number(a.pinned))) io.out(summary(p));
        return 0;
      });
    }
    case 'show': {
      const name = one(parseFlags(FLAGS.profilesShow, rest).positionals, 'show');
      return withStore(async (s) => {
        const p = s.get(name);
        if (!p) throw new ProfileError(`no profile "${name}"`);
        io.out(jsonLine(p, 2));
        io.err(`swarmdeck: ${authSummary(p)}`);
        return 0;
      });
    }
    case 'add':
      return add(rest, io, withStore);
    case 'remove': {
      const name = one(parseFlags(FLAGS.profilesRemove, rest).positionals, 'remove');
      return withStore(async (s) => {
        const p = await s.remove(name);
        io.out(`removed "${p.name}"${p.auth.type === 'token' ? ' and its token' : ''}`);
        return 0;
      });
    }
    case 'import': {
      const file = one(parseFlags(FLAGS.profilesImport, rest).positionals, 'import');
      const text = file === '-' ? await io.stdin() : readTextBounded(file, MAX_PROFILE_FILE_BYTES);
      if (text === null) throw new ProfileError(`no file ${file}`);
      return withStore(async (s) => {
        const r = await s.import(text);
        // One line per profile: what an import never keeps (a program to run, connect at launch) is said on it.
        for (const p of r.added) {
          const d = r.dropped.find((x) => x.id === p.id);
          io.out(`imported "${p.name}"${d ? ` without ${d.what}` : ''}`);
        }
        for (const e of r.errors) io.err(`swarmdeck: entry ${e.index}${e.name !== undefined ? ` "${e.name}"` : ''} not imported: ${e.error}`);
        if (r.tokensDropped.length) io.err(`swarmdeck: tokens are never imported; add them again for ${r.tokensDropped.map((n) => `"${n}"`).join(', ')}`);
        return r.errors.length > 0 ? 1 : 0;
      });
    }
    case 'export': {
      const { values, positionals } = parseFlags(FLAGS.profilesExport, rest);
      return withStore(async (s) => {
        const ids = positionals.map((n) => {
          const p = s.get(n);
          if (!p) throw new ProfileError(`no profile "${n}"`);
          return p.id;
        });
        const text = JSON.stringify(s.export(ids.length ? ids : undefined), null, 2);
        if (values.out !== undefined) writeFileSync(values.out, `${text}\n`, { mode: 0o600 });
        else io.out(text);
        return 0;
      });
    }
    default:
      throw new UsageError(sub === undefined ? 'profiles needs a subcommand' : `unknown profiles subcommand "${sub}"`);
  }
}

async function add(argv: string[], io: ProfilesIo, withStore: (f: (s: ProfileStore) => Promise<number>) => Promise<number>): Promise<number> {
  const { values, positionals } = parseFlags(FLAGS.profilesAdd, argv);
  const name = one(positionals, 'add');
  // A token on the command line is visible to every user of the machine: refused outright here, where stdin is the way.
  if (values.token !== undefined) throw new UsageError('profiles add does not take --token (it would show in ps and shell history): pipe it to --token-stdin');
  if (values.url === undefined) throw new UsageError('profiles add needs --url');
  if (values['token-stdin'] && values['token-command'] !== undefined) throw new UsageError('give --token-stdin or --token-command, not both');
  let token: string | undefined;
  if (values['token-stdin']) {
    token = (await io.stdin()).replace(/\r?\n$/, '');
    if (token.length === 0) throw new UsageError('--token-stdin: standard input was empty');
  }
  const input: Omit<ProfileInput, 'id'> = { name, url: values.url, color: values.color ?? '' };
  const tokenCommand = tokenCommandFlag(values['token-command']);
  if (tokenCommand) input.auth = { type: 'command', ...tokenCommand };
  const tls = tlsFlags(values.ca, values.insecure);
  if (tls) input.tls = tls;
  if (values.group !== undefined) input.group = values.group;
  if (values.tag) input.tags = values.tag;
  if (values.pin) input.pinned = true;
  if (values['auto-connect']) input.autoConnect = true;
  if (values.protocol !== undefined) input.protocolVersion = values.protocol as ProfileInput['protocolVersion'];
  if (values.compression !== undefined) input.compression = values.compression as ProfileInput['compression'];
  if (values.ca !== undefined) {
    try {
      readFileSync(values.ca);
    } catch {
      throw new UsageError(`--ca: cannot read "${values.ca}"`);
    }
  }
  return withStore(async (s) => {
    if (values.color === undefined) input.color = `#${PLANE_COLORS[s.list().length % PLANE_COLORS.length]!.toString(16).padStart(6, '0')}`;
    if (values['allow-plaintext-token'] && !s.plaintextAllowed()) {
      await s.allowPlaintext('cli --allow-plaintext-token');
      io.err('swarmdeck: recorded your choice to keep tokens in plain text where no secret store exists; such profiles are flagged');
    }
    if (token !== undefined) {
      // Checked before the profile is written, so a refusal leaves nothing half-made.
      const status = await s.secretStatus();
      if (status.store === null) {
        throw new ProfileError(
          `the token was not saved and the profile was not added: ${status.reason ?? 'there is no secret store'}. ` +
            'Use --token-command "CMD ARGS", or SWARMDECK_TOKEN when connecting, or --allow-plaintext-token to keep it in a plain-text file.',
        );
      }
    }
    const p = await s.add(input, token);
    io.out(`added "${p.name}" (${authSummary(p)})`);
    if (p.auth.type === 'token' && p.auth.store === 'plaintext') io.err(`swarmdeck: WARNING: the token of "${p.name}" is kept in PLAIN TEXT in ${s.dir}`);
    if (p.tls?.insecureSkipVerify) io.err(`swarmdeck: WARNING: "${p.name}" skips TLS certificate verification`);
    return 0;
  });
}
