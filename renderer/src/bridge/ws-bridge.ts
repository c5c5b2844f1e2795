// Browser mode's transport for the contract: one WebSocket to the host that
// served this page. Frames and replies arrive as one packed binary message
// each (shared/wire.ts); the shared bridge (shared/bridge.ts)
// validates them, exactly as the Electron preload's does.

import { type BridgeDiagnostics, type BridgeTransport, createBridge, IPC_CHANNELS, IPC_MAX_PENDING_REQUESTS, type SwarmdeckBridge, unpackMessage } from '@shared';

export type { BridgeDiagnostics };

/** Reconnect delay after the host's socket closes (the host restarted or the tab slept). */
const RECONNECT_MS = 1000;

export function createWsTransport(url: string, diag: BridgeDiagnostics): BridgeTransport {
  const pushListeners = new Map<string, Set<(p: unknown) => void>>();
  /** Requests awaiting the host's reply, by request id: the reply's channel must match. */
  const pending = new Map<number, { channel: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextRequest = 1;
  let ws: WebSocket;
  const queue: string[] = [];
  /** The page's last hello: a reconnected socket is a fresh view in the core, which sends nothing until it hears one. */
  let hello: { payload: unknown } | null = null;
  let opened = false;
  /** Who takes the answer to a hello said again on a reconnected socket (the store: it is a backfill). */
  const rehelloListeners = new Set<(reply: unknown) => void>();

  const sendText = (msg: object): void => {
    const text = JSON.stringify(msg);
    if (ws.readyState === WebSocket.OPEN) ws.send(text);
    else if (queue.length < IPC_MAX_PENDING_REQUESTS) queue.push(text);
  };
  const bad = (why: string): void => {
    diag.rejected++;
    diag.lastRejection = why;
    console.warn('swarmdeck: rejected a host message:', why);
  };

  const onMessage = (data: ArrayBuffer | string): void => {
    if (typeof data === 'string') return bad('host sent text; expected a packed binary message');
    let channel: string;
    let payload: unknown;
    try {
      ({ channel, payload } = unpackMessage(data));
    } catch (err) {
      return bad(err instanceof Error ? err.message : String(err));
    }
    const push = pushListeners.get(channel);
    if (push) {
      for (const l of push) l(payload);
      return;
    }
    const { r, value, c, error } = (payload ?? {}) as { r?: unknown; value?: unknown; c?: unknown; error?: unknown };
    const replyChannel = channel === IPC_CHANNELS.replyError ? c : channel;
    const p = typeof r === 'number' ? pending.get(r) : undefined;
    if (!p || p.channel !== replyChannel) return bad(`reply on ${String(replyChannel)} to no request`);
    pending.delete(r as number);
    if (channel === IPC_CHANNELS.replyError) p.reject(new Error(`the host refused the request: ${String(error)}`));
    else p.resolve(value);
  };

  const connect = (): void => {
    ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      // Again after a reconnect: the same hello (scope included), its reply (a backfill) to the re-hello listeners.
      if (opened && hello) {
        const r = nextRequest++;
        pending.set(r, { channel: IPC_CHANNELS.hello, resolve: (v) => rehelloListeners.forEach((l) => l(v)), reject: () => undefined });
        ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r, p: hello.payload }));
      }
      opened = true;
      for (const t of queue.splice(0)) ws.send(t);
    };
    ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => onMessage(e.data);
    ws.onclose = () => {
      // Replies to requests on the old socket will never come; the core opens a fresh view on reconnect.
      for (const [r, p] of pending) {
        pending.delete(r);
        p.reject(new Error('connection to the host was lost'));
      }
      setTimeout(connect, RECONNECT_MS);
    };
  };
  connect();

  return {
    invoke(channel, p) {
      if (pending.size >= IPC_MAX_PENDING_REQUESTS) return Promise.reject(new Error(`more than ${IPC_MAX_PENDING_REQUESTS} requests pending`));
      if (channel === IPC_CHANNELS.hello) hello = { payload: p };
      const r = nextRequest++;
      return new Promise((resolve, reject) => {
        pending.set(r, { channel, resolve, reject });
        sendText({ c: channel, r, p });
      });
    },
    send(channel, p) {
      sendText({ c: channel, p });
    },
    onRehello(listener) {
      rehelloListeners.add(listener);
      return () => rehelloListeners.delete(listener);
    },
    onPush(channel, listener) {
      let set = pushListeners.get(channel);
      if (!set) pushListeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

export function createWsBridge(url: string, diag: BridgeDiagnostics): SwarmdeckBridge {
  return createBridge(createWsTransport(url, diag), diag);
}
