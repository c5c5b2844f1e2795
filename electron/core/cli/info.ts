// `info FILE`: what a recording holds: planes, duration, message counts per
// channel, size, snapshots, and whether the file is complete (with the
// offset of its problem when not). Text by default, one JSON object with --json.
// Exit: 0 complete, 1 incomplete or unreadable, 2 usage.

import { FLAGS, parseFlags, UsageError } from '../args/index.js';
import { Recording } from '../recording/index.js';
import { jsonLine } from '../protocol/index.js';
import { neutraliseText } from '../../../shared/index.js';


export interface RecordingInfo {
  file: string;
  bytes: number;
  complete: boolean;
  problem: { offset: number; message: string } | null;
  appVersion: string | null;
  createdAt: string | null;
  startMs: number;
  endMs: number;
  durationMs: number;
  chunks: number;
  snapshots: number;
  planes: { id: string; label: string; url: string; endpoints: string[] }[];
  channels: { topic: string; encoding: string; messages: number }[];
}

export async function recordingInfo(path: string): Promise<RecordingInfo> {
  const rec = await Recording.open(path);
  try {
    const channels = [...rec.channels.values()].map((c) => ({ topic: c.topic, encoding: c.encoding, messages: rec.messageCounts.get(c.id) ?? 0 }));
    const snapshots = rec.channelsOf('snapshot').reduce((a, c) => a + (rec.messageCounts.get(c.id) ?? 0), 0);
    return {
      file: path,
      bytes: rec.size,
      complete: rec.complete,
      problem: rec.problem,
      appVersion: rec.meta?.appVersion ?? null,
      createdAt: rec.meta?.createdAt ?? null,
      startMs: rec.startMs,
      endMs: rec.endMs,
      durationMs: rec.endMs - rec.startMs,
      chunks: rec.chunks.length,
      snapshots,
      planes: (rec.meta?.planes ?? []).map((p) => ({ id: p.id, label: p.label, url: p.url, endpoints: p.endpoints })),
      channels,
    };
  } finally {
    await rec.close();
  }
}

export function formatInfo(i: RecordingInfo): string[] {
  const lines = [
    `file      ${i.file}`,
    `size      ${i.bytes} bytes`,
    `complete  ${i.complete ? 'yes' : `no: ${i.problem?.message ?? 'unknown'}`}`,
    `recorded  ${i.startMs ? new Date(i.startMs).toISOString() : '-'} for ${(i.durationMs / 1000).toFixed(3)} s${i.appVersion ? ` by Swarmdeck ${i.appVersion}` : ''}`,
    `chunks    ${i.chunks}`,
    `snapshots ${i.snapshots}`,
    `planes    ${i.planes.length}`,
    ...i.planes.map((p) => `  ${p.id}  ${p.label}  ${p.url}  (${p.endpoints.join(', ')})`),
    'channels',
    ...i.channels.map((c) => `  ${c.topic.padEnd(28)} ${c.encoding.padEnd(20)} ${c.messages}`),
  ];
  return lines;
}

export async function runInfo(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseFlags(FLAGS.info, argv);
  if (positionals.length !== 1) throw new UsageError('info takes one recording file');
  const info = await recordingInfo(positionals[0]!);
  // A recording names planes, urls and topics a plane or a file's author chose: escaped like every plane string the CLI prints.
  if (values.json) out(jsonLine(info));
  else for (const l of formatInfo(info)) out(neutraliseText(l));
  return info.complete ? 0 : 1;
}
