// `tail` and `probe` write JSON lines to stdout; a reader slower than the
// plane must not make the process buffer without bound.

/**
 * Lines to a stream whose reader may be slower than the plane (`tail | slow`):
 * past `maxBytes` waiting, lines are dropped, and the next line that fits (or
 * the end) says how many, so memory stays bounded and nothing goes silently.
 */
export function boundedLines(stream: NodeJS.WritableStream & { writableLength: number }, maxBytes: number): { write: (line: string) => void; end: () => void } {
  let dropped = 0;
  const note = (): void => {
    if (dropped === 0) return;
    stream.write(`${JSON.stringify({ origin: 'client', type: 'client.output_dropped', priority: 'high', at: Date.now(), payload: { lines: dropped, reason: `stdout's reader fell more than ${maxBytes} bytes behind` } })}\n`);
    dropped = 0;
  };
  return {
    write: (line) => {
      if (stream.writableLength > maxBytes) {
        dropped++;
        return;
      }
      note();
      stream.write(`${line}\n`);
    },
    end: note,
  };
}
