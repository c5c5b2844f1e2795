// React access to the console model: panels read slices with a selector and
// re-render only when that slice changes (zustand's useStore over
// useSyncExternalStore). A selector must return a stored value or a
// primitive, never a new object per call.

import { createContext, useContext, useEffect, useMemo, useRef, useState, type JSX, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ReplyOf, RequestName, RequestOf } from '@shared';
import type { ConsoleModel, ConsoleState } from './console-model.js';

const ModelContext = createContext<ConsoleModel | null>(null);

export function ConsoleProvider(props: { model: ConsoleModel; children: ReactNode }): JSX.Element {
  return <ModelContext.Provider value={props.model}>{props.children}</ModelContext.Provider>;
}

export function useModel(): ConsoleModel {
  const m = useContext(ModelContext);
  if (!m) throw new Error('useModel outside ConsoleProvider');
  return m;
}

export function useConsole<U>(selector: (s: ConsoleState) => U): U {
  return useStore(useModel().store, selector);
}

/** A value that re-reads every `ms` (clocks: time left, "waiting" states). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * A request of the contract asked again every `everyMs` while `on` (a
 * payload-less request: `recordings`, `replays`). `set` replaces the value
 * until the next answer (a control's own reply); `refresh` asks at once.
 * Answers after unmount or after `on` turned off are ignored.
 */
export function usePolled<K extends PolledRequest>(name: K, everyMs: number, on = true): { value: ReplyOf<K> | null; error: string | null; refresh: () => void; set: (v: ReplyOf<K>) => void } {
  const bridge = useModel().services.bridge;
  const [value, set] = useState<ReplyOf<K> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!bridge || !on) return;
    let live = true;
    const poll = (): void => {
      bridge.request(name, undefined as RequestOf<K>).then(
        (v) => {
          if (!live) return;
          set(v);
          setError(null);
        },
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      );
    };
    poll();
    const t = setInterval(poll, everyMs);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [bridge, name, everyMs, on, tick]);
  return { value, error, set, refresh: () => setTick((n) => n + 1) };
}

/** Requests that take no payload: the ones worth polling. */
type PolledRequest = { [K in RequestName]: undefined extends RequestOf<K> ? K : never }[RequestName];

/**
 * Plane id → label. Plane statuses change every second (rates); this changes
 * only when a plane is added, removed or renamed, so label-only panels do not
 * re-render with the rates.
 */
export function usePlaneLabels(): ReadonlyMap<string, string> {
  const key = useConsole((s) => JSON.stringify(s.planes.map((p) => [p.plane, p.label])));
  return useMemo(() => new Map(JSON.parse(key) as [string, string][]), [key]);
}

/**
 * `value`, but changing at most every `ms`: a panel that does real work per
 * change (the event log's filter over its whole history) follows a
 * frame-rate slice at a readable rate instead. The last change always lands.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + ms - Date.now();
    const apply = (): void => {
      last.current = Date.now();
      setShown(value);
    };
    if (wait <= 0) return apply();
    const t = setTimeout(apply, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms]);
  return shown;
}

/** Render counts per panel, for the render-count test (window.__swarmdeck.renders()). */
export const renderCounts: Record<string, number> = {};
export function useRenderCount(panel: string): void {
  renderCounts[panel] = (renderCounts[panel] ?? 0) + 1;
}
