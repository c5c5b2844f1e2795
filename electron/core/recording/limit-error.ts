// A recording over one of its budgets (limits.ts, "recording"): the error
// names the limit and its value, so the operator knows which bound a file
// broke rather than that it "did not open".

/** Bytes as the docs write limits: "32 MiB", "4 GiB", else the exact count. */
export function sizeText(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}

export class RecordingLimitError extends Error {
  constructor(
    /** The limit's name in limits.ts. */
    readonly limit: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecordingLimitError';
  }
}

/** "<what> is <value>, more than <LIMIT> (<max>)". */
export function overLimit(limit: string, what: string, value: number | bigint, max: number, bytes = false): RecordingLimitError {
  const v = bytes ? `${value} bytes` : `${value}`;
  return new RecordingLimitError(limit, `${what} is ${v}, more than ${limit} (${bytes ? sizeText(max) : max.toLocaleString('en-US')})`);
}
