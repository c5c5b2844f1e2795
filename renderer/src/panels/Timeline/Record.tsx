// Record buttons: every live plane at once, or one plane; each running
// recording shows its indicator (elapsed time, size, what was not written)
// and a stop button. The core writes the files (recording/service.ts).

import { useState, type JSX } from 'react';
import type { RecordingStatus, RecordRequest } from '@shared';
import { useConsole, useModel, usePolled } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import { recordablePlanes, recordIndicator } from './record-logic.js';

const POLL_MS = 500;

/** The running recordings, polled while `on`. */
export function useRecordings(on = true): { list: RecordingStatus[]; refresh: () => void; error: string | null } {
  const { value, error, refresh } = usePolled('recordings', POLL_MS, on);
  return { list: value ?? [], error, refresh };
}

export function RecordControls(): JSX.Element {
  const bridge = useModel().services.bridge;
  const planes = recordablePlanes(useConsole((s) => s.planes));
  const { list, refresh, error: pollError } = useRecordings();
  const [error, setError] = useState<string | null>(null);
  const [plane, setPlane] = useState('');
  const run = (req: RecordRequest, what: string): void => {
    if (!bridge) return;
    bridge.request('record', req).then(
      () => (setError(null), refresh()),
      (e: unknown) => setError(`${what}: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return (
    <div className="record-controls" data-testid="record-controls">
      <button type="button" data-testid="record-all" disabled={planes.length === 0} onClick={() => run({ action: 'start' }, 'record')} title="Record every live plane into one MCAP file">
        ● record all planes
      </button>
      <select value={plane} onChange={(e) => setPlane(e.target.value)} data-testid="record-plane" aria-label="plane to record">
        <option value="">one plane…</option>
        {planes.map((p) => (
          <option key={p.plane} value={p.plane}>
            {show(p.label)}
          </option>
        ))}
      </select>
      <button type="button" data-testid="record-one" disabled={!plane} onClick={() => run({ action: 'start', planes: [plane] }, 'record')}>
        ● record
      </button>
      {list.map((r) => (
        <div key={r.id} className="record-indicator" data-testid="record-indicator" title={show(r.path)}>
          <span className="rec-dot" aria-hidden="true">
            ●
          </span>{' '}
          {show(recordIndicator(r))}{' '}
          <button type="button" data-testid="record-stop" onClick={() => run({ action: 'stop', id: r.id }, 'stop')}>
            stop
          </button>
          <div className="muted record-path">{show(r.path)}</div>
        </div>
      ))}
      {error || pollError ? <div className="state-FAILED">{show(error ?? pollError ?? '')}</div> : null}
    </div>
  );
}
