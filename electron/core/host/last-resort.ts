// The last line of defence of a long-running process (browser mode, the
// simulator, `tail`): an exception or rejection nobody caught is reported on
// stderr and counted, and the process keeps serving. Every known input path
// already turns bad input into a 4xx, a close or a counted protocol error;
// this is for the one we have not found, so that it costs a log line rather
// than every operator's console.

let count = 0;
let installed = false;

/** Uncaught exceptions and unhandled rejections caught since install. */
export function lastResortCount(): number {
  return count;
}

/** Installs the handlers once per process; `log` gets one line per event (at most one a second after the first ten). */
export function installLastResort(name: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  if (installed) return;
  installed = true;
  let lastLogAt = 0;
  const report = (kind: string, e: unknown): void => {
    count++;
    const now = Date.now();
    if (count > 10 && now - lastLogAt < 1000) return;
    lastLogAt = now;
    const what = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(`${name}: ${kind} (#${count}), still running: ${what}`);
  };
  process.on('uncaughtException', (e) => report('uncaught exception', e));
  process.on('unhandledRejection', (e) => report('unhandled rejection', e));
}
