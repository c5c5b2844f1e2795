// `tail --recording FILE [--frames] [--plane ID]`: a recording's events as
// JSON lines, as `tail` printed them live (recording/tail.ts makes them).
// Exit 0, or 1 when the file is incomplete (everything before the problem
// was printed).

import { FLAGS, parseFlags, UsageError } from '../args/index.js';
import { recordingLines, type RecordingLinesOptions } from '../recording/index.js';

export async function runTailRecording(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags(FLAGS.tailRecording, argv);
  if (!values.recording) throw new UsageError('--recording needs a file');
  let incomplete = false;
  const opts: RecordingLinesOptions = { frames: values.frames === true };
  if (values.plane !== undefined) opts.plane = values.plane;
  for await (const line of recordingLines(values.recording, opts)) {
    if (line.startsWith('{"recording":"problem"')) incomplete = true;
    out(line);
  }
  return incomplete ? 1 : 0;
}
