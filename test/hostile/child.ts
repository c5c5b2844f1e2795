// A CLI command (`tail`, `web`) in a child process, as an operator runs it:
// one Node process (tsx as a loader, not a wrapper), so its /proc entry is
// the process under attack and VmHWM is its peak resident memory.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = 'electron/core/cli/main.ts';

export interface Child {
  proc: ChildProcess;
  /** Every stdout line so far (bounded by the caller's attack, not here). */
  lines: string[];
  stderr: string[];
  /** Resolves with the first stdout line matching `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  alive(): boolean;
  /** Peak and current resident memory, MB (VmHWM, VmRSS). */
  memory(): { peakMb: number; rssMb: number };
  /** CPU seconds the process has used (user + system), whatever the machine's load. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** `script` (default the CLI) under tsx; `nodeArgs` go before it (e.g. another --import). */
export function startCli(args: string[], env: Record<string, string> = {}, opts: { script?: string; nodeArgs?: string[]; keep?: (line: string) => boolean; stdoutFd?: number } = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...(opts.nodeArgs ?? []), opts.script ?? MAIN, ...args], { cwd: ROOT, stdio: ['ignore', opts.stdoutFd ?? 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  const stderr: string[] = [];
  let exited = false;
  proc.on('exit', () => (exited = true));
  let buf = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  proc.stdout?.setEncoding('utf8');
  proc.stdout?.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (opts.keep === undefined || opts.keep(l)) lines.push(l);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.re.test(l)) waiters.splice(i, 1)[0]!.resolve(l);
      }
    }
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (c: string) => stderr.push(c));
  return {
    proc,
    lines,
    stderr,
    line(re, timeoutMs = 30_000) {
      const found = lines.find((l) => re.test(l));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no stdout line matching ${re} in ${timeoutMs} ms; stderr: ${stderr.join('').slice(-2000)}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
    alive: () => !exited && proc.exitCode === null && proc.signalCode === null,
    memory() {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
    },
    cpuSeconds() {
      // Fields after the ")" of the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz on Linux).
      const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    },
  };
}
