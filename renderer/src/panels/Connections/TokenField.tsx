// A token for a plane that refused one (401 / AUTH_FAILED): sent to the core
// once, never shown again; the core keeps it in the profile's secret store (a
// saved profile) or for the session, and the plane reconnects with it.

import { useState, type JSX } from 'react';
import { useModel } from '../../store/hooks.js';
import { show } from '../../ui/text.js';

/** `say`: the row's line for what happened (it stays when the field goes, the plane no longer refusing). */
export function TokenField({ plane, say }: { plane: string; say: (line: string) => void }): JSX.Element {
  const model = useModel();
  const [token, setToken] = useState('');
  const submit = (): void => {
    const bridge = model.services.bridge;
    if (!bridge || token === '') return;
    say('reconnecting with the new token…');
    bridge.request('planeToken', { plane, token }).then(
      (r) => say(r.ok ? `token ${r.kept === 'profile' ? 'saved with the profile' : 'kept for this session'}; reconnecting` : `refused: ${show(r.message ?? '')}`),
      (e: unknown) => say(`failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    setToken('');
  };
  return (
    <form
      className="token-field"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        token{' '}
        <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} aria-label="token for this plane" data-testid="plane-token-input" />
      </label>{' '}
      <button type="submit" disabled={token === ''} data-testid="plane-token-submit">
        use token
      </button>
    </form>
  );
}
