// Types for scripts/build-wasm.mjs (imported by test/protocol/position-kernel.test.ts).
export const WAT_PATH: string;
export const TS_PATH: string;
export function positionsWasmSource(): Promise<string>;
