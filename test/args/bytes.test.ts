// Byte sizes on the command line (--rewind-bytes): binary and decimal units, raw bytes.

import { describe, expect, it } from 'vitest';
import { byteSizeFlag, durationOrZeroFlag, formatByteSize, parseByteSize, UsageError } from '../../electron/core/args/index.js';

describe('byte sizes', () => {
  it('accepts binary and decimal units and raw bytes; refuses junk', () => {
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('500MB')).toBe(500_000_000);
    expect(parseByteSize('512 MiB')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('1.5KiB')).toBe(1536);
    expect(parseByteSize('65536')).toBe(65536);
    expect(parseByteSize('10kb')).toBe(10_000);
    for (const bad of ['', 'GiB', '-1GiB', '2 gigs', '1e9', '2PiB']) expect(parseByteSize(bad), bad).toBeNull();
    expect(formatByteSize(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatByteSize(1000)).toBe('1000 B');
  });

  it('--rewind-bytes must be positive; --rewind takes a duration or 0', () => {
    expect(byteSizeFlag('rewind-bytes', '500MB')).toBe(500_000_000);
    expect(byteSizeFlag('rewind-bytes', undefined)).toBeUndefined();
    expect(() => byteSizeFlag('rewind-bytes', '0')).toThrow(UsageError);
    expect(() => byteSizeFlag('rewind-bytes', 'lots')).toThrow(/--rewind-bytes must be a size like 2GiB/);
    expect(durationOrZeroFlag('rewind', '0')).toBe(0);
    expect(durationOrZeroFlag('rewind', '15m')).toBe(900_000);
    expect(durationOrZeroFlag('rewind', '0s')).toBe(0);
    expect(() => durationOrZeroFlag('rewind', '15')).toThrow(/--rewind must be a duration like 30s, 15m or 1h, or 0/);
  });
});
