// Durations on the command line (500ms, 10s, 2m, 1h): one parser for every flag.

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../electron/core/args/index.js';

describe('durations', () => {
  it('accepts ms, s, m, h and refuses bare numbers and junk', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1h')).toBe(3_600_000);
    for (const bad of ['10', '', 's', '-1s', '10 sec', '1e3ms']) expect(parseDuration(bad)).toBeNull();
  });
});
