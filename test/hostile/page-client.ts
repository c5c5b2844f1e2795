// A page of browser mode as the host sees it: the /ipc socket with the
// page's Origin and this run's token, frames decoded and validated with the
// contract, acknowledged or (to play a stalled tab) not.

import WebSocket from 'ws';
import { AgentDetailSchema, AppInfoSchema, type FrameMessage, FrameMessageSchema, IPC_CHANNELS } from '../../shared/contract/index.js';
import type { PlaneStatus } from '../../shared/index.js';
import type { PlaneEvent } from '../../shared/events.js';
import { unpackMessage } from '../../shared/wire.js';

export interface PageClient {
  ws: WebSocket;
  frames: number;
  /** Largest frame message received, bytes. */
  maxFrameBytes: number;
  lastFrame: FrameMessage | null;
  /** The plane statuses of the last frame (what `window.__swarmdeck.planes()` returns). */
  planes(): PlaneStatus[];
  /** Events whose JSON matches `re`, as they arrive (the caller resets it). */
  matched: PlaneEvent[];
  acking: boolean;
  request(channel: string, p: unknown, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

/** `openUrl` is the printed `http://127.0.0.1:PORT/#token=...`. */
export async function openPage(openUrl: string, opts: { ack?: boolean; match?: RegExp } = {}): Promise<PageClient> {
  const u = new URL(openUrl);
  const token = new URLSearchParams(u.hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`ws://${u.host}/ipc?token=${encodeURIComponent(token)}`, { origin: u.origin, maxPayload: 256 * 1024 * 1024 });
  ws.binaryType = 'arraybuffer';
  // A reply is matched by id and channel: a raw test message may reuse an id this client also uses.
  const pending = new Map<number, { channel: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  // Ids far from the small ones raw test messages carry (fuzzed ones included), so their replies and refusals are never taken for ours.
  let r = 2 ** 40 + Math.floor(Math.random() * 2 ** 20);
  const c: PageClient = {
    ws,
    frames: 0,
    maxFrameBytes: 0,
    lastFrame: null,
    planes: () => c.lastFrame?.planes ?? [],
    matched: [],
    acking: opts.ack ?? true,
    request(channel, p, timeoutMs = 10_000) {
      const id = r++;
      return new Promise((resolve, reject) => {
        if (ws.readyState !== ws.OPEN) return reject(new Error(`${channel}: socket not open`));
        const t = setTimeout(() => reject(new Error(`${channel} not answered in ${timeoutMs} ms`)), timeoutMs);
        pending.set(id, { channel, resolve: (v) => (clearTimeout(t), resolve(v)), reject: (e) => (clearTimeout(t), reject(e)) });
        ws.send(JSON.stringify({ c: channel, r: id, p }));
      });
    },
    close: () => ws.terminate(),
  };
  ws.on('message', (data: ArrayBuffer) => {
    const m = unpackMessage(data);
    if (m.channel === IPC_CHANNELS.frame) {
      const f = FrameMessageSchema.parse(m.payload);
      c.frames++;
      c.maxFrameBytes = Math.max(c.maxFrameBytes, data.byteLength);
      c.lastFrame = { ...f, positions: [] }; // the arrays view this message: keep only what tests read
      if (opts.match) for (const ev of f.events) if (opts.match.test(JSON.stringify(ev.payload))) c.matched.push(ev);
      if (c.acking) ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: f.seq } }));
      return;
    }
    if (m.channel === IPC_CHANNELS.replyError) {
      const { c: channel, r: id, error } = m.payload as { c: unknown; r: number; error: string };
      const p = pending.get(id);
      if (p && p.channel === channel) {
        pending.delete(id);
        p.reject(new Error(`${String(channel)} refused: ${error}`));
      }
      return;
    }
    const { r: id, value } = m.payload as { r: number; value: unknown };
    const p = pending.get(id);
    if (!p || p.channel !== m.channel) return;
    if (m.channel === IPC_CHANNELS.inspect && value !== null) AgentDetailSchema.parse(value);
    if (m.channel === IPC_CHANNELS.hello) AppInfoSchema.parse(value);
    pending.delete(id);
    p.resolve(value);
  });
  ws.on('error', () => undefined);
  // A request on a socket the host closed is answered by the close, not by its timeout.
  ws.on('close', (code) => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new Error(`${p.channel}: socket closed (${code}) before a reply`));
    }
  });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('unexpected-response', (_q, resp) => rej(new Error(`ipc refused: ${resp.statusCode}`)));
  });
  await c.request(IPC_CHANNELS.hello, undefined);
  return c;
}
