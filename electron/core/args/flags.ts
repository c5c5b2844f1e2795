// Every command's flags, in one table: what `npm start`, `start:web` and each
// `swarmdeck` verb accept. README.md "Commands" documents them; operators'
// scripts use these names, so a flag is renamed or dropped only with care.
// What a value means (a URL, a duration, a dialect) is checked by the verb.

import type { ParseArgsOptionsConfig } from 'node:util';

export interface VerbFlags {
  /** How the verb is named in messages: "tail", "profiles add". */
  readonly verb: string;
  readonly options: ParseArgsOptionsConfig;
  /** Takes operands (a FILE, a profile NAME) besides its flags. */
  readonly positionals: boolean;
}

const str = { type: 'string' } as const;
const strs = { type: 'string', multiple: true } as const;
const bool = { type: 'boolean' } as const;

/** One plane's connection, as tail, command and probe take it (one URL, one token). */
const CONNECTION = { url: str, token: str, 'token-command': str, ca: str, insecure: bool, profile: str } as const;

export const FLAGS = {
  /** `npm start`, `npm run start:web`, `swarmdeck web`: --url, --token, --open and --profile repeat (one plane each). */
  start: {
    verb: 'start',
    options: {
      url: strs,
      token: strs,
      planes: str,
      agents: str,
      rate: str,
      port: str,
      host: str,
      ca: str,
      insecure: bool,
      'token-command': str,
      dialect: str,
      open: strs,
      profile: strs,
      /** Browser mode serves source maps (renderer *.map) only with this. */
      dev: bool,
      /** The flight recorder's window (15m; 0 turns it off) and its disk budget across planes (2GiB). */
      rewind: str,
      'rewind-bytes': str,
    },
    positionals: false,
  },
  sim: {
    verb: 'sim',
    options: {
      agents: str,
      rate: str,
      port: str,
      host: str,
      token: str,
      seed: str,
      heartbeat: str,
      versions: str,
      'tls-cert': str,
      'tls-key': str,
      fault: strs,
      dialect: str,
    },
    positionals: false,
  },
  tail: { verb: 'tail', options: { ...CONNECTION, for: str, endpoints: str, frames: bool }, positionals: false },
  tailRecording: { verb: 'tail --recording', options: { recording: str, frames: bool, plane: str }, positionals: false },
  command: {
    verb: 'command',
    options: { ...CONNECTION, agent: str, command: str, param: strs, timeout: str, kind: str },
    positionals: false,
  },
  probe: { verb: 'probe', options: { ...CONNECTION, for: str, json: bool }, positionals: false },
  /** --url, --token and --profile repeat: one plane each, into one file. */
  record: { verb: 'record', options: { url: strs, profile: strs, token: strs, out: str, for: str, ca: str, insecure: bool }, positionals: false },
  info: { verb: 'info', options: { json: bool }, positionals: true },
  decode: { verb: 'decode', options: { compression: str, 'max-inflated': str, hex: bool }, positionals: true },
  profilesList: { verb: 'profiles list', options: { json: bool }, positionals: false },
  profilesShow: { verb: 'profiles show', options: {}, positionals: true },
  profilesAdd: {
    verb: 'profiles add',
    options: {
      url: str,
      'token-stdin': bool,
      'token-command': str,
      // Taken only to be refused with the reason (ps, shell history) instead of "unknown option".
      token: str,
      ca: str,
      insecure: bool,
      group: str,
      tag: strs,
      color: str,
      pin: bool,
      'auto-connect': bool,
      protocol: str,
      compression: str,
      'allow-plaintext-token': bool,
    },
    positionals: true,
  },
  profilesRemove: { verb: 'profiles remove', options: {}, positionals: true },
  profilesImport: { verb: 'profiles import', options: {}, positionals: true },
  profilesExport: { verb: 'profiles export', options: { out: str }, positionals: true },
} as const satisfies Record<string, VerbFlags>;

export type VerbName = keyof typeof FLAGS;
