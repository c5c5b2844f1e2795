// The WebAssembly SIMD check behind POSITION_UPDATE decoding (issue 3). The
// decoder keeps records as they arrive (28 bytes: id, x y z, vx vy vz), so
// decoding a frame is one memcpy plus a finiteness check. In scalar JS that
// check alone runs at ~1/5 of memcpy; the kernel (positions.wat) checks 16
// bytes per instruction, so the whole decode runs at ~1/2 of memcpy.
//
// WebAssembly reads only its own memory, so the records live there: the
// memcpy that decoding needs anyway is the copy into the kernel's memory.
// Growing that memory detaches its old ArrayBuffer, so the views are
// replaced on growth, just as growing JS arrays are replaced. There is one
// kernel, so one wasm memory, per DecodedMessage: one per plane connection.

import { POSITIONS_WASM_BASE64 } from './positions-wasm.js';

const PAGE = 65536;

type FiniteFn = (src: number, n: number) => number;

// The slice of the WebAssembly API used here. The main-process tsconfig has no
// DOM lib (where its types live), and the kernel needs only this much.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: WasmModule | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is unavailable (then the JS check runs). */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    compiled = null;
    if (wasm !== undefined) {
      const bytes = Uint8Array.from(atob(POSITIONS_WASM_BASE64), (c) => c.charCodeAt(0));
      // validate() is false on engines without SIMD; a few hundred bytes compile synchronously in microseconds.
      if (wasm.validate(bytes)) compiled = new wasm.Module(bytes);
    }
  }
  return compiled;
}

/** True when this runtime can run the SIMD kernel. */
export function simdKernelAvailable(): boolean {
  return kernelModule() !== null;
}

/** Record storage in the kernel's own memory, from byte 0. */
export class PositionKernel {
  /** The whole memory as bytes, floats and words (views replaced on growth). */
  bytes = new Uint8Array(0);
  f32 = new Float32Array(0);
  u32 = new Uint32Array(0);
  private readonly memory: WasmMemory;
  private readonly run: FiniteFn;

  private constructor(module: WasmModule) {
    const exports = new wasm!.Instance(module, {}).exports as { memory: WasmMemory; finite: FiniteFn };
    this.memory = exports.memory;
    this.run = exports.finite;
    this.views();
  }

  /** A kernel with its own memory, or null where SIMD is unavailable. */
  static create(): PositionKernel | null {
    const module = kernelModule();
    return module === null ? null : new PositionKernel(module);
  }

  /** Room for `byteLength` bytes of records; what is stored stays where it is. */
  reserve(byteLength: number): void {
    const have = this.memory.buffer.byteLength;
    if (byteLength <= have) return;
    this.memory.grow(Math.ceil((byteLength - have) / PAGE));
    this.views();
  }

  /**
   * 0 when every coordinate of the `count` records at byte `at` is finite,
   * 1 when one may not be (an overflowing sum; see positions.wat): the
   * caller then checks exactly.
   */
  finite(at: number, count: number): number {
    return this.run(at, count);
  }

  private views(): void {
    const buf = this.memory.buffer;
    this.bytes = new Uint8Array(buf);
    this.f32 = new Float32Array(buf);
    this.u32 = new Uint32Array(buf);
  }
}
