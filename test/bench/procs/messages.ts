// Parent ↔ child messages of the ingest benchmark (over fork()'s IPC channel).

export type ToChild = { cmd: 'measure-start' } | { cmd: 'measure-stop' } | { cmd: 'exit' };

export interface CoreReport {
  kind: 'core';
  /** CPU ms (user + system) of the core process during the window. */
  cpuMs: number;
  /** Event-loop utilisation of the core's main thread during the window, 0..1. */
  elu: number;
  framesSent: number;
  supersededPositions: number;
  positionMessages: number;
  windowMs: number;
  /** Event-loop delay p99 / max in the window, ms: the longest the main thread could not take other work. */
  loopDelayP99: number;
  loopDelayMax: number;
}

export interface ConsumerReport {
  kind: 'consumer';
  frames: number;
  /** Arrival on the core's socket → delivery to the consumer, ms, one per plane frame. */
  latencies: number[];
  bytes: number;
  /** Agent positions delivered (summed over frames). */
  agentUpdates: number;
  rejected: number;
}

export type FromChild = { kind: 'ready'; url?: string; urls?: string[] } | CoreReport | ConsumerReport | { kind: 'error'; message: string };

export function send(msg: FromChild): void {
  process.send?.(msg);
}

export const now = (): number => performance.timeOrigin + performance.now();

export function onParent(handler: (m: ToChild) => void): void {
  process.on('message', (m) => handler(m as ToChild));
  process.on('disconnect', () => process.exit(0));
}
