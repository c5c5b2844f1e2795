// protocol/: the wire formats of docs/PROTOCOL.md (AGNT frames, both JSON
// envelopes, session messages, compression) and their encoders. The folder's
// one public entry; the payload types both sides use are in shared/.

export {
  DecodedMessage,
  decodeMessage,
  type DecodeOptions,
  type FrameInfo,
  frameTypeName,
  InflateLimitError,
  type Inflater,
  MetricsColumns,
  PositionRecords,
  StateColumns,
} from './binary.js';
export {
  COMPRESSION_ALGORITHMS,
  type CompressionAlgorithm,
  deflaterFor,
  detectingInflater,
  inflaterFor,
  inflaterForNegotiated,
  normaliseAlgorithm,
} from './compression.js';
export {
  CLIENT_VERSION,
  COMPRESSED_HEAD_BYTES,
  DEFAULT_COMPRESSION,
  DEFAULT_MAX_INFLATED_BYTES,
  type EndpointName,
  ENDPOINTS,
  ERROR_CODES,
  errorCodeName,
  FLAG_COMPRESSED,
  FLAG_RESERVED_MASK,
  FRAME_TYPE_NAMES,
  FrameType,
  HEADER_BYTES,
  MAGIC_BYTES,
  MAX_FRAME_PAYLOAD,
  MAX_POSITIONS_PER_FRAME,
  POSITION_RECORD_WORDS,
  RECOVERABLE_ERRORS,
} from './constants.js';
export {
  concatBytes,
  encodeCompressedBatch,
  encodeCoordination,
  encodeErrorFrame,
  encodeHeartbeat,
  encodeMetrics,
  encodePositions,
  encodeStateBatch,
  type MetricsRecord,
} from './encode.js';
export { binaryEvents } from './frame-events.js';
export { frameLine, jsonLine } from './frame-lines.js';
export { type FrameValues, frameValues, parsedOrText } from './frame-records.js';
export { type NormalisedEvent, normaliseJson } from './json.js';
export { textNestsDeeperThan } from './json-shape.js';
export { excerpt, flatCopy, keptString, quotedString } from './string-bounds.js';
export { type RequestTarget, requestTarget } from './request-target.js';
export {
  type AckFields,
  ackMessage,
  type AckStatus,
  channelCreateMessage,
  channelMessage,
  channelReplyMessage,
  type ChannelSpec,
  chooseVersion,
  clientHeartbeatMessage,
  compressionNegotiateMessage,
  compressionReplyMessage,
  featuresOf,
  handshakeMessage,
  readChannelReply,
  readCompressionReply,
  readHandshakeAck,
  readSessionReply,
  readVersionReply,
  selectVersion,
  SESSION_REPLY_TYPES,
  versionNegotiateMessage,
  versionReplyMessage,
} from './session.js';
