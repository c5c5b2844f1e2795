// An event's estimated size (its JSON length, computed once however many
// views and logs hold it) and the stub an oversized event is kept and sent
// as (one per event, shared by all), so no structure holds a huge event whole.

import { MAX_EVENT_BYTES, type PlaneEvent } from '../../../shared/index.js';

const sizes = new WeakMap<PlaneEvent, number>();

/** Estimated JSON bytes of `ev`. */
export function eventBytes(ev: PlaneEvent): number {
  let n = sizes.get(ev);
  if (n === undefined) {
    n = JSON.stringify(ev).length;
    sizes.set(ev, n);
  }
  return n;
}

const stubs = new WeakMap<PlaneEvent, PlaneEvent>();

/** `ev` without its payload, which says how large it was (`payload.oversized`). */
export function oversizedStub(ev: PlaneEvent, bytes = eventBytes(ev), limit = MAX_EVENT_BYTES): PlaneEvent {
  let s = stubs.get(ev);
  if (!s) {
    const { payload: _payload, ...rest } = ev;
    s = { ...rest, payload: { oversized: true, bytes, limit, message: `event of about ${bytes} bytes not shown (limit ${limit})` } };
    stubs.set(ev, s);
  }
  return s;
}
