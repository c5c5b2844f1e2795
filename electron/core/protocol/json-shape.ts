// Plain JSON no deeper than MAX_JSON_DEPTH: judged from the text before it is
// parsed (deep nesting is slow to parse or overflows), and of a value already
// parsed (only plain objects, arrays and finite numbers).

import { MAX_JSON_DEPTH } from '../../../shared/index.js';

/**
 * True when JSON `text` nests containers deeper than `max`, judged from the
 * text alone (brackets outside strings), in one pass: JSON.parse of deep
 * nesting is slow (about 9 ms for 20,000 levels) or overflows, so deep input
 * is refused before parsing. Malformed text is left to JSON.parse to reject.
 */
export function textNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** A value met on the walk: its parent's entry and its key there (the path is spelled only for a problem). */
interface Entry {
  readonly v: unknown;
  readonly parent: Entry | null;
  readonly key: string | number;
  readonly depth: number;
}

function pathOf(e: Entry): string {
  const keys: (string | number)[] = [];
  for (let x: Entry | null = e; x?.parent; x = x.parent) keys.push(x.key);
  return keys.length === 0 ? '(root)' : keys.reverse().join('.');
}

/**
 * Null when `v` is plain JSON no deeper than `maxDepth`, else the path of the
 * first offending value. Iterative: arbitrarily deep input cannot overflow the
 * stack. Every message passes here, so no path is built unless one is reported.
 */
export function jsonProblem(v: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: Entry[] = [{ v, parent: null, key: '', depth: 0 }];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const x = e.v;
    switch (typeof x) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(x)) return `${pathOf(e)}: not a finite number`;
        continue;
      case 'object': {
        if (x === null) continue;
        if (e.depth >= maxDepth) return `${pathOf(e)}: nested deeper than ${maxDepth}`;
        if (Array.isArray(x)) {
          for (let i = 0; i < x.length; i++) stack.push({ v: x[i], parent: e, key: i, depth: e.depth + 1 });
          continue;
        }
        const proto: unknown = Object.getPrototypeOf(x);
        if (proto !== Object.prototype && proto !== null) return `${pathOf(e)}: not a plain object`;
        for (const k of Object.keys(x)) stack.push({ v: (x as Record<string, unknown>)[k], parent: e, key: k, depth: e.depth + 1 });
        continue;
      }
      default:
        return `${pathOf(e)}: not a JSON value (${typeof x})`;
    }
  }
  return null;
}
