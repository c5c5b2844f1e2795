// Number and time formatting shared by the panels.

export const fmt = (n: number | undefined, digits = 1): string => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
export const pct = (fraction: number | undefined, digits = 0): string => (fraction === undefined || !Number.isFinite(fraction) ? '–' : `${(fraction * 100).toFixed(digits)} %`);
export const bytes = (n: number): string =>
  !Number.isFinite(n) ? '–' : n >= 1 << 30 ? `${fmt(n / (1 << 30), 2)} GiB` : n >= 1 << 20 ? `${fmt(n / (1 << 20))} MiB` : n >= 1024 ? `${fmt(n / 1024)} KiB` : `${Math.round(n)} B`;
export { clock } from './time.js';
/** "3 s ago", "4 min ago". */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, (now - ms) / 1000);
  if (s < 60) return `${s.toFixed(0)} s ago`;
  if (s < 3600) return `${(s / 60).toFixed(0)} min ago`;
  return `${(s / 3600).toFixed(1)} h ago`;
}
export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);
/**
 * A plane's state as the console shows it: a plane fed by a recording is REPLAY, not its (never
 * connected) CLOSED; a plane that was LIVE and lost its connection is DOWN through its retries
 * (RECONNECTING, CONNECTING, HANDSHAKING) until it is LIVE again.
 */
export const planeState = (p: { state: string; replay?: boolean; downSince?: number }): string => (p.replay ? 'REPLAY' : p.downSince !== undefined && p.state !== 'LIVE' ? 'DOWN' : p.state);
/** A plane's reason without its endpoint's own "retrying in N ms": the plane's one countdown says that. */
export const planeReason = (p: { reason?: string; retryAt?: number }): string | undefined => (p.reason === undefined ? undefined : p.retryAt !== undefined ? p.reason.replace(/; retrying in \d+ ms$/, '') : p.reason);
/** camelCase key to words: "supersededPositions" → "superseded positions". */
export const words = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
