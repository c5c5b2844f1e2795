// One verdict per plane for the Overview card, from its status, its latest
// system.metrics and its firing alerts (the core's; pure: tested).

import type { Alert, PlaneStatus } from '@shared';

export type Health = 'healthy' | 'degraded' | 'down' | 'replay';

export interface PlaneHealth {
  health: Health;
  /** Why, in a few words (empty when healthy). */
  reasons: string[];
}

/** networkHealth below this (0..100 %) degrades a plane. */
export const HEALTH_FLOOR_PCT = 80;

/** An alert that counts against a plane's health: firing and not acknowledged. */
export const isActive = (a: Alert): boolean => a.state === 'firing' && !a.acknowledged;

export function planeHealth(p: PlaneStatus, alerts: readonly Alert[], networkHealthPct: number | undefined): PlaneHealth {
  // A recording is never connected: its connection state says nothing about its health.
  if (p.replay) return { health: 'replay', reasons: ['playing a recording (Timeline)'] };
  if (p.state === 'FAILED' || p.state === 'AUTH_REQUIRED' || p.state === 'CLOSED') return { health: 'down', reasons: [p.state.toLowerCase().replace('_', ' ')] };
  // Lost its connection while LIVE and still retrying: down, not "degraded".
  if (p.downSince !== undefined && p.state !== 'LIVE') return { health: 'down', reasons: ['connection lost, retrying'] };
  const reasons: string[] = [];
  if (p.state !== 'LIVE') reasons.push(p.state.toLowerCase());
  const mine = alerts.filter((a) => a.plane === p.plane && isActive(a));
  const critical = mine.filter((a) => a.level === 'critical').length;
  if (critical) reasons.push(`${critical} critical alert${critical > 1 ? 's' : ''}`);
  if (p.agentsLost) reasons.push(`${p.agentsLost} agents lost`);
  if (networkHealthPct !== undefined && Number.isFinite(networkHealthPct) && networkHealthPct < HEALTH_FLOOR_PCT) reasons.push(`network health ${networkHealthPct.toFixed(0)} %`);
  if (p.endpoints?.some((e) => e.state !== 'LIVE')) reasons.push('an endpoint is not live');
  return { health: reasons.length ? 'degraded' : 'healthy', reasons };
}

export function errorsOf(p: PlaneStatus): number {
  return p.counters.protocolErrors + p.counters.serverErrors;
}
