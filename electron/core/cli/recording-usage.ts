// The recording commands' usage lines, apart from their code: the CLI's help
// shows them without loading MCAP and the WebAssembly codecs.
export const RECORD_USAGE = 'record  (--url ws[s]://HOST:PORT [--token T] | --profile NAME)... --out FILE [--for DURATION] [--ca FILE] [--insecure]';
export const TAIL_RECORDING_USAGE = 'tail    --recording FILE [--frames] [--plane ID]';
export const INFO_USAGE = 'info    FILE [--json]';
