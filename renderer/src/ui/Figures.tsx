// Generic figures: every numeric (and boolean) field of an object as a
// labelled value, so counters other engineers add to PlaneStatus or
// PipelineStats show up without a change here. Known keys get a label.

import type { JSX } from 'react';
import { words } from './format.js';
import { show } from './text.js';

const LABELS: Record<string, string> = {
  framesSent: 'frames sent',
  supersededPositions: 'superseded positions',
  eventsQueued: 'events queued',
  eventsSent: 'events sent',
  framesTimedOut: 'frames timed out',
  bytesIn: 'bytes in',
  messagesIn: 'messages in',
  positionMessages: 'position messages',
  protocolErrors: 'protocol errors',
  framesDropped: 'dropped (total)',
  duplicatesDropped: 'duplicates dropped',
  ttlExpired: 'TTL expired',
  channelGaps: 'channel gaps',
  channelMissed: 'channel messages missed',
  channelDuplicates: 'channel duplicates',
  acksSent: 'acks sent',
  serverErrors: 'server errors',
  staleDetections: 'stale detections',
  authFailures: 'auth failures',
  tokenRefreshes: 'token refreshes',
  compressedMessages: 'compressed messages',
  commandsSent: 'commands sent',
  commandsTimedOut: 'commands timed out',
  commandsRefused: 'commands refused',
  agentsLost: 'agents lost',
  serverClockOffsetMs: 'server clock offset (ms)',
  lastLatencyMs: 'heartbeat RTT (ms)',
};
/** Counters that mean trouble when above zero: shown in the warning colour. */
const BAD = /error|drop|fail|gap|missed|timedout|refused|stale|lost|expired|duplicate|rejected/i;

export const labelOf = (key: string): string => LABELS[key] ?? words(key);

/** The numeric and boolean fields of `o` (nested objects flattened one level as "outer inner"). */
export function figuresOf(o: object, skip: readonly string[] = []): [key: string, label: string, value: number | boolean][] {
  const out: [string, string, number | boolean][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (skip.includes(k)) continue;
    if (typeof v === 'number' || typeof v === 'boolean') out.push([k, labelOf(k), v]);
  }
  return out;
}

export function Figures(props: { of: object; skip?: readonly string[]; testid?: string }): JSX.Element {
  return (
    <dl className="figures" data-testid={props.testid}>
      {figuresOf(props.of, props.skip).map(([k, label, v]) => (
        <div key={k} className={typeof v === 'number' && v > 0 && BAD.test(k) ? 'bad' : undefined} data-key={k}>
          <dt>{show(label)}</dt>
          <dd>{typeof v === 'boolean' ? (v ? 'yes' : 'no') : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** PlaneStatus.conformance (notes on how the plane departs from the spec), when the status carries it. */
export function conformanceOf(status: object): string[] {
  const c = (status as { conformance?: unknown }).conformance;
  return Array.isArray(c) ? c.filter((x): x is string => typeof x === 'string') : [];
}

export function Conformance(props: { status: object }): JSX.Element | null {
  const notes = conformanceOf(props.status);
  if (notes.length === 0) return null;
  return (
    <ul className="plain conformance" data-testid="conformance">
      {notes.map((c, i) => (
        <li key={i} data-testid="conformance-note">
          {show(c)}
        </li>
      ))}
    </ul>
  );
}
