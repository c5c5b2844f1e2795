// Events: the core's event log as this view holds it, in a virtualised list
// (newest first), rendered by type, filtered by type, plane, agent, level and
// text; pause (the view keeps what arrives), export of the filtered view as
// NDJSON, click to select the agent. Scrolling to the end (or "load older")
// pages older events in from the core.

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type JSX } from 'react';
import { agentNumber, eventAgent, type PlaneEvent } from '@shared';
import { useConsole, useModel, usePlaneLabels, useRenderCount, useThrottled } from '../../store/hooks.js';
import { clock } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { eventLevel, eventView, LEVELS, type EventLevel } from './event-text.js';
import { beforeRewind, DEFAULT_FILTER, filterEvents, toNdjson, typesOf, type EventFilter } from './filter-events.js';
import { clockSource } from '../../shell/services.js';

const ROW_PX = 22;
const LOG_REFRESH_MS = 200;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Row(props: { ev: PlaneEvent; label: string; onClick: () => void }): JSX.Element {
  const { ev } = props;
  const v = eventView(ev);
  const level = eventLevel(ev);
  return (
    <div className={`event-row level-${level}`} data-testid="event-row" data-type={ev.type} data-level={level} data-plane={ev.plane} data-seq={ev.seq} onClick={props.onClick} title={show(ev.type)}>
      <span className="ev-time" data-testid="event-time">
        {clock(ev.at)}
      </span>
      <span className="ev-type">{show(ev.type)}</span>
      <span className="ev-summary">{show(v.summary)}</span>
      {v.figures ? (
        <span className="ev-figures">
          {v.figures.map(([k, x]) => (
            <span key={k}>
              <em>{k}</em> {show(x)}
            </span>
          ))}
        </span>
      ) : null}
      <span className="ev-plane">{show(props.label)}</span>
    </div>
  );
}

function EventsPanel(): JSX.Element {
  useRenderCount('events');
  const model = useModel();
  // The log's filter runs over its whole history: follow new events at most every LOG_REFRESH_MS.
  const eventsV = useThrottled(useConsole((s) => s.eventsV), LOG_REFRESH_MS);
  const paused = useConsole((s) => s.paused);
  const loadingOlder = useConsole((s) => s.loadingOlder);
  const labels = usePlaneLabels();
  const [filter, setFilter] = useState<EventFilter>(DEFAULT_FILTER);
  const frozen = useRef<{ events: PlaneEvent[]; pushed: number } | null>(null);
  if (paused && !frozen.current) frozen.current = { events: model.data.log.toArray(), pushed: model.data.log.pushed };
  if (!paused) frozen.current = null;
  const all = useMemo(() => frozen.current?.events ?? model.data.log.toArray(), [eventsV, paused]); // eslint-disable-line react-hooks/exhaustive-deps
  const rewound = useSyncExternalStore(
    (l) => clockSource().subscribe(l),
    () => clockSource().rewound(),
  );
  // Flow stats: one row per flow (its newest sample); the export keeps every event held.
  const shown = useMemo(() => filterEvents(beforeRewind(all, rewound), filter, true), [all, filter, rewound]);
  const types = useMemo(() => typesOf(all), [all]);
  const arrived = paused && frozen.current ? model.data.log.pushed - frozen.current.pushed : 0;
  const older = useMemo(() => model.data.log.planesWithMore().length > 0, [all]); // eslint-disable-line react-hooks/exhaustive-deps
  const full = model.data.log.full;
  const evicted = model.evictions().events;

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12 });
  // Scrolled to the oldest row held: page older ones in from the core.
  const items = virtual.getVirtualItems();
  const atEnd = items.length > 0 && items[items.length - 1]!.index >= shown.length - 1;
  useEffect(() => {
    if (atEnd && older && !full && !loadingOlder && !paused) void model.loadOlder();
  }, [atEnd, older, full, loadingOlder, paused, model]);
  const set = (patch: Partial<EventFilter>): void => setFilter((f) => ({ ...f, ...patch }));
  const selectAgent = (ev: PlaneEvent): void => {
    const a = eventAgent(ev);
    const id = a === undefined ? null : agentNumber(a);
    if (id !== null) model.select({ plane: ev.plane, id });
  };

  return (
    <div className="panel events-panel" data-testid="events-panel">
      <div className="toolbar">
        <input type="search" placeholder="filter text" value={filter.text} onChange={(e) => set({ text: e.target.value })} data-testid="log-filter" aria-label="filter text" />
        <select value={filter.types[0] ?? ''} onChange={(e) => set({ types: e.target.value ? [e.target.value] : [] })} aria-label="event type" data-testid="log-type">
          <option value="">all types</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {show(t)}
            </option>
          ))}
        </select>
        <select value={filter.plane} onChange={(e) => set({ plane: e.target.value })} aria-label="plane" data-testid="log-plane">
          <option value="">all planes</option>
          {[...labels].map(([id, label]) => (
            <option key={id} value={id}>
              {show(label)}
            </option>
          ))}
        </select>
        <input className="short-input" placeholder="agent" value={filter.agent} onChange={(e) => set({ agent: e.target.value })} aria-label="agent" data-testid="log-agent" />
        <select value={filter.level} onChange={(e) => set({ level: e.target.value as EventLevel })} aria-label="lowest level" data-testid="log-level">
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l === 'debug' ? 'all (incl. heartbeats)' : `${l} and above`}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => model.store.setState({ paused: !paused })} data-testid="log-pause" aria-pressed={paused} title="Pause the log (p)">
          {paused ? `resume${arrived ? ` (${arrived} new)` : ''}` : 'pause'}
        </button>
        <button type="button" onClick={() => download(`swarmdeck-events-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`, toNdjson(filterEvents(all, filter)))} data-testid="log-export">
          export
        </button>
        <span className="muted" data-testid="log-count">
          {shown.length} of {all.length}
          {evicted ? ` · ${evicted} evicted by the core` : ''}
        </span>
        {older ? (
          <button
            type="button"
            onClick={() => void model.loadOlder()}
            disabled={loadingOlder || full}
            data-testid="log-older"
            title={full ? `this view holds ${model.data.log.capacity.toLocaleString('en-US')} events, its most; older ones stay in the core` : 'Page older events in from the core'}
          >
            {loadingOlder ? 'loading…' : full ? 'older in the core' : 'load older'}
          </button>
        ) : (
          <span className="muted" data-testid="log-start">
            from the start{evicted ? ' the core holds' : ''}
          </span>
        )}
      </div>
      <div className="event-list" ref={scroller} data-testid="events">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((vi) => {
            const ev = shown[vi.index]!;
            return (
              <div key={`${ev.plane}:${ev.seq}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_PX, transform: `translateY(${vi.start}px)` }}>
                <Row ev={ev} label={labels.get(ev.plane) ?? ev.plane} onClick={() => selectAgent(ev)} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export const panel: PanelEntry = { id: 'events', title: 'Events', component: EventsPanel, placement: 'bottom', order: 10, keywords: ['log', 'messages'] };
