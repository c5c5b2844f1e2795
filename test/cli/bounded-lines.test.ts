import { describe, expect, it } from 'vitest';
import { boundedLines } from '../../electron/core/cli/bounded-lines.js';

/** A stream whose reader is stuck until `drain()`: writableLength grows with every write. */
function stuckStream(): { stream: NodeJS.WritableStream & { writableLength: number }; written: string[]; drain: () => void } {
  const written: string[] = [];
  let waiting = 0;
  const stream = {
    get writableLength() {
      return waiting;
    },
    write(chunk: string) {
      written.push(chunk);
      waiting += chunk.length;
      return true;
    },
  } as unknown as NodeJS.WritableStream & { writableLength: number };
  return { stream, written, drain: () => (waiting = 0) };
}

describe('boundedLines', () => {
  it('drops lines while the reader is more than the bound behind, then says how many before the next line', () => {
    const s = stuckStream();
    const out = boundedLines(s.stream, 100);
    for (let i = 0; i < 50; i++) out.write(`{"n":${i},"pad":"${'x'.repeat(20)}"}`);
    // The bound holds: what is waiting never passes it by more than one line.
    const kept = s.written.length;
    expect(kept).toBeLessThan(10);
    expect(s.written.join('').length).toBeLessThan(100 + 40);
    s.drain();
    out.write('{"n":"after"}');
    const note = JSON.parse(s.written[kept]!) as { type: string; payload: { lines: number } };
    expect(note.type).toBe('client.output_dropped');
    expect(note.payload.lines).toBe(50 - kept);
    expect(s.written[kept + 1]).toBe('{"n":"after"}\n');
  });

  it('reports drops at the end too, and writes nothing extra when nothing was dropped', () => {
    const s = stuckStream();
    const out = boundedLines(s.stream, 10);
    out.write('{"a":"0123456789"}');
    out.write('{"b":1}');
    out.end();
    expect(s.written).toHaveLength(2);
    expect(JSON.parse(s.written[1]!)).toMatchObject({ type: 'client.output_dropped', payload: { lines: 1 } });
    const t = stuckStream();
    const quiet = boundedLines(t.stream, 1000);
    quiet.write('{"c":1}');
    quiet.end();
    expect(t.written).toEqual(['{"c":1}\n']);
  });
});
