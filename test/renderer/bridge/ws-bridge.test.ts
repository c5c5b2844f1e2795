import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, packMessage } from '@shared';
import { createWsTransport } from '../../../renderer/src/bridge/ws-bridge.js';

/** A WebSocket the test drives: what the page sends, and open / message / close from the host's side. */
class FakeSocket {
  static all: FakeSocket[] = [];
  static readonly OPEN = 1;
  readyState = 0;
  binaryType = '';
  sent: { c: string; r?: number; p?: unknown }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer | string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as { c: string });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  reply(channel: string, payload: unknown): void {
    const bytes = packMessage(channel, payload);
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.();
  }
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeSocket.all = [];
});

describe('the browser-mode transport', () => {
  it('says hello again, with the same scope, on a reconnected socket (a fresh view in the core), and hands its reply (a backfill) to the re-hello listeners', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const diag = { rejected: 0, lastRejection: null };
    const t = createWsTransport('ws://host/ipc', diag);
    const rehellos: unknown[] = [];
    t.onRehello!((r) => rehellos.push(r));
    const first = FakeSocket.all[0]!;
    first.open();
    const scope = { planes: ['plane-2'] };
    const reply = t.invoke(IPC_CHANNELS.hello, scope);
    expect(first.sent).toEqual([{ c: IPC_CHANNELS.hello, r: 1, p: scope }]);
    first.reply(IPC_CHANNELS.hello, { r: 1, value: { ok: 1 } });
    await expect(reply).resolves.toEqual({ ok: 1 });

    first.close();
    await vi.advanceTimersByTimeAsync(1500);
    const second = FakeSocket.all[1]!;
    second.open();
    expect(second.sent).toEqual([{ c: IPC_CHANNELS.hello, r: 2, p: scope }]);
    second.reply(IPC_CHANNELS.hello, { r: 2, value: { ok: 2 } });
    expect(diag.rejected).toBe(0);
    // The page's own hello answered its own promise; only the transport's second one goes to the listeners.
    expect(rehellos).toEqual([{ ok: 2 }]);
    // A first socket never sends a hello of its own: the page does, when it has subscribed.
    createWsTransport('ws://host/ipc', diag);
    FakeSocket.all.at(-1)!.open();
    expect(FakeSocket.all.at(-1)!.sent).toEqual([]);
  });
});
