// A form for each kind of command (command, control.execute,
// control.multi-agent.configure), validated before sending, then confirmed.
// Sent commands go to the console's one command list.

import { useState, type JSX } from 'react';
import type { CommandRequest } from '@shared';
import { useConsole, useModel } from '../../store/hooks.js';
import { show } from '../../ui/text.js';
import { buildRequest, CP_COMMANDS, describeRequest, EXECUTE_COMMANDS, STRATEGIES, TOPOLOGIES, type CommandForm as Form } from './build-request.js';

type Kind = Form['kind'];

export function CommandForm(props: { plane?: string; agent?: string }): JSX.Element {
  const model = useModel();
  const planes = useConsole((s) => s.planes);
  const [kind, setKind] = useState<Kind>('command');
  const [plane, setPlane] = useState(props.plane ?? '');
  const [command, setCommand] = useState('restart');
  const [agent, setAgent] = useState(props.agent ?? '');
  // Parameters belong to the command they were typed for: choosing another command shows its own (empty at first).
  const [paramsBy, setParamsBy] = useState<Record<string, string>>({});
  const paramsKey = `${kind}:${command}`;
  const params = paramsBy[paramsKey] ?? '';
  const setParams = (v: string): void => setParamsBy((m) => ({ ...m, [paramsKey]: v }));
  const [timeoutS, setTimeoutS] = useState('30');
  const [cfg, setCfg] = useState({ multiAgentId: 'multi-agent-001', topology: 'HIERARCHICAL', strategy: 'consensus', faultTolerance: true, redundancy: '2', heartbeatMs: '5000', maxLatencyMs: '100', minThroughput: '1000', targetSuccessRate: '0.99' });
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ plane: string; request: CommandRequest } | null>(null);
  const target = props.agent ?? agent;
  const planeId = props.plane ?? (plane || planes[0]?.plane || '');

  const form = (): Form =>
    kind === 'command'
      ? { kind, command, agent: target, params, timeoutS }
      : kind === 'execute'
        ? { kind, command, target, params, timeoutS }
        : { kind, ...cfg, timeoutS };

  const submit = (): void => {
    if (!planeId) return setError('no plane to send to');
    const b = buildRequest(form());
    if (!b.ok) {
      setConfirm(null);
      return setError(b.error);
    }
    setError(null);
    setConfirm({ plane: planeId, request: b.request });
  };
  const send = (): void => {
    if (!confirm) return;
    void model.sendCommand(confirm.plane, confirm.request);
    setConfirm(null);
  };
  const names = kind === 'execute' ? EXECUTE_COMMANDS : CP_COMMANDS;
  const listId = `known-${kind}-${props.agent ?? 'any'}`;

  return (
    <div className="commands" data-testid="command-panel">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="row">
          <select
            value={kind}
            onChange={(e) => {
              const k = e.target.value as Kind;
              setKind(k);
              setCommand(k === 'execute' ? 'ping' : 'restart');
              setConfirm(null);
            }}
            aria-label="message type"
            data-testid="command-kind"
          >
            <option value="command">command</option>
            <option value="execute">control.execute</option>
            <option value="configure">control.multi-agent.configure</option>
          </select>
          {props.plane === undefined ? (
            <select value={planeId} onChange={(e) => setPlane(e.target.value)} aria-label="plane" data-testid="command-plane">
              {planes.map((p) => (
                <option key={p.plane} value={p.plane}>
                  {show(p.label)}
                </option>
              ))}
            </select>
          ) : null}
        </div>
        {kind !== 'configure' ? (
          <>
            <div className="row">
              <input list={listId} value={command} onChange={(e) => setCommand(e.target.value)} aria-label="command name" data-testid="command-name" />
              <datalist id={listId}>
                {names.map((k) => (
                  <option key={k} value={k} />
                ))}
              </datalist>
              {props.agent === undefined ? (
                <input value={agent} onChange={(e) => setAgent(e.target.value)} placeholder={kind === 'execute' ? 'target agent (required)' : 'agent (optional)'} aria-label="agent" data-testid="command-agent" />
              ) : null}
            </div>
            <textarea rows={2} placeholder="key=value per line, or a JSON object" value={params} onChange={(e) => setParams(e.target.value)} aria-label="parameters" data-testid="command-params" />
          </>
        ) : (
          <div className="configure-grid">
            <label>
              multi-agent id <input value={cfg.multiAgentId} onChange={(e) => setCfg({ ...cfg, multiAgentId: e.target.value })} data-testid="cfg-id" />
            </label>
            <label>
              topology{' '}
              <select value={cfg.topology} onChange={(e) => setCfg({ ...cfg, topology: e.target.value })} data-testid="cfg-topology">
                {TOPOLOGIES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            <label>
              strategy{' '}
              <select value={cfg.strategy} onChange={(e) => setCfg({ ...cfg, strategy: e.target.value })}>
                {STRATEGIES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={cfg.faultTolerance} onChange={(e) => setCfg({ ...cfg, faultTolerance: e.target.checked })} /> fault tolerance
            </label>
            <label>
              redundancy <input className="short" value={cfg.redundancy} onChange={(e) => setCfg({ ...cfg, redundancy: e.target.value })} data-testid="cfg-redundancy" />
            </label>
            <label>
              heartbeat ms <input className="short" value={cfg.heartbeatMs} onChange={(e) => setCfg({ ...cfg, heartbeatMs: e.target.value })} />
            </label>
            <label>
              max latency ms <input className="short" value={cfg.maxLatencyMs} onChange={(e) => setCfg({ ...cfg, maxLatencyMs: e.target.value })} />
            </label>
            <label>
              min throughput <input className="short" value={cfg.minThroughput} onChange={(e) => setCfg({ ...cfg, minThroughput: e.target.value })} />
            </label>
            <label>
              target success <input className="short" value={cfg.targetSuccessRate} onChange={(e) => setCfg({ ...cfg, targetSuccessRate: e.target.value })} />
            </label>
          </div>
        )}
        <div className="row">
          <label>
            timeout <input className="short" value={timeoutS} onChange={(e) => setTimeoutS(e.target.value)} aria-label="timeout seconds" data-testid="command-timeout" /> s
          </label>
          <button type="submit" className="primary" data-testid="command-send">
            send…
          </button>
        </div>
      </form>
      {error ? (
        <p className="error" role="alert" data-testid="command-error">
          {error}
        </p>
      ) : null}
      {confirm ? (
        <div className="confirm" role="alertdialog" data-testid="command-confirm">
          <span>Send {show(describeRequest(confirm.plane, confirm.request))}?</span>
          <button type="button" className="primary" onClick={send} data-testid="command-confirm-send" autoFocus>
            confirm
          </button>
          <button type="button" onClick={() => setConfirm(null)}>
            cancel
          </button>
        </div>
      ) : null}
    </div>
  );
}
