// The profile manager: create, edit, duplicate, delete with undo, group,
// pin, test the connection (the host runs `probe` and the report is shown),
// connect several at once, import and export as JSON (never a token). It
// takes everything through props: the host wires them to the core's profile
// store. Tokens are write-only here: typed in, handed to onSave, never shown.

import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { SecretStoreKind } from '@shared';
import {
  UndoBuffer,
  duplicateProfile,
  emptyForm,
  exportText,
  formOf,
  groupProfiles,
  importText,
  profileFlags,
  validateForm,
  type FormField,
  type Profile,
  type ProfileForm,
} from './logic.js';
import './profiles.css';

export interface ProfilesPanelProps {
  profiles: readonly Profile[];
  /** Where a token typed now is kept; store null: nowhere (the panel says so and offers the alternatives). */
  secretStore: { store: SecretStoreKind | null; label: string; reason?: string };
  /** Ids of profiles whose plane is open. */
  connected: ReadonlySet<string>;
  onSave(profile: Profile, token?: string): Promise<void>;
  /** Removes the profile but keeps its token until the undo expires (onPurge). */
  onDelete(id: string): Promise<void>;
  onRestore(profile: Profile): Promise<void>;
  onPurge(profile: Profile): void;
  onConnect(ids: string[]): void;
  /** Runs `probe` against the profile; resolves with its report as text. */
  onTest(id: string): Promise<string>;
  onImport(profiles: Profile[]): Promise<void>;
  /** Records the explicit choice to keep tokens in plain text (shown only where there is no secret store). */
  onAllowPlaintext?(): Promise<void>;
}

function FieldError({ errors, field }: { errors: Partial<Record<FormField | 'form', string>>; field: FormField | 'form' }): JSX.Element | null {
  const e = errors[field];
  return e ? (
    <span className="profiles-error" role="alert" data-testid={`profile-error-${field}`}>
      {e}
    </span>
  ) : null;
}

function Editor(props: {
  form: ProfileForm;
  existing: Profile | undefined;
  profiles: readonly Profile[];
  secretStore: ProfilesPanelProps['secretStore'];
  onAllowPlaintext: ProfilesPanelProps['onAllowPlaintext'];
  onCancel(): void;
  onSave(p: Profile, token?: string): Promise<void>;
}): JSX.Element {
  const [f, setF] = useState(props.form);
  const [errors, setErrors] = useState<Partial<Record<FormField | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ProfileForm>(k: K, v: ProfileForm[K]): void => setF((x) => ({ ...x, [k]: v }));
  const text = (k: keyof ProfileForm, label: string, field?: FormField, placeholder = ''): JSX.Element => (
    <label className="profiles-field">
      <span>{label}</span>
      <input data-testid={`profile-input-${String(k)}`} value={String(f[k] ?? '')} placeholder={placeholder} onChange={(e) => set(k, e.target.value as never)} />
      {field ? <FieldError errors={errors} field={field} /> : null}
    </label>
  );
  const save = async (): Promise<void> => {
    const others = props.profiles.filter((p) => p.id !== props.existing?.id);
    const r = validateForm(f, others, props.existing);
    if (!r.ok) return setErrors(r.errors);
    setBusy(true);
    try {
      await props.onSave(r.profile, r.token);
    } catch (e) {
      setErrors({ form: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  const noStore = props.secretStore.store === null;
  return (
    <form
      className="profiles-editor"
      data-testid="profile-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {text('name', 'Name', 'name')}
      <label className="profiles-field">
        <span>Kind</span>
        <select data-testid="profile-input-kind" value={f.kind} onChange={(e) => set('kind', e.target.value as ProfileForm['kind'])}>
          <option value="remote">Control plane</option>
          <option value="simulator">Embedded simulator</option>
        </select>
      </label>
      {f.kind === 'remote' ? (
        <>
          {text('url', 'URL', 'url', 'wss://plane.example:443')}
          <fieldset>
            <legend>Authentication</legend>
            <select data-testid="profile-input-auth" value={f.auth} onChange={(e) => set('auth', e.target.value as ProfileForm['auth'])}>
              {props.existing?.auth.type === 'token' ? <option value="keep">Keep the saved token</option> : null}
              <option value="none">No token (or SWARMDECK_TOKEN)</option>
              <option value="token">Token</option>
              <option value="command">Token command</option>
            </select>
            {f.auth === 'token' ? (
              <>
                <label className="profiles-field">
                  <span>Token (kept in {props.secretStore.label})</span>
                  <input data-testid="profile-input-token" type="password" autoComplete="off" value={f.token} disabled={noStore} onChange={(e) => set('token', e.target.value)} />
                  <FieldError errors={errors} field="token" />
                </label>
                {noStore ? (
                  <p className="profiles-warn" data-testid="profile-no-secret-store">
                    No secret store: {props.secretStore.reason ?? 'none is available'}. The token will not be saved. Use a token command or SWARMDECK_TOKEN instead
                    {props.onAllowPlaintext ? (
                      <>
                        , or{' '}
                        <button type="button" data-testid="profile-allow-plaintext" onClick={() => void props.onAllowPlaintext!()}>
                          keep tokens in plain text
                        </button>
                      </>
                    ) : null}
                    .
                  </p>
                ) : null}
                {props.secretStore.store === 'plaintext' ? <p className="profiles-danger">Tokens are kept in PLAIN TEXT on this machine.</p> : null}
              </>
            ) : null}
            {f.auth === 'command' ? text('tokenCommand', 'Token command', 'auth.command', 'vault read -field=token secret/plane') : null}
          </fieldset>
          <details>
            <summary>Connection</summary>
            {text('endpointAgents', 'Agents endpoint', 'endpoints.agents', '/agents, a ws(s) URL, or off')}
            {text('endpointGraph', 'Graph endpoint', 'endpoints.graph')}
            {text('endpointControl', 'Control endpoint', 'endpoints.control')}
            {text('caFile', 'CA file (PEM)', 'tls.caFile')}
            <label className="profiles-field profiles-check">
              <input type="checkbox" data-testid="profile-input-insecure" checked={f.insecure} onChange={(e) => set('insecure', e.target.checked)} />
              <span className={f.insecure ? 'profiles-danger' : ''}>Skip TLS verification (flagged)</span>
            </label>
            <label className="profiles-field">
              <span>Preferred protocol version</span>
              <select value={f.protocolVersion} onChange={(e) => set('protocolVersion', e.target.value)}>
                <option value="">Newest</option>
                <option value="2.0">2.0</option>
                <option value="1.1">1.1</option>
                <option value="1.0">1.0</option>
              </select>
            </label>
            <label className="profiles-field">
              <span>Compression</span>
              <select value={f.compression} onChange={(e) => set('compression', e.target.value)}>
                {['auto', 'none', 'gzip', 'deflate', 'brotli'].map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            {text('heartbeatTimeoutMs', 'Heartbeat timeout (ms)', 'timing.heartbeatTimeoutMs')}
            {text('handshakeTimeoutMs', 'Handshake wait (ms)', 'timing.handshakeTimeoutMs')}
            {text('backoffMinMs', 'Backoff min (ms)', 'timing.backoffMinMs')}
            {text('backoffMaxMs', 'Backoff max (ms)', 'timing.backoffMaxMs')}
          </details>
        </>
      ) : (
        <>
          {text('dialect', 'Dialect', 'simulator.dialect')}
          {text('agents', 'Agents', 'simulator.agents')}
          {text('rate', 'Rate (Hz)', 'simulator.rate')}
        </>
      )}
      {text('color', 'Colour', 'color', '#4cc9f0')}
      {text('group', 'Group', 'group')}
      {text('tags', 'Tags (comma-separated)', 'tags')}
      <label className="profiles-field profiles-check">
        <input type="checkbox" checked={f.pinned} onChange={(e) => set('pinned', e.target.checked)} />
        <span>Pinned</span>
      </label>
      <label className="profiles-field profiles-check">
        <input type="checkbox" data-testid="profile-input-autoConnect" checked={f.autoConnect} onChange={(e) => set('autoConnect', e.target.checked)} />
        <span>Connect on start</span>
      </label>
      <FieldError errors={errors} field="form" />
      <div className="profiles-actions">
        <button type="submit" data-testid="profile-save" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ProfilesPanel(props: ProfilesPanelProps): JSX.Element {
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<{ form: ProfileForm; existing?: Profile } | null>(null);
  const [report, setReport] = useState<{ id: string; text: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [lastDeleted, setLastDeleted] = useState<Profile | undefined>(undefined);
  const [exchange, setExchange] = useState<{ mode: 'import' | 'export'; text: string } | null>(null);
  const onPurge = useRef(props.onPurge);
  onPurge.current = props.onPurge;
  const undo = useMemo(() => new UndoBuffer((p) => onPurge.current(p)), []);
  // Closing the panel ends pending undos: their tokens are purged.
  useEffect(() => () => undo.flush(), [undo]);
  const groups = useMemo(() => groupProfiles(props.profiles, search), [props.profiles, search]);

  const remove = async (p: Profile): Promise<void> => {
    await props.onDelete(p.id);
    undo.push(p);
    setLastDeleted(undo.peek());
    setSelected((s) => new Set([...s].filter((x) => x !== p.id)));
  };
  const restore = async (): Promise<void> => {
    const p = undo.undo();
    setLastDeleted(undo.peek());
    if (p) await props.onRestore(p);
  };
  const test = async (p: Profile): Promise<void> => {
    setReport({ id: p.id, text: `Testing ${p.name}…` });
    try {
      setReport({ id: p.id, text: await props.onTest(p.id) });
    } catch (e) {
      setReport({ id: p.id, text: e instanceof Error ? e.message : String(e) });
    }
  };
  const toggle = (id: string): void => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  if (editing) {
    return (
      <div className="profiles" data-testid="profiles-panel">
        <Editor
          form={editing.form}
          existing={editing.existing}
          profiles={props.profiles}
          secretStore={props.secretStore}
          onAllowPlaintext={props.onAllowPlaintext}
          onCancel={() => setEditing(null)}
          onSave={async (p, token) => {
            await props.onSave(p, token);
            setEditing(null);
          }}
        />
      </div>
    );
  }

  return (
    <div className="profiles" data-testid="profiles-panel">
      <div className="profiles-toolbar">
        <input data-testid="profiles-search" placeholder="Search profiles" value={search} onChange={(e) => setSearch(e.target.value)} />
        <button data-testid="profile-new" onClick={() => setEditing({ form: emptyForm() })}>
          New
        </button>
        <button data-testid="profiles-connect" disabled={selected.size === 0} onClick={() => props.onConnect([...selected])}>
          Connect {selected.size > 0 ? selected.size : ''}
        </button>
        <button data-testid="profiles-import" onClick={() => setExchange({ mode: 'import', text: '' })}>
          Import
        </button>
        <button data-testid="profiles-export" onClick={() => setExchange({ mode: 'export', text: exportText(props.profiles.filter((p) => selected.size === 0 || selected.has(p.id))) })}>
          Export
        </button>
      </div>
      {lastDeleted ? (
        <div className="profiles-undo" role="status">
          Deleted “{lastDeleted.name}”.{' '}
          <button data-testid="profile-undo" onClick={() => void restore()}>
            Undo
          </button>
        </div>
      ) : null}
      {message ? (
        <div className="profiles-message" role="status" data-testid="profiles-message">
          {message}
        </div>
      ) : null}
      {exchange ? (
        <div className="profiles-exchange">
          <textarea data-testid="profiles-exchange-text" value={exchange.text} readOnly={exchange.mode === 'export'} onChange={(e) => setExchange({ ...exchange, text: e.target.value })} rows={8} />
          {exchange.mode === 'import' ? (
            <button
              data-testid="profiles-import-apply"
              onClick={() => {
                const r = importText(exchange.text, props.profiles);
                if ('error' in r) return setMessage(r.error);
                void props.onImport(r.profiles).then(() => {
                  const notes = [`Imported ${r.profiles.length} profile${r.profiles.length === 1 ? '' : 's'}.`];
                  for (const e of r.errors) notes.push(`Entry ${e.index + 1}${e.name ? ` “${e.name}”` : ''}: ${e.error}`);
                  if (r.tokensDropped.length) notes.push(`Tokens are never imported: add them again for ${r.tokensDropped.join(', ')}.`);
                  setMessage(notes.join(' '));
                  setExchange(null);
                });
              }}
            >
              Import these
            </button>
          ) : (
            <p className="profiles-note">Tokens are never exported.</p>
          )}
          <button onClick={() => setExchange(null)}>Close</button>
        </div>
      ) : null}
      {groups.map((g) => (
        <section key={g.group} className="profiles-group" data-testid={`profiles-group-${g.group}`}>
          <h3>{g.group}</h3>
          <ul className="plain">
            {g.profiles.map((p) => (
              <li key={p.id} className="profiles-row" data-testid={`profile-row-${p.id}`}>
                <input type="checkbox" aria-label={`select ${p.name}`} data-testid={`profile-select-${p.id}`} checked={selected.has(p.id)} onChange={() => toggle(p.id)} />
                <span className="swatch" style={{ background: p.color }} />
                <span className="profiles-name" data-testid="profile-name">
                  {p.pinned ? '📌 ' : ''}
                  {p.name}
                </span>
                <span className="profiles-url">{p.url ?? `simulator · ${p.simulator?.agents} agents`}</span>
                {props.connected.has(p.id) ? <span className="state-LIVE">connected</span> : null}
                {profileFlags(p).map((fl) => (
                  <span key={fl.id} className={fl.danger ? 'profiles-flag profiles-danger' : 'profiles-flag'} data-testid={`profile-flag-${fl.id}`}>
                    {fl.label}
                  </span>
                ))}
                <span className="profiles-row-actions">
                  <button onClick={() => props.onConnect([p.id])}>Connect</button>
                  <button onClick={() => void test(p)}>Test</button>
                  <button data-testid={`profile-edit-${p.id}`} onClick={() => setEditing({ form: formOf(p), existing: p })}>
                    Edit
                  </button>
                  <button onClick={() => setEditing({ form: formOf(duplicateProfile(p, props.profiles)) })}>Duplicate</button>
                  <button onClick={() => void props.onSave({ ...p, pinned: !p.pinned })}>{p.pinned ? 'Unpin' : 'Pin'}</button>
                  <button data-testid={`profile-delete-${p.id}`} onClick={() => void remove(p)}>
                    Delete
                  </button>
                </span>
                {report?.id === p.id ? (
                  <pre className="profiles-report" data-testid="profile-test-report">
                    {report.text}
                  </pre>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {groups.length === 0 ? <p className="profiles-note">{search ? 'No profile matches.' : 'No profiles yet.'}</p> : null}
    </div>
  );
}
