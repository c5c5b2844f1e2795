// Rewind a live plane (the core's flight recorder, `flight` and `rewind`):
// its buffer's extent as a track with markers (alerts fired, commands sent,
// connection changes) and a scrubber, −10 s and −1 min, LIVE and Save. A
// rewound plane is shown by its replay plane ("<label> (rewind)"); its live
// plane is hidden meanwhile and shown again at LIVE. Intake never stops.

import { useEffect, useState, type JSX } from 'react';
import type { FlightPlane, RewindAction } from '@shared';
import { rewindAction, showEndedRewinds } from '../../shell/rewind-action.js';
import { useConsole, useModel, useNow, usePlaneLabels, usePolled } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import { rewindMark } from '../../ui/time.js';
import { planeMarkers, stepBack } from './rewind-logic.js';
import { binMarkers, formatClock, timeToX } from './timeline-logic.js';

const POLL_MS = 1000;

export function RewindControls(): JSX.Element | null {
  const model = useModel();
  const flight = usePolled('flight', POLL_MS);
  const labels = usePlaneLabels();
  const now = useNow(500);
  useConsole((s) => s.alertsV + s.commandsV + s.connectionV);
  const [chosen, setChosen] = useState<string | null>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const status = flight.value;
  // A rewind closed elsewhere (the Timeline's close, another view's LIVE): its live plane is shown again.
  useEffect(() => {
    if (status) showEndedRewinds(model, new Set(status.planes.filter((x) => x.rewoundAt !== null).map((x) => x.plane)));
  }, [status, model]);
  if (!status) return flight.error ? <div className="muted rewind">{show(flight.error)}</div> : null;
  if (status.windowMs === 0) return <div className="muted rewind" data-testid="rewind-off">Rewind is off (--rewind 0): set a window in the Profiles panel's Rewind settings.</div>;
  const p: FlightPlane | undefined = status.planes.find((x) => x.plane === chosen) ?? status.planes[0];
  if (!p) return <div className="muted rewind">Rewind: no live plane recorded yet.</div>;
  const startMs = p.startMs ?? now;
  const endMs = Math.max(p.endMs ?? now, now);
  const rewound = p.rewoundAt !== null;
  const shown = drag ?? p.rewoundAt ?? endMs;

  const act = (a: RewindAction): void => {
    rewindAction(model, a).then(
      (r) => {
        setMessage(r.saved ? `saved ${r.saved}` : null);
        flight.refresh();
      },
      (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)),
    );
  };
  const seek = (at: number): void => act({ plane: p.plane, action: 'seek', at });
  const session = model.data.session;
  const markers = planeMarkers(p.plane, { alerts: session.alerts.list(), commands: session.commands.list(), notes: session.connection.get(p.plane) ?? [] }, startMs, endMs);
  const width = 600;
  return (
    <div className="rewind" data-testid="rewind">
      <div className="timeline-controls">
        {status.planes.length > 1 ? (
          <select value={p.plane} onChange={(e) => setChosen(e.target.value)} data-testid="rewind-plane">
            {status.planes.map((x) => (
              <option key={x.plane} value={x.plane}>
                {show(labels.get(x.plane) ?? x.plane)}
              </option>
            ))}
          </select>
        ) : (
          <span>{show(labels.get(p.plane) ?? p.plane)}</span>
        )}
        <button data-testid="rewind-10s" onClick={() => seek(stepBack(shown, 10_000, startMs))} disabled={p.off !== null} title="Rewind 10 seconds">
          −10 s
        </button>
        <button data-testid="rewind-1m" onClick={() => seek(stepBack(shown, 60_000, startMs))} disabled={p.off !== null} title="Rewind 1 minute">
          −1 min
        </button>
        <button data-testid="rewind-live" className={rewound ? 'rewind-live-off' : 'rewind-live-on'} onClick={() => act({ plane: p.plane, action: 'live' })} disabled={!rewound} title="Back to the present">
          LIVE
        </button>
        <button data-testid="rewind-save" onClick={() => act({ plane: p.plane, action: 'save' })} disabled={p.segments === 0} title="Save the buffer to the recordings folder (SWARMDECK_RECORDINGS_DIR)">
          Save
        </button>
        <span className={rewound ? 'rewind-mark' : 'muted'} data-testid="rewind-state">
          {rewound ? rewindMark(shown, now) : 'LIVE'}
        </span>
        <span className="timeline-clock" data-testid="rewind-extent">
          buffer {formatClock(endMs - startMs)} · {Math.round(p.bytes / 1024 / 1024)} MiB
        </span>
      </div>
      {p.off ? (
        <div className="timeline-problem" data-testid="rewind-problem">
          Rewind is off for this plane: {show(p.off)}
        </div>
      ) : null}
      <div className="timeline-track rewind-track" data-testid="rewind-track">
        {binMarkers(markers, startMs, endMs, width).map((b) => (
          <span key={b.x} className={`timeline-marker marker-${b.kind}`} data-testid="rewind-marker" data-kind={b.kind} style={{ left: `${(b.x / width) * 100}%` }} title={show(b.first.label)} />
        ))}
        <input
          type="range"
          className="rewind-scrubber"
          data-testid="rewind-scrubber"
          aria-label="Rewind scrubber"
          min={startMs}
          max={endMs}
          step={100}
          value={shown}
          disabled={p.off !== null}
          onChange={(e) => setDrag(Number(e.target.value))}
          onPointerUp={() => drag !== null && (seek(drag), setDrag(null))}
          onKeyUp={() => drag !== null && (seek(drag), setDrag(null))}
        />
        <span className="timeline-head" style={{ left: `${(timeToX(shown, startMs, endMs, width) / width) * 100}%` }} />
      </div>
      {message ? <div className="muted" data-testid="rewind-message">{show(message)}</div> : null}
    </div>
  );
}
