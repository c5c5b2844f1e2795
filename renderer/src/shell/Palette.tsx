// The command palette (cmdk): every action, filtered as the operator types.

import { Command } from 'cmdk';
import { useEffect, useMemo, useState, type JSX } from 'react';
import { flushSync } from 'react-dom';
import { useModel } from '../store/hooks.js';
import { buildActions, OPEN_PALETTE_EVENT } from './actions.js';

export function Palette(): JSX.Element | null {
  const model = useModel();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    // Opened at once, inside the key press that asked (flushSync): the input is mounted and focused
    // before the next key arrives, so every character typed after Ctrl+K lands in it and none
    // reaches a single-key shortcut. A second Ctrl+K keeps it open (Escape or a click outside closes).
    const onOpen = (): void => {
      flushSync(() => setOpen(true));
      document.querySelector<HTMLInputElement>('[data-testid="palette-input"]')?.focus();
    };
    window.addEventListener(OPEN_PALETTE_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_PALETTE_EVENT, onOpen);
  }, []);
  // Built when opened: the plane list and toggles' titles are current.
  const actions = useMemo(() => (open ? buildActions(model) : []), [open, model]);
  if (!open) return null;
  const groups = [...new Set(actions.map((a) => a.group))];
  return (
    <div className="overlay" onMouseDown={() => setOpen(false)}>
      <div className="palette" onMouseDown={(e) => e.stopPropagation()} data-testid="palette">
        <Command label="Command palette" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <Command.Input autoFocus placeholder="Type a command…" data-testid="palette-input" />
          <Command.List>
            <Command.Empty>No matching command.</Command.Empty>
            {groups.map((g) => (
              <Command.Group key={g} heading={g}>
                {actions
                  .filter((a) => a.group === g)
                  .map((a) => (
                    <Command.Item
                      key={a.id}
                      value={`${a.title} ${a.id}`}
                      onSelect={() => {
                        setOpen(false);
                        a.run();
                      }}
                    >
                      <span>{a.title}</span>
                      {a.shortcut ? <kbd>{a.shortcut}</kbd> : null}
                    </Command.Item>
                  ))}
              </Command.Group>
            ))}
          </Command.List>
        </Command>
      </div>
    </div>
  );
}
