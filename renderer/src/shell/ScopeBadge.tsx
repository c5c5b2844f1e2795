// The top bar's note of a window that shows only some planes (a plane opened
// in its own window): which ones, and a button that widens it to every plane.
// Also says when the URL's plane list could not be used.

import { useEffect, type JSX } from 'react';
import type { ConsoleModel } from '../store/console-model.js';
import { useConsole } from '../store/hooks.js';
import { show } from '../ui/text.js';
import { scopedPageUrl } from './window-scope.js';

export function ScopeBadge(props: { model: ConsoleModel }): JSX.Element | null {
  const info = useConsole((s) => s.appInfo);
  const problem = useConsole((s) => s.scopeProblem);
  const scope = info?.scope ?? null;
  const labels = scope === null ? [] : scope.map((id) => info?.planes.find((p) => p.plane === id)?.label ?? `${id} (not open)`);
  const title = labels.join(', ');
  useEffect(() => {
    document.title = title ? `${title} · Swarmdeck` : 'Swarmdeck';
  }, [title]);
  if (problem) {
    return (
      <span className="scope-badge scope-problem" role="status" data-testid="scope-problem">
        {show(problem)}
      </span>
    );
  }
  if (scope === null) return null;
  const widen = (): void => {
    // The same view, now of every plane (answered with their session state, then a complete frame); a reload keeps it so.
    void props.model.hello(undefined).then(() => history.replaceState(null, '', scopedPageUrl(location, null)));
  };
  return (
    <span className="scope-badge" data-testid="view-scope" data-planes={scope.join(' ')}>
      only <strong>{show(title)}</strong>
      <button type="button" onClick={widen} data-testid="view-scope-all" title="Show every plane in this window">
        all planes
      </button>
    </span>
  );
}
