// Child: the renderer side of the link, doing what the page's bridge does
// on each frame (typed: unpack + validate against the contract; naive:
// JSON.parse), recording arrival-to-delivery latency, then acknowledging.
import WebSocket from 'ws';
import { FrameMessageSchema, IPC_CHANNELS, parseOrThrow } from '../../../shared/contract/index.js';
import { unpackMessage } from '../../../shared/wire.js';
import { now, onParent, send } from './messages.js';

const [mode, url, ipcUrl] = process.argv.slice(2) as ['typed' | 'naive', string, string | undefined];
let recording = false;
let frames = 0;
let bytes = 0;
let rejected = 0;
let agentUpdates = 0;
const latencies: number[] = [];

const ws =
  mode === 'typed'
    ? new WebSocket(ipcUrl ?? '', { origin: url, perMessageDeflate: false })
    : new WebSocket(url, { perMessageDeflate: false });
ws.binaryType = 'arraybuffer';
ws.on('open', () => {
  if (mode === 'typed') ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 }));
  send({ kind: 'ready' });
});
ws.on('message', (data: ArrayBuffer | Buffer) => {
  if (mode === 'typed') {
    const m = unpackMessage(data as ArrayBuffer);
    if (m.channel !== IPC_CHANNELS.frame) return;
    let f;
    try {
      f = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, m.payload);
    } catch (e) {
      rejected++;
      if (rejected <= 3) console.error(`consumer: rejected a frame: ${e instanceof Error ? e.message : String(e)}`);
      // Free the core's in-flight slot anyway, as the page's bridge does.
      const seq = (m.payload as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq } }));
      return;
    }
    const at = now();
    if (recording) {
      frames++;
      bytes += (data as ArrayBuffer).byteLength;
      for (const p of f.positions) {
        if (p.receivedAt > 0) latencies.push(at - p.receivedAt);
        agentUpdates += p.ids.length;
      }
    }
    ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: f.seq } }));
  } else {
    const text = String(data);
    const f = JSON.parse(text) as { seq: number; planes: { receivedAt: number; agents: unknown[] }[] };
    const at = now();
    if (recording) {
      frames++;
      bytes += text.length;
      for (const p of f.planes) {
        latencies.push(at - p.receivedAt);
        agentUpdates += p.agents.length;
      }
    }
    ws.send(JSON.stringify({ ack: f.seq }));
  }
});
onParent((m) => {
  if (m.cmd === 'measure-start') recording = true;
  else if (m.cmd === 'measure-stop') {
    recording = false;
    send({ kind: 'consumer', frames, latencies, bytes, agentUpdates, rejected });
  } else if (m.cmd === 'exit') process.exit(0);
});
