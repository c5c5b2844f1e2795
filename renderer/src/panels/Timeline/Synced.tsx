// The synced timeline: two or more open recordings on one clock in the core
// (replayGroup). One track and one set of controls move them all; below it,
// each recording's lane (where it lies on the timeline) and its offset in
// seconds; the alignment (by start, by clock time, or the offsets typed).

import { useState, type JSX } from 'react';
import type { ReplayGroupAction, ReplayGroupState, ReplayMarkers } from '@shared';
import { show } from '../../ui/text.js';
import { groupAsState, groupMarkers, memberSpan, parseOffsetSeconds } from './synced-logic.js';
import { Timeline } from './Timeline.js';

/** "Sync": puts every open recording on one timeline, aligned by start. */
export function SyncButton(props: { ids: readonly number[]; act: (a: ReplayGroupAction) => void }): JSX.Element {
  return (
    <button type="button" data-testid="timeline-sync" onClick={() => props.act({ action: 'sync', ids: [...props.ids], align: 'start' })} title="Play every open recording on one timeline (aligned by start)">
      sync {props.ids.length} recordings
    </button>
  );
}

function OffsetField(props: { id: number; offsetMs: number; act: (a: ReplayGroupAction) => void }): JSX.Element {
  const [text, setText] = useState<string | null>(null);
  const apply = (): void => {
    if (text === null) return;
    const v = parseOffsetSeconds(text);
    setText(null);
    if (v !== null) props.act({ action: 'offset', id: props.id, value: v });
  };
  return (
    <input
      className="timeline-offset"
      data-testid="timeline-offset"
      aria-label="offset (s)"
      title="Where this recording starts on the timeline, in seconds"
      value={text ?? (props.offsetMs / 1000).toFixed(1)}
      onChange={(e) => setText(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => e.key === 'Enter' && apply()}
    />
  );
}

export function SyncedTimeline(props: { group: ReplayGroupState; markers: ReadonlyMap<number, ReplayMarkers>; act: (a: ReplayGroupAction) => void }): JSX.Element {
  const { group: g, act } = props;
  return (
    <div className="timeline-synced" data-testid="timeline-synced">
      <div className="timeline-synced-head">
        <span>{g.members.length} recordings on one timeline, aligned</span>
        <select data-testid="timeline-align" value={g.align} onChange={(e) => e.target.value !== 'offset' && act({ action: 'align', align: e.target.value as 'start' | 'time' })}>
          <option value="start">by start</option>
          <option value="time">by clock time</option>
          <option value="offset" disabled>
            by offsets
          </option>
        </select>
        <button type="button" data-testid="timeline-unsync" onClick={() => act({ action: 'unsync' })} title="Each recording on its own timeline again">
          unsync
        </button>
      </div>
      <Timeline
        state={groupAsState(g)}
        markers={groupMarkers(g, props.markers)}
        onPlay={() => act({ action: 'play' })}
        onPause={() => act({ action: 'pause' })}
        onSpeed={(value) => act({ action: 'speed', value })}
        onSeek={(value) => act({ action: 'seek', value })}
      />
      <ul className="timeline-members">
        {g.members.map((m) => {
          const [from, to] = memberSpan(g, m.id);
          const planes = Object.values(m.state.planes);
          return (
            <li key={m.id} data-testid="timeline-member" data-id={m.id} data-planes={planes.join(' ')}>
              <span className="timeline-member-name" title={m.state.path}>
                {show(planes.join(', '))} <span className="muted">{show(m.state.path.split(/[\\/]/).pop() ?? '')}</span>
              </span>
              <span className="timeline-lane">
                <span style={{ left: `${from * 100}%`, width: `${Math.max(0.5, (to - from) * 100)}%` }} />
              </span>
              <OffsetField id={m.id} offsetMs={m.offsetMs} act={act} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
