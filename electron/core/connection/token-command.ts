// A profile's token command (like kubectl's credential plugins): an
// executable whose standard output is a fresh bearer token. Run with
// execFile (no shell), a timeout and a bounded output; trimmed stdout is the
// token. Every failure is an Error whose message says plainly what went wrong.
// Direction: a leaf, used by auth.ts.

import { execFile } from 'node:child_process';

export interface TokenCommand {
  /** The executable (absolute path, or a name looked up on PATH). No shell is involved. */
  command: string;
  args?: string[];
  /** Default 10 s. */
  timeoutMs?: number;
}

const MAX_OUTPUT = 64 * 1024;

export function describeTokenCommand(tc: TokenCommand): string {
  return [tc.command, ...(tc.args ?? [])].join(' ');
}

export function runTokenCommand(tc: TokenCommand): Promise<string> {
  const timeout = tc.timeoutMs ?? 10_000;
  const what = `token command "${describeTokenCommand(tc)}"`;
  return new Promise((resolve, reject) => {
    execFile(
      tc.command,
      tc.args ?? [],
      { timeout, maxBuffer: MAX_OUTPUT, shell: false, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
          const detail = String(stderr ?? '').trim().split('\n')[0]?.slice(0, 200) ?? '';
          if (e.code === 'ENOENT') return reject(new Error(`${what} not found`));
          if (e.code === 'EACCES') return reject(new Error(`${what} is not executable`));
          if (e.killed && e.signal) return reject(new Error(`${what} timed out after ${timeout} ms`));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new Error(`${what} printed more than ${MAX_OUTPUT} bytes`));
          const how = typeof e.code === 'number' ? `exited with code ${e.code}` : e.signal ? `was killed by ${e.signal}` : e.message;
          return reject(new Error(`${what} ${how}${detail ? `: ${detail}` : ''}`));
        }
        const token = String(stdout).trim();
        if (token.length === 0) return reject(new Error(`${what} printed no token`));
        // The token goes into an HTTP header: nothing that could split or bend it.
        if (/[\s\x00-\x1f\x7f]/.test(token)) return reject(new Error(`${what} printed a token with whitespace or control characters`));
        resolve(token);
      },
    );
  });
}
