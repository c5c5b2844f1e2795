// The one place a string from the network is cut to a bound: long strings
// and keys of a JSON message (MAX_EVENT_STRING_CHARS, with a marker saying
// how much went), and the excerpts an INVALID_MESSAGE event carries. How a
// string is cut is decided here and nowhere else.
//
// Every string returned here is a flat copy. In V8 a cut string (`slice`,
// `substring`) is a view that keeps its whole parent alive: 100 characters
// kept from a 60 KB message hold the 60 KB. Outside this file no code on the
// intake path (protocol/, connection/, store/, monitor/) slices a string it
// keeps (test/protocol/string-copy.test.ts scans for it).

import { MAX_EVENT_STRING_CHARS } from '../../../shared/index.js';

/**
 * A flat copy of `s`, sharing no memory with any other string. Through JSON so
 * that lone surrogates (which JSON.parse lets through) survive unchanged.
 */
export function flatCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** The first `max` characters of `text` (never splitting a surrogate pair), copied, for an excerpt in a report. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  return flatCopy(text.slice(0, pairSafeEnd(text, max)));
}

function pairSafeEnd(v: string, max: number): number {
  const c = v.charCodeAt(max - 1);
  return c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
}

/** What replaces the cut part of a long string. */
export function truncationMarker(cutChars: number): string {
  return `…[${cutChars} more characters not kept]`;
}

/** `v` cut to `max` characters (never inside a surrogate pair), the marker saying how many went; a flat copy. */
export function cutString(v: string, max: number): string {
  // Never split a surrogate pair: the result must stay valid UTF-16.
  const end = pairSafeEnd(v, max);
  return flatCopy(v.slice(0, end) + truncationMarker(v.length - end));
}

/**
 * THE helper for a string from a plane that is kept (an event's text, a
 * status reason, agent metadata, a namespace, a conformance note, an
 * alert's message): at most `max` characters, cut with the marker, and a
 * flat copy not retaining its parent. A string within the bound is returned
 * as is only when `fresh` says it is already a whole string of its own (a
 * JSON.parse value); otherwise it is copied too.
 */
export function keptString(v: string, max: number, opts: { fresh?: boolean } = {}): string {
  if (v.length <= max) return opts.fresh === true ? v : flatCopy(v);
  return cutString(v, max);
}

/** `v` at most `max` characters with a trailing ellipsis when cut (a quote in a note); a flat copy. */
export function quotedString(v: string, max: number): string {
  if (v.length <= max) return flatCopy(v);
  return flatCopy(`${v.slice(0, pairSafeEnd(v, max))}…`);
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
