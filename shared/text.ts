// Strings from a control plane are shown to operators (the UI, `tail`). Bidi
// overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E,
// U+200F, U+061C) and C0/C1 control characters could reorder or hide the
// app's own text next to them, so they are shown as visible escapes instead.

const BIDI_AND_C1 = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** Every control character but tab and newline, and every bidi control. */
const UNSAFE_MULTILINE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${BIDI_AND_C1}]`, 'g');
/** The same, and tab and newline too. */
const UNSAFE_SINGLE_LINE = new RegExp(`[\\u0000-\\u001f${BIDI_AND_C1}]`, 'g');

function escape(c: string): string {
  return `\u2039U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}\u203a`;
}

/**
 * `text` with every bidi and control character replaced by a visible escape
 * such as ‹U+202E›. With `multiline`, tab and newline are kept.
 */
export function neutraliseText(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE_MULTILINE : UNSAFE_SINGLE_LINE, escape);
}
