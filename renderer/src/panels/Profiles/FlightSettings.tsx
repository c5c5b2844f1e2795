// Rewind settings: how much of every live plane the core's flight recorder
// keeps (`--rewind`, minutes; 0 turns it off) and its disk budget across all
// planes (`--rewind-bytes`, MiB). Shown and set through `swarmdeck:flight`;
// the core checks them (FlightSettingsSchema) and applies them at once.

import { useEffect, useState, type JSX } from 'react';
import type { FlightStatus } from '@shared';
import { useModel } from '../../store/hooks.js';
import { show } from '../../ui/text.js';

const MIB = 1024 * 1024;

export function FlightSettings(): JSX.Element | null {
  const bridge = useModel().services.bridge;
  const [status, setStatus] = useState<FlightStatus | null>(null);
  const [minutes, setMinutes] = useState('');
  const [mib, setMib] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const shownAs = (s: FlightStatus): void => {
    setStatus(s);
    setMinutes(String(s.windowMs / 60_000));
    setMib(String(Math.round(s.maxBytes / MIB)));
  };
  useEffect(() => {
    bridge?.request('flight', undefined).then(shownAs, (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
  }, [bridge]);
  if (!bridge || (!status && !message)) return null;
  const apply = (): void => {
    const windowMs = Math.round(Number(minutes) * 60_000);
    const maxBytes = Math.round(Number(mib) * MIB);
    if (!Number.isFinite(windowMs) || !Number.isFinite(maxBytes)) return setMessage('minutes and MiB are numbers');
    bridge.request('flight', { windowMs, maxBytes }).then(
      (s) => {
        shownAs(s);
        setMessage('applied');
      },
      (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <fieldset className="flight-settings" data-testid="flight-settings">
      <legend>Rewind (flight recorder)</legend>
      <label>
        keep{' '}
        <input data-testid="flight-window" type="number" min={0} step="any" value={minutes} onChange={(e) => setMinutes(e.target.value)} style={{ width: '5em' }} /> min of every live plane (0: off)
      </label>{' '}
      <label>
        up to <input data-testid="flight-bytes" type="number" min={1} step="any" value={mib} onChange={(e) => setMib(e.target.value)} style={{ width: '7em' }} /> MiB on disk
      </label>{' '}
      <button type="button" data-testid="flight-apply" onClick={apply}>
        Apply
      </button>
      {status ? (
        <div className="muted" data-testid="flight-usage">
          {Math.round(status.bytes / MIB)} MiB in {show(status.dir)}
        </div>
      ) : null}
      {message ? <div className="muted">{show(message)}</div> : null}
    </fieldset>
  );
}
