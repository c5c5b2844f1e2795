// What browser mode needs of the running core, as narrow interfaces (ports):
// app/ passes its SwarmCore and the contract's handlers (app/serve-contract.ts)
// in, so host never imports app/ (imports point down only).

import type { FrameMessage } from '../../../shared/index.js';

/** A page's view of the core: the frames it is sent, closed with the page's socket. */
export interface PageView {
  /** Counts a message from this page that the host refused (shown in the view's stats). */
  readonly pipeline: { noteRejected(): void };
  close(): void;
}

/** Opens a view per page; `sink` gets its frames. */
export interface HostCore<V extends PageView> {
  openView(sink: (frame: FrameMessage) => void): V;
}

/** The channel table's handlers: the host hands each page message here with the page's view. */
export interface HostContract<V extends PageView> {
  /** True when `channel` is a request of the table (the host must send a reply). */
  isRequest(channel: unknown): boolean;
  /** Answers one request; rejects with an error naming the field for a bad one. */
  request(view: V, channel: unknown, payload: unknown): Promise<unknown>;
  /** One fire-and-forget message (ack); throws for a bad one. */
  message(view: V, channel: unknown, payload: unknown): void;
}
