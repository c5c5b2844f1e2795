// Preload (sandboxed, context-isolated): exposes exactly the contract's
// SwarmdeckBridge as window.swarmdeck. It supplies only the transport
// (ipcRenderer); validation is the shared bridge's (shared/bridge.ts), so
// frames and replies are checked before the page sees them.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { type BridgeTransport, createBridge } from '../shared/index.js';

const transport: BridgeTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  send: (channel, payload) => ipcRenderer.send(channel, payload),
  onPush(channel, listener) {
    const handler = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

contextBridge.exposeInMainWorld('swarmdeck', createBridge(transport));
