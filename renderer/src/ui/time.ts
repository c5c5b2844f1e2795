// Every time the console shows, in one place: the locale's 24-hour clock,
// in local time or UTC as the operator chose (the top bar's "time" control,
// kept in localStorage like the theme). Nothing else formats a time.

import { readPreference, writePreference } from './preference.js';

export type TimeZoneChoice = 'local' | 'utc';
export const TIME_ZONE_KEY = 'swarmdeck.timeZone';

let zone: TimeZoneChoice = 'local';
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${kind}:${zone}`;
  let f = cache.get(key);
  if (!f) {
    const base: Intl.DateTimeFormatOptions = { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit', ...(zone === 'utc' ? { timeZone: 'UTC' } : {}) };
    f = new Intl.DateTimeFormat(undefined, kind === 'date' ? { ...base, year: 'numeric', month: '2-digit', day: '2-digit' } : base);
    cache.set(key, f);
  }
  return f;
}

export function setTimeZone(z: TimeZoneChoice): void {
  zone = z;
}

export function timeZone(): TimeZoneChoice {
  return zone;
}

/** "14:03:09" (24-hour, in the chosen zone). */
export function clock(ms: number): string {
  return Number.isFinite(ms) ? formatter('time').format(ms) : '–';
}

/** The time alone on the same day as `now`, else the date too. */
export function when(ms: number, now: number = Date.now()): string {
  if (!Number.isFinite(ms)) return '–';
  const day = (t: number): string => formatter('date').formatToParts(t).filter((p) => p.type === 'year' || p.type === 'month' || p.type === 'day').map((p) => p.value).join('-');
  return day(ms) === day(now) ? clock(ms) : formatter('date').format(ms);
}

export function savedTimeZone(): TimeZoneChoice {
  return readPreference(TIME_ZONE_KEY) === 'utc' ? 'utc' : 'local';
}

export function saveTimeZone(z: TimeZoneChoice): void {
  writePreference(TIME_ZONE_KEY, z);
}

/** "REWIND −00:42" (minutes:seconds behind now), "REWIND −1:02:05" from an hour. */
export function rewindMark(at: number, now: number): string {
  const behind = Math.max(0, Math.round((now - at) / 1000));
  const h = Math.floor(behind / 3600);
  const m = Math.floor((behind % 3600) / 60);
  const s = behind % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return `REWIND −${h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`}`;
}
