// Preload (sandboxed, context-isolated): exposes exactly the contract's
// SwarmdeckBridge as window.swarmdeck. Frames are validated here, before the
// page sees them; each listener gets an unsubscribe function back.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  AgentDetailSchema,
  AppInfoSchema,
  CommandResultSchema,
  FrameMessageSchema,
  IPC_CHANNELS,
  parseOrThrow,
  type FrameMessage,
  type SwarmdeckBridge,
} from './core/ipc/contract.js';

const bridge: SwarmdeckBridge = {
  onFrame(listener: (frame: FrameMessage) => void): () => void {
    const handler = (_e: IpcRendererEvent, payload: unknown): void => {
      let frame: FrameMessage;
      try {
        frame = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, payload);
      } catch (err) {
        console.warn(`swarmdeck: ${err instanceof Error ? err.message : String(err)}`);
        // Free the core's in-flight slot anyway, so one bad frame cannot stall the stream.
        const seq = (payload as { seq?: unknown } | null)?.seq;
        if (typeof seq === 'number') ipcRenderer.send(IPC_CHANNELS.ack, { seq });
        return;
      }
      listener(frame);
    };
    ipcRenderer.on(IPC_CHANNELS.frame, handler);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.frame, handler);
    };
  },
  ack(seq: number): void {
    ipcRenderer.send(IPC_CHANNELS.ack, { seq });
  },
  async hello() {
    return parseOrThrow(IPC_CHANNELS.hello, AppInfoSchema, await ipcRenderer.invoke(IPC_CHANNELS.hello));
  },
  async command(cmd) {
    return parseOrThrow(IPC_CHANNELS.command, CommandResultSchema, await ipcRenderer.invoke(IPC_CHANNELS.command, cmd));
  },
  async inspect(req) {
    return parseOrThrow(IPC_CHANNELS.inspect, AgentDetailSchema.nullable(), await ipcRenderer.invoke(IPC_CHANNELS.inspect, req));
  },
};

contextBridge.exposeInMainWorld('swarmdeck', bridge);
