// The one place a string from the network is cut to a bound: long strings
// and keys of a JSON message (MAX_EVENT_STRING_CHARS, with a marker saying
// how much went), and the excerpts an INVALID_MESSAGE event carries. How a
// string is cut is decided here and nowhere else.

import { MAX_EVENT_STRING_CHARS } from '../../../shared/index.js';

/** The first `max` characters of `text`, for an excerpt in a report. */
export function excerpt(text: string, max: number): string {
  return text.slice(0, max);
}

/** What replaces the cut part of a long string. */
export function truncationMarker(cutChars: number): string {
  return `…[${cutChars} more characters not kept]`;
}

/** `v` cut to `max` characters (never inside a surrogate pair), the marker saying how many went. */
export function cutString(v: string, max: number): string {
  // Never split a surrogate pair: the result must stay valid UTF-16.
  let end = max;
  const c = v.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return v.slice(0, end) + truncationMarker(v.length - end);
}

/**
 * `v` as a string to keep beside an event for long (an alert's message, a
 * round's status): cut to `max` characters with the marker, and then copied,
 * because a cut string (a V8 slice) keeps its whole parent alive.
 */
export function keptString(v: string, max: number): string {
  if (v.length <= max) return v;
  return Buffer.from(cutString(v, max), 'utf8').toString('utf8');
}

/**
 * Cuts every string and key in plain JSON `v` longer than `max` (in place)
 * and returns how many it cut. Iterative, like jsonProblem; `v` must have passed it.
 */
export function truncateStrings(v: unknown, max = MAX_EVENT_STRING_CHARS): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const e: unknown = x[i];
        if (typeof e === 'string') {
          if (e.length > max) {
            x[i] = cutString(e, max);
            n++;
          }
        } else if (typeof e === 'object' && e !== null) stack.push(e);
      }
      continue;
    }
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      let key = k;
      if (k.length > max) {
        key = cutString(k, max);
        Object.defineProperty(o, key, { value: o[k], enumerable: true, writable: true, configurable: true });
        delete o[k];
        n++;
      }
      const e = o[key];
      if (typeof e === 'string') {
        if (e.length > max) {
          o[key] = cutString(e, max);
          n++;
        }
      } else if (typeof e === 'object' && e !== null) stack.push(e);
    }
  }
  return n;
}

/** A quick upper bound: no string in `text` can be longer than the text. */
export const mayHaveLongStrings = (text: string | undefined): boolean => text === undefined || text.length > MAX_EVENT_STRING_CHARS;
