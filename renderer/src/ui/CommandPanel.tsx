// Send a command to the selected agent and track it to its result (success,
// failed, error, timeout or refused). Results are shown as text.

import { useState, type JSX } from 'react';
import type { CommandRequest, CommandResult, SwarmdeckBridge } from '../../../electron/core/ipc/contract.js';
import { parseParams } from './params.js';

const KNOWN = ['restart', 'update', 'fetch_logs', 'execute_tool'];
const HISTORY = 5;

interface Sent {
  key: number;
  command: string;
  result: CommandResult | null;
}

export function CommandPanel(props: { bridge: SwarmdeckBridge; plane: string; agent: string }): JSX.Element {
  const [kind, setKind] = useState<'command' | 'execute'>('command');
  const [name, setName] = useState('restart');
  const [params, setParams] = useState('');
  const [timeoutS, setTimeoutS] = useState('30');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<Sent[]>([]);

  const submit = (): void => {
    const p = parseParams(params);
    const t = Number(timeoutS);
    if (!name.trim()) return setError('a command name is needed');
    if (!p.ok) return setError(p.error);
    if (!Number.isFinite(t) || t <= 0 || t > 600) return setError('timeout must be between 0 and 600 seconds');
    setError(null);
    const timeoutMs = Math.round(t * 1000);
    const request: CommandRequest =
      kind === 'command'
        ? { kind, command: name.trim(), parameters: p.value, agentId: props.agent, timeoutMs }
        : { kind, command: name.trim(), parameters: p.value, targetAgent: props.agent, timeoutMs };
    const key = Date.now() + Math.random();
    setSent((s) => [{ key, command: name.trim(), result: null }, ...s].slice(0, HISTORY));
    const settle = (result: CommandResult): void => setSent((s) => s.map((x) => (x.key === key ? { ...x, result } : x)));
    props.bridge.command({ plane: props.plane, request }).then(settle, (e: unknown) =>
      settle({ status: 'refused', plane: props.plane, command: name.trim(), code: 'IPC_ERROR', message: e instanceof Error ? e.message : String(e) }),
    );
  };

  return (
    <div className="commands" data-testid="command-panel">
      <h3>command</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="row">
          <select value={kind} onChange={(e) => setKind(e.target.value as 'command' | 'execute')} aria-label="message type">
            <option value="command">command</option>
            <option value="execute">control.execute</option>
          </select>
          <input list="known-commands" value={name} onChange={(e) => setName(e.target.value)} aria-label="command name" data-testid="command-name" />
          <datalist id="known-commands">
            {KNOWN.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </div>
        <textarea
          rows={2}
          placeholder="key=value per line, or a JSON object"
          value={params}
          onChange={(e) => setParams(e.target.value)}
          aria-label="parameters"
          data-testid="command-params"
        />
        <div className="row">
          <label>
            timeout <input className="short" value={timeoutS} onChange={(e) => setTimeoutS(e.target.value)} aria-label="timeout seconds" /> s
          </label>
          <button type="submit" data-testid="command-send">
            send
          </button>
        </div>
      </form>
      {error ? (
        <p className="error" role="alert" data-testid="command-error">
          {error}
        </p>
      ) : null}
      <ul className="plain" data-testid="command-results">
        {sent.map((s) => (
          <li key={s.key} className={`result-${s.result?.status ?? 'pending'}`} data-status={s.result?.status ?? 'pending'}>
            <strong>{s.command}</strong> {s.result ? describe(s.result) : 'pending…'}
          </li>
        ))}
      </ul>
    </div>
  );
}

function describe(r: CommandResult): string {
  switch (r.status) {
    case 'success':
    case 'failed':
      return `${r.status} in ${Math.round(r.latencyMs)} ms${r.message ? `: ${r.message}` : ''}${Object.keys(r.payload).length ? ` ${JSON.stringify(r.payload).slice(0, 200)}` : ''}`;
    case 'error':
      return `error ${r.code}: ${r.message} (${r.recoverable ? 'recoverable' : 'not recoverable'}; ${r.suggestedAction})`;
    case 'timeout':
      return `timeout after ${Math.round(r.timeoutMs / 1000)} s${r.sent ? '' : ' (never sent)'}`;
    case 'refused':
      return `refused ${r.code}: ${r.message}`;
  }
}
