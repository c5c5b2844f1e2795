// The list of sent commands (the core's command log: from every window and
// reload) with state, duration and response; fetch_logs output as readable,
// copyable lines. Clicking one opens the moment it was sent.

import { useMemo, useState, type JSX, type MouseEvent } from 'react';
import { agentNumber, type CommandEntry, type CommandResult } from '@shared';
import { openMoment } from '../../shell/open-moment.js';
import { commandState } from './command-state.js';
import { useConsole, useModel, useNow } from '../../store/hooks.js';
import { clock, duration } from '../../ui/format.js';
import { show, showBlock } from '../../ui/text.js';
import { logLines } from './build-request.js';

export function describeResult(r: CommandResult): string {
  switch (r.status) {
    case 'success':
    case 'failed': {
      // The result object, unless it is fetch_logs output (shown as lines below).
      const result = r.payload.result;
      const extra = result !== undefined && !logLines(r.payload) ? ` ${JSON.stringify(result).slice(0, 200)}` : '';
      return `${r.status} in ${Math.round(r.latencyMs)} ms${r.message ? `: ${r.message}` : ''}${extra}`;
    }
    case 'error':
      return `error ${r.code}: ${r.message} (${r.recoverable ? 'recoverable' : 'not recoverable'}; ${r.suggestedAction})`;
    case 'timeout':
      return `TIMEOUT after ${Math.round(r.timeoutMs / 1000)} s${r.sent ? '' : ' (never sent)'}`;
    case 'refused':
      return `refused ${r.code}: ${r.message}`;
  }
}

function Logs(props: { lines: string[] }): JSX.Element {
  const [copied, setCopied] = useState(false);
  const text = props.lines.join('\n');
  return (
    <div className="logs">
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
        }}
        data-testid="logs-copy"
      >
        {copied ? 'copied' : 'copy'}
      </button>
      <pre data-testid="logs">{showBlock(text)}</pre>
    </div>
  );
}

function Item(props: { c: CommandEntry; now: number }): JSX.Element {
  const { c, now } = props;
  const state = commandState(c, now);
  const lines = c.result && (c.result.status === 'success' || c.result.status === 'failed') ? logLines(c.result.payload) : null;
  const took = c.result ? (c.settledAt ?? now) - c.sentAt : now - c.sentAt;
  const target = c.target;
  const model = useModel();
  const [problem, setProblem] = useState<string | null>(null);
  // A command opens the moment it was sent (10 s before, its agent selected): rewound, or its recording sought. Not from its buttons.
  const open = (e: MouseEvent<HTMLLIElement>): void => {
    if ((e.target as HTMLElement).closest('button, select, input, pre')) return;
    void openMoment(model, c.plane, c.sentAt, target !== undefined ? agentNumber(target) : null).then(setProblem);
  };
  return (
    <li className={`result-${state}`} data-status={c.result?.status ?? 'pending'} data-state={state} data-testid="command-entry" onClick={open} title="Rewind to 10 s before this command was sent">
      <div className="cmd-head">
        <span className={`cmd-state state-chip chip-${state}`}>{state.toUpperCase()}</span>
        <strong>{show(c.name)}</strong> {c.result ? show(describeResult(c.result)) : `${state}… ${duration(took)}`}
      </div>
      <div className="muted cmd-meta">
        {clock(c.sentAt)} · {show(c.plane)}
        {target ? ` · ${show(target)}` : ''} · {duration(took)}
      </div>
      {lines ? <Logs lines={lines} /> : null}
      {problem ? (
        <div className="muted" data-testid="command-moment-problem">
          cannot open its moment: {show(problem)}
        </div>
      ) : null}
    </li>
  );
}

/** Every sent command, newest first; with `agent`, only those addressed to it. */
export function CommandList(props: { agent?: string; plane?: string }): JSX.Element {
  const model = useModel();
  const commandsV = useConsole((s) => s.commandsV);
  const now = useNow(500);
  // Newest first, across planes.
  const all = useMemo(() => model.data.session.commands.list().sort((a, b) => b.sentAt - a.sentAt || b.id - a.id), [commandsV]); // eslint-disable-line react-hooks/exhaustive-deps
  const items = props.agent === undefined ? all : all.filter((c) => c.plane === props.plane && c.target === props.agent);
  return (
    <>
      <ul className="plain command-list" data-testid="command-results">
        {items.map((c) => (
          <Item key={`${c.plane}\u0000${c.id}`} c={c} now={now} />
        ))}
      </ul>
      {items.length === 0 ? <p className="muted">No commands sent yet.</p> : null}
    </>
  );
}
