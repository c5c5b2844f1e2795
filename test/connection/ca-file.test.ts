// tls.caFile is read bounded: a regular file of at most MAX_CA_FILE_BYTES,
// asynchronously within a timeout. A FIFO (nobody ever writes to it), /dev/zero
// (endless) or a file over the limit fails that plane only, with a clear
// reason, at once; the other planes of the same process connect.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaFile } from '../../electron/core/connection/ca-file.js';
import { MAX_CA_FILE_BYTES } from '../../shared/index.js';
import { QUIET, useHarness } from '../helpers/harness.js';

const h = useHarness();
let dir = '';

describe.skipIf(process.platform === 'win32')('tls.caFile', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-ca-'));
    execFileSync('mkfifo', [join(dir, 'fifo.pem')]);
    writeFileSync(join(dir, 'big.pem'), Buffer.alloc(MAX_CA_FILE_BYTES + 1, 0x41));
    writeFileSync(join(dir, 'ok.pem'), 'not a certificate but small');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the reader refuses a FIFO, /dev/zero and a file over the limit, and reads a small regular file', async () => {
    const t0 = Date.now();
    await expect(readCaFile(join(dir, 'fifo.pem'))).rejects.toThrow('not a regular file');
    await expect(readCaFile('/dev/zero')).rejects.toThrow('not a regular file');
    await expect(readCaFile(join(dir, 'big.pem'))).rejects.toThrow(`more than the ${MAX_CA_FILE_BYTES} (MAX_CA_FILE_BYTES)`);
    expect(Date.now() - t0).toBeLessThan(4_000); // refused without waiting on a writer or reading forever
    expect((await readCaFile(join(dir, 'ok.pem'))).toString()).toBe('not a certificate but small');
  });

  it('a FIFO, /dev/zero or a big file fails that plane only; a plane beside it goes LIVE', async () => {
    const s = await h.sim({ ...QUIET });
    const bad = ['fifo.pem', '/dev/zero', 'big.pem'].map((f) =>
      h.plane({ url: 'wss://127.0.0.1:9', tls: { caFile: f.startsWith('/') ? f : join(dir, f) } }),
    );
    const good = h.plane({ url: s.url });
    for (const t of bad) await t.state('FAILED');
    await good.state('LIVE');
    expect(bad[0]!.plane.status().reason).toMatch(/cannot read the CA file .*fifo\.pem: not a regular file/);
    expect(bad[1]!.plane.status().reason).toMatch(/cannot read the CA file \/dev\/zero: not a regular file/);
    expect(bad[2]!.plane.status().reason).toMatch(/cannot read the CA file .*big\.pem: .*MAX_CA_FILE_BYTES/);
    expect(good.plane.status().state).toBe('LIVE');
  });
});
