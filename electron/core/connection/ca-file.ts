// A profile's tls.caFile, read the way every file is read: a regular file
// (a FIFO, a device such as /dev/zero or a directory is refused without
// reading), at most MAX_CA_FILE_BYTES, asynchronously and within
// CA_FILE_TIMEOUT_MS. A refusal is an error for the one plane that names it.

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CA_FILE_TIMEOUT_MS, MAX_CA_FILE_BYTES } from '../../../shared/index.js';

export async function readCaFile(path: string, maxBytes = MAX_CA_FILE_BYTES, timeoutMs = CA_FILE_TIMEOUT_MS): Promise<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not read within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([readBounded(path, maxBytes), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > maxBytes) throw new Error(`${st.size} bytes, more than the ${maxBytes} (MAX_CA_FILE_BYTES) a CA file may have`);
    // One byte more than allowed: a file that grew since stat is caught too.
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > maxBytes) throw new Error(`more than the ${maxBytes} bytes (MAX_CA_FILE_BYTES) a CA file may have`);
    }
    return Buffer.from(buf.subarray(0, n));
  } finally {
    await fh.close();
  }
}
