// The one validating bridge: the contract's SwarmdeckBridge over any
// transport. The Electron preload (ipcRenderer) and browser mode's WebSocket
// (renderer/src/bridge/ws-bridge.ts) each supply only a transport; what is
// validated, and how a bad message is handled, is decided here once. No Node
// or Electron imports: the renderer bundles this file.

import { IPC_REQUEST_TIMEOUT_MS } from './limits.js';
import { CONTRACT, IpcValidationError, parseOrThrow, type FrameMessage, type ChannelSpec, type RequestName, type SwarmdeckBridge } from './contract/index.js';

/** How contract messages move; knows nothing of schemas. */
type RequestChannelSpec = Extract<ChannelSpec, { kind: 'request' }>;

export interface BridgeTransport {
  /** Sends a request and resolves with the raw reply (rejects when the host refuses it or the link is lost). */
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Fire and forget. */
  send(channel: string, payload: unknown): void;
  /** Every raw message the host pushes on `channel`; returns the unsubscribe function. */
  onPush(channel: string, listener: (payload: unknown) => void): () => void;
  /** A transport that reconnects by itself says hello again: the raw answers to those (browser mode). */
  onRehello?(listener: (reply: unknown) => void): () => void;
}

export interface BridgeDiagnostics {
  /** Messages from the host that failed validation, with the last reason. */
  rejected: number;
  lastRejection: string | null;
}

export function createBridge(t: BridgeTransport, diag: BridgeDiagnostics = { rejected: 0, lastRejection: null }): SwarmdeckBridge {
  const reject = (err: unknown): void => {
    diag.rejected++;
    diag.lastRejection = err instanceof Error ? err.message : String(err);
    console.warn('swarmdeck: rejected a host message:', diag.lastRejection);
  };
  const bridge: SwarmdeckBridge = {
    onFrame(listener: (frame: FrameMessage) => void): () => void {
      return t.onPush(CONTRACT.frame.name, (payload) => {
        let frame: FrameMessage;
        try {
          frame = parseOrThrow(CONTRACT.frame.name, CONTRACT.frame.payload, payload);
        } catch (err) {
          reject(err);
          // Free the core's in-flight slot anyway, so one bad frame cannot stall the stream.
          const seq = (payload as { seq?: unknown } | null)?.seq;
          if (typeof seq === 'number' && Number.isInteger(seq) && seq >= 0) t.send(CONTRACT.ack.name, { seq });
          return;
        }
        listener(frame);
      });
    },
    ack(seq: number): void {
      t.send(CONTRACT.ack.name, parseOrThrow(CONTRACT.ack.name, CONTRACT.ack.payload, { seq }));
    },
    async request(name, payload) {
      const spec: RequestChannelSpec = CONTRACT[name as RequestName];
      // Strict in what we send: a malformed request fails here, naming the field, and never leaves.
      const req = parseOrThrow(spec.name, spec.request, payload);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new IpcValidationError(spec.name, '', `no reply within ${IPC_REQUEST_TIMEOUT_MS} ms`)), IPC_REQUEST_TIMEOUT_MS);
      });
      try {
        const raw = await Promise.race([t.invoke(spec.name, req), timeout]);
        try {
          // The table's reply type for this name; TypeScript cannot narrow the union by a generic key.
          return parseOrThrow(spec.name, spec.reply, raw) as never;
        } catch (err) {
          reject(err);
          throw err;
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
  const rehello = t.onRehello?.bind(t);
  if (rehello) {
    bridge.onRehello = (listener) =>
      rehello((raw) => {
        try {
          listener(parseOrThrow(CONTRACT.hello.name, CONTRACT.hello.reply, raw));
        } catch (err) {
          reject(err);
        }
      });
  }
  return bridge;
}
