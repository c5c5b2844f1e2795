// A control plane that shares no code with our simulator and sends no
// positions: it speaks only the handshake and JSON agent events (as a
// control-plane-only plane does), so the console has to lay it out itself.
// Test-only; loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface JsonPlane {
  url: string;
  /** Agents announced so far (agent-001 ...), with their namespaces. */
  agents: { id: string; namespace: string }[];
  /** Announces agents in the given namespaces (round robin). */
  announce(count: number, namespaces: readonly string[]): void;
  stop(): Promise<void>;
}

const PATHS = ['/api/visualisation/agents/ws', '/api/graph/ws', '/api/control/ws'];

export async function startJsonPlane(): Promise<JsonPlane> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const live = new Set<WebSocket>();
  const agents: { id: string; namespace: string }[] = [];
  let msg = 0;
  const event = (a: { id: string; namespace: string }): string =>
    JSON.stringify({
      id: `m-${++msg}`,
      type: 'agent.state.changed',
      timestamp: new Date().toISOString(),
      payload: { agentId: a.id, previousState: 'IDLE', newState: msg % 3 === 0 ? 'EXECUTING' : 'IDLE', reason: 'announce', metadata: { namespace: a.namespace } },
    });
  http.on('upgrade', (req, socket, head) => {
    if (!PATHS.includes(new URL(req.url ?? '/', 'http://x').pathname)) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => {
        let m: { type?: string };
        try {
          m = JSON.parse(String(data)) as { type?: string };
        } catch {
          return;
        }
        if (m.type === 'handshake') {
          ws.send(JSON.stringify({ type: 'handshake_ack', sessionId: `s-${Math.random()}`, protocols: ['json'], heartbeatInterval: 30_000, compression: null, serverTime: new Date().toISOString() }));
        } else if (m.type === 'version.negotiate') {
          ws.send(JSON.stringify({ type: 'version.negotiate', supported: ['1.0'], selected: '1.0' }));
          // Agent events go on the agents endpoint only.
          if (req.url?.startsWith(PATHS[0]!)) {
            live.add(ws);
            for (const a of agents) ws.send(event(a));
          }
        } else if (m.type === 'heartbeat') {
          ws.send(JSON.stringify({ type: 'heartbeat', timestamp: new Date().toISOString() }));
        }
      });
      ws.on('close', () => live.delete(ws));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    agents,
    announce(count, namespaces) {
      const fresh = [];
      for (let i = 0; i < count; i++) {
        const a = { id: `agent-${String(agents.length + 1).padStart(3, '0')}`, namespace: namespaces[agents.length % namespaces.length]! };
        agents.push(a);
        fresh.push(a);
      }
      for (const ws of live) for (const a of fresh) ws.send(event(a));
    },
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
