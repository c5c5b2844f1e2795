// The Timeline panel: the record buttons (Record.tsx), and the open recordings (`--open FILE`), each played back
// through the core's replay controller over the contract (replays, replay,
// replayMarkers). The track and controls are Timeline.tsx; this file only
// polls the state while the panel is shown and forwards the controls.

import { useEffect, useState, type JSX } from 'react';
import type { ReplayAction, ReplayGroupAction, ReplayMarkers } from '@shared';
import { useModel, usePolled, useRenderCount } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { RecordControls } from './Record.js';
import { RecordingFiles } from './RecordingFiles.js';
import { RewindControls } from './Rewind.js';
import { useReplayGroup } from '../../store/replay-group.js';
import { SyncButton, SyncedTimeline } from './Synced.js';
import { Timeline } from './Timeline.js';

/** A control without the recording it goes to (Omit that keeps the union's members apart). */
type Control = ReplayAction extends infer A ? (A extends unknown ? Omit<A, 'id'> : never) : never;

/** How often the panel asks for the playback state (the position moves while playing). */
const POLL_MS = 250;

function TimelinePanel(): JSX.Element {
  useRenderCount('timeline');
  const model = useModel();
  const polled = usePolled('replays', POLL_MS);
  const entries = polled.value ?? [];
  const [chosen, setChosen] = useState<number | null>(null);
  const [markers, setMarkers] = useState<Map<number, ReplayMarkers>>(new Map());
  const [actError, setActError] = useState<string | null>(null);
  const error = actError ?? polled.error;
  const bridge = model.services.bridge;

  // Two or more recordings may play on one timeline (the core's synced group).
  const synced = useReplayGroup(bridge, entries.length > 1, POLL_MS);
  const group = synced.group;
  const entry = entries.find((e) => e.id === chosen) ?? entries[0];
  // A recording just opened is the one shown, as soon as the next poll lists it.
  const opened = (id: number): void => {
    setChosen(id);
    polled.refresh();
  };

  // Markers once per recording (each synced one's): they do not change while it plays.
  const wanted = (group ? group.members.map((m) => m.id) : entry ? [entry.id] : []).filter((id) => !markers.has(id)).join(',');
  useEffect(() => {
    if (!bridge || !wanted) return;
    for (const id of wanted.split(',').map(Number)) {
      bridge.request('replayMarkers', { id }).then(
        (m) => m && setMarkers((prev) => new Map(prev).set(id, m)),
        () => undefined,
      );
    }
  }, [bridge, wanted]);
  const actGroup = (a: ReplayGroupAction): void => {
    void bridge?.request('replayGroup', a).then(
      (g) => {
        setActError(null);
        synced.set(g);
      },
      (e: unknown) => setActError(e instanceof Error ? e.message : String(e)),
    );
  };

  if (!entry) {
    return (
      <div className="panel-body">
        <RewindControls />
        <RecordControls />
        <div className="muted" data-testid="timeline-empty">
          No recording is open. Replay one from the recordings folder below, or open one with <code>npm start -- --open FILE</code> (or <code>start:web</code>); record with the buttons above or <code>npm run -s swarmdeck -- record</code>.
          {error ? <div className="state-FAILED">{show(error)}</div> : null}
        </div>
        <RecordingFiles onOpened={opened} />
      </div>
    );
  }
  const act = (a: Control): void => {
    void bridge?.request('replay', { ...a, id: entry.id } as ReplayAction).then(
      (state) => {
        setActError(null);
        // A closed recording leaves the list at once; any other shows its new state until the next poll.
        if (a.action === 'close') polled.set(entries.filter((e) => e.id !== entry.id));
        else if (state) polled.set(entries.map((e) => (e.id === entry.id ? { id: e.id, state } : e)));
      },
      (e: unknown) => setActError(e instanceof Error ? e.message : String(e)),
    );
  };
  const m = markers.get(entry.id);
  if (group) {
    return (
      <div className="panel-body timeline-panel" data-testid="timeline-panel">
        <RecordControls />
        {error ? <div className="state-FAILED">{show(error)}</div> : null}
        <SyncedTimeline group={group} markers={markers} act={actGroup} />
        <RecordingFiles onOpened={opened} />
      </div>
    );
  }
  return (
    <div className="panel-body timeline-panel" data-testid="timeline-panel">
      <RewindControls />
      <RecordControls />
      {entries.length > 1 ? <SyncButton ids={entries.map((e) => e.id)} act={actGroup} /> : null}
      {entries.length > 1 ? (
        <select value={entry.id} onChange={(e) => setChosen(Number(e.target.value))} data-testid="timeline-recording">
          {entries.map((e) => (
            <option key={e.id} value={e.id}>
              {show(e.state.path)}
            </option>
          ))}
        </select>
      ) : (
        <div className="muted">{show(entry.state.path)}</div>
      )}
      {error ? <div className="state-FAILED">{show(error)}</div> : null}
      <Timeline
        state={entry.state}
        markers={m?.markers ?? []}
        onPlay={() => act({ action: 'play' })}
        onPause={() => act({ action: 'pause' })}
        onSpeed={(value) => act({ action: 'speed', value })}
        onSeek={(value) => act({ action: 'seek', value })}
        onStep={() => act({ action: 'step' })}
        onClose={() => act({ action: 'close' })}
      />
      {m && m.dropped > 0 ? <div className="muted">{m.dropped} markers not shown (limit reached)</div> : null}
      <RecordingFiles onOpened={opened} />
    </div>
  );
}

export const panel: PanelEntry = { id: 'timeline', title: 'Timeline', component: TimelinePanel, placement: 'bottom', order: 60, keywords: ['recording', 'replay', 'mcap', 'seek', 'rewind', 'live'] };
