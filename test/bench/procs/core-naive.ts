// Child: the naive baseline over the same link. Decodes position frames
// into one object per agent and ships every plane's agents to the consumer as
// JSON objects, with the same flow control as the product (one frame in
// flight, latest wins, 60 Hz). What the typed-array path is measured against.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { ENDPOINTS, FrameType, MAGIC_LE } from '../../../electron/core/protocol/constants.js';
import { now, onParent, send } from './messages.js';

interface Agent {
  id: number;
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
  state: number;
}
interface NaivePlane {
  plane: string;
  agents: Map<number, Agent>;
  receivedAt: number;
  dirty: boolean;
  messages: number;
  superseded: number;
}

const urls = JSON.parse(process.argv[2]!) as string[];
const planes: NaivePlane[] = urls.map((url, i) => {
  const p: NaivePlane = { plane: `plane-${i + 1}`, agents: new Map(), receivedAt: 0, dirty: false, messages: 0, superseded: 0 };
  const ws = new WebSocket(url + ENDPOINTS.agents, { headers: { 'X-Client-Version': '0.1.0', 'X-Requested-Protocols': 'binary,json' }, perMessageDeflate: false });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'handshake', version: '0.1.0', capabilities: ['binary'], clientId: `naive-${i}`, timestamp: new Date().toISOString() })));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const at = now();
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let off = 0;
    while (off + 8 <= data.byteLength && v.getUint32(off, true) === MAGIC_LE) {
      const type = data[off + 4]!;
      const len = v.getUint16(off + 6, true);
      const body = off + 8;
      if (type === FrameType.POSITION_UPDATE) {
        const count = v.getUint32(body, true);
        for (let k = 0, o = body + 4; k < count; k++, o += 28) {
          const id = v.getUint32(o, true);
          const prev = p.agents.get(id);
          // The naive way: a fresh object per agent per message.
          p.agents.set(id, {
            id,
            x: v.getFloat32(o + 4, true),
            y: v.getFloat32(o + 8, true),
            z: v.getFloat32(o + 12, true),
            vx: v.getFloat32(o + 16, true),
            vy: v.getFloat32(o + 20, true),
            vz: v.getFloat32(o + 24, true),
            state: prev?.state ?? 255,
          });
        }
      } else if (type === FrameType.STATE_BATCH) {
        const count = v.getUint32(body, true);
        for (let k = 0, o = body + 4; k < count; k++) {
          const id = v.getUint32(o, true);
          const a = p.agents.get(id);
          if (a) a.state = data[o + 4]!;
          o += 8 + v.getUint16(o + 6, true);
        }
      }
      off = body + len;
    }
    if (p.dirty) p.superseded++;
    p.dirty = true;
    p.receivedAt = at;
    p.messages++;
  });
  return p;
});

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise((r) => wss.once('listening', r));
const addr = wss.address();
send({ kind: 'ready', url: `ws://127.0.0.1:${addr && typeof addr === 'object' ? addr.port : 0}` });

let seq = 0;
let framesSent = 0;
let inFlight = false;
let consumer: WebSocket | null = null;
wss.on('connection', (ws) => {
  consumer = ws;
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { ack?: number };
    if (typeof m.ack === 'number') {
      inFlight = false;
      flush();
    }
  });
});
function flush(): void {
  if (!consumer || inFlight) return;
  const changed = planes.filter((p) => p.dirty);
  if (changed.length === 0) return;
  const frame = { seq: seq++, planes: changed.map((p) => ({ plane: p.plane, receivedAt: p.receivedAt, agents: [...p.agents.values()] })) };
  for (const p of changed) p.dirty = false;
  inFlight = true;
  framesSent++;
  consumer.send(JSON.stringify(frame));
}
setInterval(flush, 1000 / 60);

let start: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; t: number; frames: number; sup: number; pos: number } | null = null;
const totals = () => ({ frames: framesSent, sup: planes.reduce((n, p) => n + p.superseded, 0), pos: planes.reduce((n, p) => n + p.messages, 0) });
const loop = monitorEventLoopDelay({ resolution: 1 });
onParent((m) => {
  if (m.cmd === 'measure-start') {
    loop.reset();
    loop.enable();
    start = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), t: performance.now(), ...totals() };
  } else if (m.cmd === 'measure-stop' && start) {
    const cpu = process.cpuUsage(start.cpu);
    const t = totals();
    send({
      kind: 'core',
      cpuMs: (cpu.user + cpu.system) / 1000,
      elu: performance.eventLoopUtilization(start.elu).utilization,
      framesSent: t.frames - start.frames,
      supersededPositions: t.sup - start.sup,
      positionMessages: t.pos - start.pos,
      windowMs: performance.now() - start.t,
      loopDelayP99: loop.percentile(99) / 1e6,
      loopDelayMax: loop.max / 1e6,
    });
    loop.disable();
  } else if (m.cmd === 'exit') {
    process.exit(0);
  }
});
