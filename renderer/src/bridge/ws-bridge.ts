// Browser mode's side of the IPC contract: the same SwarmdeckBridge the
// Electron preload exposes, carried over a WebSocket to the host that served
// this page. Frames arrive as one binary message each (electron/core/ipc/wire.ts)
// and are validated against the contract before anything sees them.

import {
  AgentDetailSchema,
  AppInfoSchema,
  CommandResultSchema,
  FrameMessageSchema,
  IPC_CHANNELS,
  parseOrThrow,
  type FrameMessage,
  type SwarmdeckBridge,
} from '../../../electron/core/ipc/contract.js';
import { unpackMessage } from '../../../electron/core/ipc/wire.js';

export interface BridgeDiagnostics {
  /** Messages from the host that failed validation, with the last reason. */
  rejected: number;
  lastRejection: string | null;
}

export function createWsBridge(url: string, diag: BridgeDiagnostics): SwarmdeckBridge {
  const listeners = new Set<(f: FrameMessage) => void>();
  /** Requests awaiting the host's reply, by request id: the reply's channel must match. */
  const pending = new Map<number, { channel: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextRequest = 1;
  let ws: WebSocket;
  const queue: string[] = [];

  const send = (msg: object): void => {
    const text = JSON.stringify(msg);
    if (ws.readyState === WebSocket.OPEN) ws.send(text);
    else queue.push(text);
  };

  const request = (channel: string, p: unknown): Promise<unknown> => {
    const r = nextRequest++;
    return new Promise((resolve, reject) => {
      pending.set(r, { channel, resolve, reject });
      send({ c: channel, r, p });
    });
  };

  const connect = (): void => {
    ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      for (const t of queue.splice(0)) ws.send(t);
    };
    ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
      try {
        if (typeof e.data === 'string') throw new Error('host sent text; expected a packed binary message');
        const { channel, payload } = unpackMessage(e.data);
        if (channel === IPC_CHANNELS.frame) {
          let frame: FrameMessage;
          try {
            frame = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, payload);
          } catch (err) {
            // Free the core's in-flight slot anyway, so one bad frame cannot stall the stream.
            const seq = (payload as { seq?: unknown } | null)?.seq;
            if (typeof seq === 'number') send({ c: IPC_CHANNELS.ack, p: { seq } });
            throw err;
          }
          for (const l of listeners) l(frame);
        } else if (channel === IPC_CHANNELS.hello || channel === IPC_CHANNELS.inspect || channel === IPC_CHANNELS.command) {
          const { r, value } = payload as { r?: unknown; value?: unknown };
          const p = typeof r === 'number' ? pending.get(r) : undefined;
          if (!p || p.channel !== channel) throw new Error(`reply on ${channel} to no request`);
          pending.delete(r as number);
          p.resolve(value);
        } else {
          throw new Error(`unknown channel ${channel}`);
        }
      } catch (err) {
        diag.rejected++;
        diag.lastRejection = err instanceof Error ? err.message : String(err);
        console.warn('swarmdeck: rejected a host message:', diag.lastRejection);
      }
    };
    // The host restarted or the tab slept: reconnect; the core opens a fresh view.
    ws.onclose = () => {
      // Replies to requests on the old socket will never come.
      for (const [r, p] of pending) {
        pending.delete(r);
        p.reject(new Error('connection to the host was lost'));
      }
      setTimeout(connect, 1000);
    };
  };
  connect();

  return {
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ack(seq) {
      send({ c: IPC_CHANNELS.ack, p: { seq } });
    },
    async hello() {
      return parseOrThrow(IPC_CHANNELS.hello, AppInfoSchema, await request(IPC_CHANNELS.hello, undefined));
    },
    async command(cmd) {
      return parseOrThrow(IPC_CHANNELS.command, CommandResultSchema, await request(IPC_CHANNELS.command, cmd));
    },
    async inspect(req) {
      return parseOrThrow(IPC_CHANNELS.inspect, AgentDetailSchema.nullable(), await request(IPC_CHANNELS.inspect, req));
    },
  };
}
