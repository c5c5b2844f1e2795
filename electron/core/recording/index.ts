// recording/: MCAP recording, reading and replay (docs/RECORDING.md), and the
// record buttons' service. A service; the folder's one public entry.

export { fileSink } from './mcap-writer.js';
export { openRecording, openRecordings } from './open.js';
export { Recording } from './reader.js';
export { FlightRecorder, type FlightOptions, type Segment } from './flight.js';
export { isSyncable, type InboundListener, type RecordableCore, type RecordingCore, type ReplayingCore, type SyncableEntry, type TimelineEntry } from './ports.js';
export { sizeText } from './limit-error.js';
export { Recorder, type RecorderOptions } from './recorder.js';
export type { Replay, ReplayHost } from './replay.js';
export { type GroupMember, ReplayGroup } from './group.js';
export { REWIND_PREFIX, RewindService, type RewindingCore } from './rewind.js';
export { defaultRecordingsDir, RecordingService } from './service.js';
export { recordingLines, type RecordingLinesOptions } from './tail.js';
