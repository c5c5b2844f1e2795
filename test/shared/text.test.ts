import { describe, expect, it } from 'vitest';
import { neutraliseText } from '../../shared/text.js';

describe('neutraliseText', () => {
  it('replaces bidi overrides, isolates and marks with visible escapes', () => {
    expect(neutraliseText('agent-\u202Egnp.exe')).toBe('agent-\u2039U+202E\u203agnp.exe');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']) {
      expect(neutraliseText(`a${c}b`)).toMatch(/^a\u2039U\+[0-9A-F]{4}\u203ab$/);
    }
  });
  it('replaces C0 and C1 controls; keeps tab and newline only when multiline', () => {
    expect(neutraliseText('a\u0000b\u001bc\u0085d')).toBe('a\u2039U+0000\u203ab\u2039U+001B\u203ac\u2039U+0085\u203ad');
    expect(neutraliseText('a\tb\nc')).toBe('a\u2039U+0009\u203ab\u2039U+000A\u203ac');
    expect(neutraliseText('a\tb\nc', { multiline: true })).toBe('a\tb\nc');
  });
  it('leaves ordinary text, including right-to-left letters, alone', () => {
    for (const t of ['agent-0042', 'שלום', 'مرحبا', 'naïve — “quoted”', '']) expect(neutraliseText(t)).toBe(t);
  });
});
