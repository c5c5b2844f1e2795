// Save: a span of a plane's flight buffer copied into one MCAP file of the
// recordings folder, through the MCAP writer. It starts at the last snapshot
// at or before the span's start (so it opens and seeks like any recording)
// and ends at the span's end; channels, schemas and the recording metadata
// are those of the segments.

import { type ChannelSpec, JSON_SCHEMA_TEXT, METADATA_NAME, RECORDING_PROFILE, SCHEMA_NAMES, channelMetadata, metaToRecord } from './format.js';
import { CLIENT_VERSION } from '../protocol/index.js';
import { type ByteSink, LiveMcapWriter, compressionReady } from './mcap-writer.js';
import { Recording } from './reader.js';
import type { Segment } from './flight.js';

export interface SavedSpan {
  startMs: number;
  endMs: number;
  messages: number;
}

/** Copies `segments` (oldest first) between `fromMs` and `toMs` into `sink`. */
export async function saveSpan(segments: readonly Segment[], fromMs: number, toMs: number, sink: ByteSink): Promise<SavedSpan> {
  await compressionReady;
  const w = new LiveMcapWriter(sink, {});
  w.start(RECORDING_PROFILE, `swarmdeck ${CLIENT_VERSION}`);
  const schemaIds = new Map<string, number>();
  const channelIds = new Map<string, number>();
  const channelOf = (spec: ChannelSpec): number => {
    let id = channelIds.get(spec.topic);
    if (id !== undefined) return id;
    let schemaId = 0;
    if (spec.kind === 'json' || spec.kind === 'connection' || spec.kind === 'status') {
      schemaId = schemaIds.get(spec.kind) ?? w.registerSchema({ name: SCHEMA_NAMES[spec.kind], encoding: 'jsonschema', data: new TextEncoder().encode(JSON_SCHEMA_TEXT) });
      schemaIds.set(spec.kind, schemaId);
    }
    id = w.registerChannel({ topic: spec.topic, messageEncoding: spec.encoding, schemaId, metadata: channelMetadata(spec) });
    channelIds.set(spec.topic, id);
    return id;
  };
  let wroteMeta = false;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let messages = 0;
  try {
    for (const seg of segments) {
      if (seg.endMs < fromMs || seg.startMs > toMs) continue;
      const rec = await Recording.open(seg.path);
      try {
        if (!wroteMeta && rec.meta) {
          w.addMetadata(METADATA_NAME, metaToRecord({ ...rec.meta, createdAt: new Date().toISOString() }));
          wroteMeta = true;
        }
        const startChunk = firstChunk(rec, fromMs);
        for (let i = startChunk; i < rec.chunks.length; i++) {
          const msgs = await rec.readChunk(i);
          let past = false;
          for (const m of msgs) {
            if (m.timeMs > toMs) {
              past = true;
              break;
            }
            w.addMessage(channelOf(m.channel), m.timeMs, m.data, m.publishTime);
            first = Math.min(first, m.timeMs);
            last = Math.max(last, m.timeMs);
            messages++;
          }
          w.flush();
          await w.drain();
          if (past) break;
        }
      } finally {
        await rec.close();
      }
    }
    await w.end();
  } catch (e) {
    await w.end().catch(() => undefined);
    throw e;
  }
  if (w.stats.error) throw new Error(w.stats.error);
  if (w.stats.messagesDropped > 0) throw new Error(`${w.stats.messagesDropped} messages were not written`);
  if (messages === 0) throw new Error('nothing recorded in that span');
  return { startMs: first, endMs: last, messages };
}

/** The chunk holding the last snapshot at or before `ms` (0 when the span starts before the segment). */
function firstChunk(rec: Recording, ms: number): number {
  const end = Math.min(rec.chunkAt(ms), rec.chunks.length - 1);
  if (end <= 0) return 0;
  const snaps = rec.channelsOf('snapshot').map((c) => c.id);
  for (let i = end; i >= 0; i--) {
    if (snaps.some((id) => rec.chunks.hasChannel(i, id)) && Number(rec.chunks.startNs(i)) / 1e6 <= ms) return i;
  }
  return 0;
}
