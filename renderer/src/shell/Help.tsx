// The help overlay: every keyboard shortcut.

import { useEffect, useState, type JSX } from 'react';
import { useModel } from '../store/hooks.js';
import { buildActions, OPEN_HELP_EVENT } from './actions.js';

export function Help(): JSX.Element | null {
  const model = useModel();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onOpen = (): void => setOpen((o) => !o);
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener(OPEN_HELP_EVENT, onOpen);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener(OPEN_HELP_EVENT, onOpen);
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  if (!open) return null;
  const keyed = buildActions(model).filter((a) => a.shortcut);
  return (
    <div className="overlay" onMouseDown={() => setOpen(false)}>
      <div className="help" onMouseDown={(e) => e.stopPropagation()} data-testid="help" role="dialog" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {keyed.map((a) => (
              <tr key={a.id}>
                <td>
                  <kbd>{a.shortcut}</kbd>
                </td>
                <td>{a.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Single keys work when no text field has focus. Every action is also in the palette.</p>
        <button type="button" onClick={() => setOpen(false)}>
          close
        </button>
      </div>
    </div>
  );
}
