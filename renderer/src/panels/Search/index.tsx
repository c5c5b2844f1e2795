// Search: agents by id, namespace, state, capability or plane, answered by
// the core from its stores (bounded). The graph dims what does not match;
// Enter focuses the first match.

import { useEffect, useRef, useState, type JSX } from 'react';
import { FOCUS_SEARCH_EVENT } from '../../shell/actions.js';
import { useConsole, useModel, usePlaneLabels, useRenderCount } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { parseQuery, unknownKeyMessage } from './query.js';

const DEBOUNCE_MS = 150;

function SearchPanel(): JSX.Element {
  useRenderCount('search');
  const model = useModel();
  const search = useConsole((s) => s.search);
  const labels = usePlaneLabels();
  const [text, setText] = useState(search.query);
  const input = useRef<HTMLInputElement>(null);
  const seq = useRef(0);

  useEffect(() => {
    const focus = (): void => input.current?.focus();
    window.addEventListener(FOCUS_SEARCH_EVENT, focus);
    return () => window.removeEventListener(FOCUS_SEARCH_EVENT, focus);
  }, []);

  useEffect(() => {
    const req = parseQuery(text).request;
    const mine = ++seq.current;
    if (!req) {
      model.store.setState({ search: { query: text, result: null, error: null } });
      return;
    }
    const t = setTimeout(() => {
      const bridge = model.services.bridge;
      if (!bridge) return;
      bridge.request('search', req).then(
        (result) => mine === seq.current && model.store.setState({ search: { query: text, result, error: null } }),
        (e: unknown) => mine === seq.current && model.store.setState({ search: { query: text, result: null, error: e instanceof Error ? e.message : String(e) } }),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, model]);

  const unknownKeys = unknownKeyMessage(parseQuery(text).unknownKeys);
  const first = search.result?.matches[0];
  const go = (m: { plane: string; id: number }): void => {
    model.select({ plane: m.plane, id: m.id });
    model.services.graph?.focusAgent({ plane: m.plane, id: m.id }, false);
  };
  const label = (p: string): string => labels.get(p) ?? p;
  return (
    <div className="panel search" data-testid="search">
      <div className="toolbar">
        <input
          ref={input}
          type="search"
          placeholder="agent-007 · ns:research · state:error · cap:nlp · plane:sim"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && first) go(first);
            if (e.key === 'Escape') setText('');
          }}
          data-testid="search-input"
          aria-label="search agents"
        />
        <button type="button" onClick={() => setText('')}>
          clear
        </button>
      </div>
      {unknownKeys ? (
        <p className="error" data-testid="search-unknown-key">
          {show(unknownKeys)}
        </p>
      ) : null}
      {search.error ? <p className="error">{show(search.error)}</p> : null}
      {search.result ? (
        <>
          <p className="muted" data-testid="search-count">
            {search.result.total} match{search.result.total === 1 ? '' : 'es'}
            {search.result.truncated ? ` (first ${search.result.matches.length} shown)` : ''} · the graph dims the rest · Enter focuses the first
          </p>
          <ul className="plain results" data-testid="search-results">
            {search.result.matches.map((m) => (
              <li key={`${m.plane}:${m.id}`}>
                <button type="button" className="link" onClick={() => go(m)}>
                  {show(m.label)}
                </button>
                {m.name ? <span className="agent-name"> {show(m.name)}</span> : null}
                <span className="muted">
                  {' '}
                  {show(m.stateName)}
                  {m.namespace ? ` · ${show(m.namespace)}` : ''} · {show(label(m.plane))}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Type to search; the graph shows only the matches lit.</p>
      )}
    </div>
  );
}

export const panel: PanelEntry = { id: 'search', title: 'Search', component: SearchPanel, placement: 'side', order: 2, keywords: ['find', 'agent'] };
