// The command line, one way for every command: the flag tables, their
// parsing, the values they share (URLs, tokens, durations), the usage error
// and the exit codes. Plain data and node:util; no other part of the core.

export { formatByteSize, parseByteSize } from './bytes.js';
export { formatDuration, parseDuration } from './duration.js';
export { EXIT } from './exit.js';
export { FLAGS, type VerbFlags, type VerbName } from './flags.js';
export {
  TOKEN_ENV,
  UsageError,
  byteSizeFlag,
  durationFlag,
  durationOrZeroFlag,
  envToken,
  flagList,
  intFlag,
  parseFlags,
  tlsFlags,
  tokenArgWarning,
  tokenAt,
  tokenCommandFlag,
  urlTokens,
  wsUrlFlag,
  type ParsedFlags,
} from './parse.js';
