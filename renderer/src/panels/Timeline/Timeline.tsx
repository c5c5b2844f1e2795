// The replay timeline: play/pause, speed (¼× to 16×), step, a track to
// click or drag (seeks while dragging, throttled, and on release), and the
// recording's markers (errors, alerts, coordination rounds, connection
// changes). Props only: state and callbacks come from whoever hosts it.

import { useCallback, useEffect, useRef, useState, type JSX, type PointerEvent as ReactPointerEvent } from 'react';
import type { ReplayState, TimelineMarker } from '@shared';
import { binMarkers, countKinds, formatClock, formatSpeed, stepSpeed, ticks, timeToX, xToTime } from './timeline-logic.js';
import './timeline.css';

export interface TimelineProps {
  state: ReplayState;
  markers: readonly TimelineMarker[];
  onPlay(): void;
  onPause(): void;
  onSpeed(speed: number): void;
  onSeek(ms: number): void;
  /** Plays one event; absent: no step button (a synced timeline). */
  onStep?(): void;
  /** Closes the recording: its planes leave the console. Absent: no close button. */
  onClose?(): void;
  /** Seeks sent while dragging are at least this far apart. Default 150 ms. */
  dragSeekMs?: number;
}

export function Timeline(props: TimelineProps): JSX.Element {
  const { state, markers } = props;
  const track = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  const [drag, setDrag] = useState<number | null>(null);
  const lastSeek = useRef(0);

  useEffect(() => {
    const el = track.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 600));
    ro.observe(el);
    setWidth(el.clientWidth || 600);
    return () => ro.disconnect();
  }, []);

  const { startMs, endMs } = state;
  const timeAt = useCallback(
    (e: ReactPointerEvent<HTMLDivElement>): number => {
      const r = e.currentTarget.getBoundingClientRect();
      return xToTime(e.clientX - r.left, startMs, endMs, r.width);
    },
    [startMs, endMs],
  );

  const onDown = (e: ReactPointerEvent<HTMLDivElement>): void => {
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const t = timeAt(e);
    setDrag(t);
    lastSeek.current = performance.now();
    props.onSeek(t);
  };
  const onMove = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (drag === null) return;
    const t = timeAt(e);
    setDrag(t);
    const now = performance.now();
    if (now - lastSeek.current >= (props.dragSeekMs ?? 150)) {
      lastSeek.current = now;
      props.onSeek(t);
    }
  };
  const onUp = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (drag === null) return;
    const t = timeAt(e);
    setDrag(null);
    props.onSeek(t);
  };

  const shown = drag ?? state.positionMs;
  const x = timeToX(shown, startMs, endMs, width);
  const bins = binMarkers(markers, startMs, endMs, width);
  const counts = countKinds(markers);
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-controls">
        {state.playing ? (
          <button data-testid="timeline-pause" onClick={props.onPause} title="Pause">
            ❚❚
          </button>
        ) : (
          <button data-testid="timeline-play" onClick={props.onPlay} title="Play" disabled={state.positionMs >= endMs}>
            ▶
          </button>
        )}
        {props.onStep ? (
          <button data-testid="timeline-step" onClick={props.onStep} title="Step one event">
            ▶|
          </button>
        ) : null}
        <button data-testid="timeline-slower" onClick={() => props.onSpeed(stepSpeed(state.speed, -1))} disabled={state.speed <= 0.25} title="Slower">
          −
        </button>
        <span className="timeline-speed" data-testid="timeline-speed">
          {formatSpeed(state.speed)}
        </span>
        <button data-testid="timeline-faster" onClick={() => props.onSpeed(stepSpeed(state.speed, 1))} disabled={state.speed >= 16} title="Faster">
          +
        </button>
        <span className="timeline-clock" data-testid="timeline-clock">
          {formatClock(shown - startMs)} / {formatClock(endMs - startMs)}
        </span>
        <span className="timeline-legend">
          {(['error', 'alert', 'coordination', 'connection'] as const).map((k) => (
            <span key={k} className={`marker-${k}`} data-testid={`timeline-count-${k}`}>
              {k} {counts[k]}
            </span>
          ))}
        </span>
        {props.onClose ? (
          <button data-testid="timeline-close" onClick={props.onClose} title="Close this recording (its planes leave the console)">
            close
          </button>
        ) : null}
      </div>
      <div
        ref={track}
        className="timeline-track"
        data-testid="timeline-track"
        role="slider"
        aria-valuemin={startMs}
        aria-valuemax={endMs}
        aria-valuenow={Math.round(shown)}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
      >
        {ticks(startMs, endMs, width).map(([e, tx]) => (
          <span key={e} className="timeline-tick" style={{ left: tx }}>
            {formatClock(e)}
          </span>
        ))}
        {bins.map((b) => (
          <span
            key={b.x}
            className={`timeline-marker marker-${b.kind}`}
            data-testid="timeline-marker"
            data-kind={b.kind}
            style={{ left: b.x }}
            title={b.count > 1 ? `${b.first.label} (+${b.count - 1})` : b.first.label}
          />
        ))}
        <span className="timeline-head" data-testid="timeline-head" style={{ left: x }} />
      </div>
      {state.problem && (
        <div className="timeline-problem" data-testid="timeline-problem">
          Recording incomplete: {state.problem.message}. Everything before offset {state.problem.offset} plays.
        </div>
      )}
      {state.error && (
        <div className="timeline-problem" data-testid="timeline-error">
          {state.error}
        </div>
      )}
    </div>
  );
}
