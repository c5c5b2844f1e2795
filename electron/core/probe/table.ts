// The probe report for people: a summary line, a row per endpoint, then each
// endpoint's details. Every string from the plane is neutralised, so no bidi
// or control character reaches the terminal or the profile manager.

import { neutraliseText } from '../../../shared/index.js';
import type { ProbeReport } from './probe.js';

export function probeTable(report: ProbeReport): string[] {
  const n = (s: string): string => neutraliseText(s);
  const eps = Object.entries(report.endpoints);
  const out: string[] = [];
  out.push(`probe ${n(report.url)} for ${report.forMs} ms: ${report.verdict} (exit ${report.exitCode})`);
  const signed = (v: number): string => (v >= 0 ? `+${v}` : String(v));
  out.push(
    `plane: round trip ${report.latencyMs ?? '?'} ms, server clock ${report.clockOffsetMs === null ? 'unknown' : `${signed(report.clockOffsetMs)} ms${report.clockUncertaintyMs !== null && report.clockUncertaintyMs !== undefined ? ` ± ${report.clockUncertaintyMs} ms` : ''}`}, reconnects ${report.reconnects}, invalid messages ${report.protocolErrors}`,
    `limits: ${Object.entries(report.limits).map(([k, v]) => `${k} ${v}`).join(', ') || 'none reached'}`,
  );
  const rows = [['endpoint', 'upgrade', 'state', 'version', 'compression', 'heartbeat']];
  for (const [name, r] of eps) {
    const hb = r.heartbeats;
    rows.push([
      name,
      r.upgrade ? String(r.upgrade.status) : '-',
      r.state,
      r.version ? `${n(r.version)} (${r.versionHow})` : '-',
      `${r.compression ? n(r.compression) : 'none'} (${r.compressionHow})`,
      `${hb.intervalMs ?? '?'} ms, ${hb.count} seen${hb.observedEveryMs !== null ? ` every ~${hb.observedEveryMs} ms` : ''}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  const counts = (m: Record<string, number>): string => {
    const e = Object.entries(m).sort((a, b) => b[1] - a[1]);
    return e.length ? e.map(([k, v]) => `${n(k)} ${v}`).join(', ') : 'none';
  };
  for (const [name, r] of eps) {
    out.push('');
    out.push(`[${name}]${r.reason ? ` ${n(r.reason)}` : ''}`);
    if (r.upgrade) out.push(`  upgrade: ${r.upgrade.status}; ${Object.entries(r.upgrade.headers).map(([k, v]) => `${n(k)}: ${n(v)}`).join('; ')}`);
    out.push(`  handshake_ack: ${r.handshakeAck ? Object.entries(r.handshakeAck).map(([k, v]) => `${n(k)}=${n(JSON.stringify(v) ?? '')}`).join(', ') : 'none received'}`);
    out.push(`  frames: ${counts(r.frames)}`);
    out.push(`  json: ${counts(r.messages)}`);
    const inv = Object.entries(r.invalid);
    out.push(`  invalid: ${inv.length ? '' : 'none'}`);
    for (const [kind, v] of inv) out.push(`    ${n(kind)} ×${v.count}, first: ${n(v.first)}`);
    out.push(`  conformance: ${r.conformance.length ? '' : 'none'}`);
    for (const c of r.conformance) out.push(`    - ${n(c)}`);
    const dups = Object.entries(r.channelDuplicates ?? {});
    if (dups.length) out.push(`  channel duplicates: ${dups.map(([k, v]) => `${n(k)} ${v}`).join(', ')}`);
  }
  return out;
}
