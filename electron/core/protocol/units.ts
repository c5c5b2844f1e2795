// status_update's spellings of its values: the control-plane seed sends
// cpu_usage and memory_usage as text ("30%", "1.5GB"), as numbers, or as
// bare numbers in text. Each becomes one number beside the original.

const PERCENT_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/;
const BYTES_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?i?b)\s*$/i;
const UNIT_POWER: Readonly<Record<string, number>> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/** "30%", "30 %", "30" or 30 → 30 (percent; above 100 allowed for multi-core). Null when not a non-negative number. */
export function parsePercent(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  const m = PERCENT_RE.exec(v);
  return m ? Number(m[1]) : null;
}

/**
 * "1.5GB" → 1610612736, "512MB" → 536870912: bytes, binary multiples
 * (1 KB = 1 KiB = 1024 B, as OS tools report memory). A number is already
 * bytes. A string needs a unit. Null when unparsable or negative.
 */
export function parseBytes(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : null;
  const m = BYTES_RE.exec(v);
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const power = unit === 'b' ? 0 : UNIT_POWER[unit[0]!];
  if (power === undefined) return null;
  return Math.round(Number(m[1]) * 1024 ** power);
}
