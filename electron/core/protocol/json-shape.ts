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

/**
 * Null when `v` is plain JSON no deeper than `maxDepth`, else the path of the
 * first offending value. Iterative: arbitrarily deep input cannot overflow the stack.
 */
export function jsonProblem(v: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: [unknown, string, number][] = [[v, '', 0]];
  while (stack.length > 0) {
    const [x, path, depth] = stack.pop()!;
    switch (typeof x) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(x)) return `${path || '(root)'}: not a finite number`;
        continue;
      case 'object': {
        if (x === null) continue;
        if (depth >= maxDepth) return `${path || '(root)'}: nested deeper than ${maxDepth}`;
        if (Array.isArray(x)) {
          for (let i = 0; i < x.length; i++) stack.push([x[i], path ? `${path}.${i}` : String(i), depth + 1]);
          continue;
        }
        const proto: unknown = Object.getPrototypeOf(x);
        if (proto !== Object.prototype && proto !== null) return `${path || '(root)'}: not a plain object`;
        for (const k of Object.keys(x)) stack.push([(x as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1]);
        continue;
      }
      default:
        return `${path || '(root)'}: not a JSON value (${typeof x})`;
    }
  }
  return null;
}
