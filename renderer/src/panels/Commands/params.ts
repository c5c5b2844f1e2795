// Command parameters as an operator types them: a JSON object, or one
// `key=value` per line (numbers and true/false become JSON numbers/booleans).

import type { JsonObject } from '@shared';

export type ParamsResult = { ok: true; value: JsonObject } | { ok: false; error: string };

export function parseParams(text: string): ParamsResult {
  const t = text.trim();
  if (t === '') return { ok: true, value: {} };
  if (t.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'parameters must be a JSON object' };
      return { ok: true, value: v as JsonObject };
    } catch (e) {
      return { ok: false, error: `parameters are not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  const value: JsonObject = {};
  const lines = t.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, error: `line ${i + 1}: expected key=value, got "${line}"` };
    const key = line.slice(0, eq).trim();
    const raw = line.slice(eq + 1).trim();
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return { ok: false, error: `line ${i + 1}: "${key}" is not allowed as a key` };
    value[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return { ok: true, value };
}
