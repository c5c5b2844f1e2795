// Every control-plane string shown to the operator passes through here:
// bidi and control characters become visible escapes (neutraliseText), and
// React renders the result as a text node, never as markup.

import { neutraliseText } from '@shared';

/** One line of plane-supplied text, safe to show. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  return neutraliseText(typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
}

/** Multi-line plane-supplied text (logs): newlines and tabs kept. */
export function showBlock(v: string): string {
  return neutraliseText(v, { multiline: true });
}
