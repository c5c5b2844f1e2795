// The recordings folder, newest first: each file can be opened for replay
// beside the live planes (the core opens it by name: `openRecording`). The
// files the record buttons write land here, so a session can be played back
// without leaving the console.

import { useState, type JSX } from 'react';
import { useModel, usePolled } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import { recordingFileLine } from './record-logic.js';

const POLL_MS = 2000;
/** Rows shown before "more": the newest files are the ones wanted. */
const SHOWN = 8;

export function RecordingFiles(props: { onOpened: (id: number) => void }): JSX.Element {
  const bridge = useModel().services.bridge;
  const { value, error: pollError, refresh } = usePolled('recordingFiles', POLL_MS);
  const [all, setAll] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const files = value?.files ?? [];
  const shown = all ? files : files.slice(0, SHOWN);
  const open = (name: string): void => {
    if (!bridge) return;
    setMessage(`opening ${name}…`);
    bridge.request('openRecording', { name }).then(
      (entry) => {
        setMessage(null);
        props.onOpened(entry.id);
        refresh();
      },
      (e: unknown) => setMessage(`${name}: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return (
    <details className="recording-files" data-testid="recording-files" open={files.length > 0}>
      <summary>
        recordings folder <span className="muted">{value ? show(value.dir) : ''}</span>
      </summary>
      {value?.problem ? <div className="muted">{show(value.problem)}</div> : null}
      {pollError ? <div className="state-FAILED">{show(pollError)}</div> : null}
      <ul>
        {shown.map((f) => (
          <li key={f.name} data-testid="recording-file" data-name={f.name}>
            <button type="button" onClick={() => open(f.name)} data-testid="recording-file-open" title="Replay this recording beside the live planes">
              replay
            </button>{' '}
            <code>{show(f.name)}</code> <span className="muted">{recordingFileLine(f)}</span>
          </li>
        ))}
      </ul>
      {files.length > SHOWN || (value?.more ?? 0) > 0 ? (
        <button type="button" className="link" onClick={() => setAll((a) => !a)}>
          {all ? 'fewer' : `all ${files.length}${value && value.more > 0 ? ` (and ${value.more} older not listed)` : ''}`}
        </button>
      ) : null}
      {message ? (
        <div className="muted" data-testid="recording-file-message">
          {show(message)}
        </div>
      ) : null}
    </details>
  );
}
