// The Profiles panel in the console: ProfilesPanel (which takes everything
// through props) wired to the core's profile store over the contract
// (profiles, profile, profileConnect, profileTest). Which profiles are
// connected comes from the frames: a profile's plane has the profile's id.
// Tokens only go out, in a save; no reply holds one.

import { useCallback, useEffect, useMemo, useState, type JSX } from 'react';
import type { ProfileAction, ProfilesState } from '@shared';
import { useConsole, useModel, useRenderCount } from '../../store/hooks.js';
import { show, showBlock } from '../../ui/text.js';
import { FlightSettings } from './FlightSettings.js';
import type { PanelEntry } from '../panel-entry.js';
import { ProfilesPanel } from './ProfilesPanel.js';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function ProfilesConsolePanel(): JSX.Element {
  useRenderCount('profiles');
  const bridge = useModel().services.bridge;
  const planes = useConsole((s) => s.planes);
  const connected = useMemo(() => new Set(planes.map((p) => p.plane)), [planes]);
  const [state, setState] = useState<ProfilesState | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  /** The operator has read what opening the profile file found. */
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    if (!bridge) return;
    let live = true;
    bridge.request('profiles', undefined).then(
      (s) => live && setState(s),
      (e: unknown) => live && setStatus(`profiles unavailable: ${message(e)}`),
    );
    return () => {
      live = false;
    };
  }, [bridge]);

  /** One change; the reply is the new list. A refusal is shown and rethrown (the editor shows it by its form). */
  const act = useCallback(
    async (a: ProfileAction): Promise<void> => {
      if (!bridge) throw new Error('not connected to the core');
      try {
        setState(await bridge.request('profile', a));
      } catch (e) {
        setStatus(message(e));
        throw e;
      }
    },
    [bridge],
  );

  if (!bridge) return <p className="muted">Not connected to the core.</p>;
  if (!state) return <p className="muted" data-testid="profiles-loading">{status ?? 'Loading profiles…'}</p>;
  const notices = dismissed ? [] : state.notices;
  return (
    <div className="panel profiles-host" data-testid="profiles">
      {notices.length > 0 ? (
        <div className="profiles-banner profiles-warn" data-testid="profiles-notice">
          <span>{notices.map((n) => show(n)).join(' · ')}</span>
          <button type="button" className="only" aria-label="dismiss" onClick={() => setDismissed(true)}>
            ×
          </button>
        </div>
      ) : null}
      <p className="muted" data-testid="profiles-simulators" title="Simulators started from profiles; past the limit another is refused (MAX_RUNNING_SIMULATORS)">
        simulators running: {state.simulators.running} of at most {state.simulators.max}
      </p>
      {status ? (
        <div className="profiles-banner muted" role="status">
          <span data-testid="profiles-status">{show(status)}</span>
          <button type="button" className="only" aria-label="dismiss" onClick={() => setStatus(null)}>
            ×
          </button>
        </div>
      ) : null}
      <ProfilesPanel
        profiles={state.profiles}
        secretStore={state.secretStore}
        connected={connected}
        onSave={(profile, token) => act({ action: 'save', profile, ...(token !== undefined ? { token } : {}) })}
        onDelete={(id) => act({ action: 'delete', id })}
        onRestore={(profile) => act({ action: 'restore', profile })}
        onPurge={(profile) => void act({ action: 'purge', profile }).catch(() => undefined)}
        onImport={(profiles) => act({ action: 'import', profiles })}
        onAllowPlaintext={() => act({ action: 'allowPlaintext' })}
        onConnect={(ids) => {
          setStatus(`connecting ${ids.length}…`);
          bridge.request('profileConnect', { ids }).then(
            (r) => {
              const name = (id: string): string => state.profiles.find((p) => p.id === id)?.name ?? id;
              setStatus(r.results.map((x) => `${name(x.id)}: ${x.ok ? (x.message ?? 'connected') : `not connected: ${x.message ?? 'refused'}`}`).join(' · '));
            },
            (e: unknown) => setStatus(`connect failed: ${message(e)}`),
          );
        }}
        onTest={async (id) => showBlock((await bridge.request('profileTest', { id })).report)}
      />
      <FlightSettings />
    </div>
  );
}

export const panel: PanelEntry = {
  id: 'profiles',
  title: 'Profiles',
  component: ProfilesConsolePanel,
  placement: 'side',
  order: 3,
  keywords: ['profile', 'saved', 'connect', 'token', 'keychain', 'import', 'export'],
};
