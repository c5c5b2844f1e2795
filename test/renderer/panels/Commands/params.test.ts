import { describe, expect, it } from 'vitest';
import { parseParams } from '../../../../renderer/src/panels/Commands/params.js';

describe('command parameters as typed by an operator', () => {
  it('reads key=value lines with numbers and booleans', () => {
    expect(parseParams('delay_seconds=10\nforce=true\nname = web search \n\nratio=0.5')).toEqual({
      ok: true,
      value: { delay_seconds: 10, force: true, name: 'web search', ratio: 0.5 },
    });
  });
  it('reads a JSON object', () => {
    expect(parseParams('{"tool":"web_search","maxResults":10}')).toEqual({ ok: true, value: { tool: 'web_search', maxResults: 10 } });
  });
  it('treats empty as no parameters', () => {
    expect(parseParams('  \n ')).toEqual({ ok: true, value: {} });
  });
  it.each([
    ['{"a":', /not valid JSON/],
    ['[1,2]', /line 1: expected key=value/],
    ['{"a":1} extra', /not valid JSON/],
    ['a=1\nnonsense', /line 2: expected key=value, got "nonsense"/],
    ['=5', /line 1/],
    ['__proto__=1', /not allowed/],
  ])('rejects %j with a clear error', (text, error) => {
    const r = parseParams(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});
