// A plane's connection history as the core keeps it (monitor/
// connection-history.ts): state changes, stale detections, conformance notes,
// warnings and errors, newest first. The same in every window and after a reload.

import { useMemo, type JSX } from 'react';
import { useConsole, useModel } from '../../store/hooks.js';
import { clock } from '../../ui/format.js';
import { show } from '../../ui/text.js';

/** Notes listed at once; the rest stay in the core's history (counted there). */
const SHOWN = 50;

export function ConnectionHistory(props: { plane: string }): JSX.Element | null {
  const model = useModel();
  const v = useConsole((s) => s.connectionV);
  const notes = useMemo(() => (model.data.session.connection.get(props.plane) ?? []).slice(-SHOWN).reverse(), [v, props.plane]); // eslint-disable-line react-hooks/exhaustive-deps
  if (notes.length === 0) return null;
  return (
    <details className="conn-history" data-testid="connection-history">
      <summary>history ({notes.length} latest)</summary>
      <ul className="plain">
        {notes.map((n) => (
          <li key={n.n} className={`note-${n.kind}`} data-kind={n.kind}>
            <span className="muted">{clock(n.at)}</span> {n.state ? <strong className={`state-${n.state}`}>{n.state}</strong> : null} {show(n.text)}
          </li>
        ))}
      </ul>
    </details>
  );
}
