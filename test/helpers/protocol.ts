// Shared by the protocol tests: the hex vectors of docs/PROTOCOL.md, read from
// the document itself so the docs and the tests cannot drift.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHex } from '../../electron/core/cli/decode.js';

export const PROTOCOL_MD = fileURLToPath(new URL('../../docs/PROTOCOL.md', import.meta.url));

/** Every ```hex vector=NAME block of docs/PROTOCOL.md, in document order. */
export function readVectors(): Map<string, Uint8Array> {
  const md = readFileSync(PROTOCOL_MD, 'utf8');
  const out = new Map<string, Uint8Array>();
  for (const m of md.matchAll(/```hex vector=([\w-]+)\n([\s\S]*?)```/g)) {
    const name = m[1]!;
    const bytes = parseHex(m[2]!);
    if (bytes === null) throw new Error(`vector ${name} is not hex`);
    if (out.has(name)) throw new Error(`vector ${name} appears twice`);
    out.set(name, bytes);
  }
  return out;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Bytes from hex with spaces allowed. */
export function bytes(h: string): Uint8Array {
  const b = parseHex(h);
  if (b === null) throw new Error(`not hex: ${h}`);
  return b;
}
