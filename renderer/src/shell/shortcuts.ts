// Keyboard shortcuts: single keys when no text field has focus, Ctrl/Cmd+K always.

import type { Action } from './actions.js';

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** The action a key press runs, if any (pure: tested). */
export function actionForKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; target: EventTarget | null }, actions: readonly Action[]): Action | undefined {
  const byId = (id: string): Action | undefined => actions.find((a) => a.id === id);
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') return byId('palette');
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return undefined;
  switch (e.key) {
    case '?':
      return byId('help');
    case 'f':
    case 'F':
      return byId('fit');
    case '/':
      return byId('search');
    case 'n':
    case 'N':
      return byId('next-error');
    case 'p':
    case 'P':
      return byId('pause');
    case 'Escape':
      return byId('clear-selection');
    default:
      return undefined;
  }
}
