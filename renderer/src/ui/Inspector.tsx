// The agent inspector: everything the core knows about the selected agent,
// refreshed while it is open. Values are rendered as text only.

import { useEffect, useState, type JSX } from 'react';
import type { AgentDetail, SwarmdeckBridge } from '../../../electron/core/ipc/contract.js';
import { agentLabel } from '../../../electron/core/protocol/events.js';
import { CommandPanel } from './CommandPanel.js';

const REFRESH_MS = 500;

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const bytes = (n: number): string => (n >= 1 << 30 ? `${fmt(n / (1 << 30), 2)} GiB` : n >= 1 << 20 ? `${fmt(n / (1 << 20))} MiB` : `${Math.round(n)} B`);

export function Inspector(props: { bridge: SwarmdeckBridge; plane: string; planeLabel: string; id: number; onClose: () => void }): JSX.Element {
  const { bridge, plane, id } = props;
  const [detail, setDetail] = useState<AgentDetail | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      bridge.inspect({ plane, id }).then(
        (d) => live && setDetail(d),
        () => live && setDetail(null),
      );
    };
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [bridge, plane, id]);

  return (
    <section className="inspector" data-testid="inspector">
      <header>
        <strong data-testid="inspector-agent">{agentLabel(id)}</strong>
        <span className="muted"> on {props.planeLabel}</span>
        <button type="button" className="only" onClick={props.onClose} aria-label="close inspector">
          close
        </button>
      </header>
      {detail === undefined ? (
        <p className="muted">loading…</p>
      ) : detail === null ? (
        <p className="muted" data-testid="inspector-gone">
          This agent is no longer reported by its plane.
        </p>
      ) : (
        <>
          <dl>
            <dt>state</dt>
            <dd data-testid="inspector-state">{detail.stateName}</dd>
            <dt>position</dt>
            <dd>
              {fmt(detail.pos[0])}, {fmt(detail.pos[1])}
            </dd>
            <dt>velocity</dt>
            <dd>
              {fmt(detail.vel[0])}, {fmt(detail.vel[1])}
            </dd>
            <dt>cpu</dt>
            <dd>{fmt(detail.metrics.cpu)} %</dd>
            <dt>memory</dt>
            <dd>{bytes(detail.metrics.mem)}</dd>
            <dt>tasks</dt>
            <dd>
              {detail.metrics.tasks} · {fmt(detail.metrics.successRate * 100)} % ok · {fmt(detail.metrics.avgMs, 0)} ms avg
            </dd>
            <dt>last seen</dt>
            <dd>{fmt(detail.lastSeenAgoMs / 1000)} s ago</dd>
          </dl>
          <CommandPanel bridge={bridge} plane={plane} agent={agentLabel(id)} />
          {detail.capabilities.length ? (
            <>
              <h3>capabilities</h3>
              <ul className="plain">
                {detail.capabilities.map((c, i) => (
                  <li key={i}>
                    {String(c.name)}
                    {c.level !== undefined ? ` · level ${String(c.level)}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {detail.history.length ? (
            <>
              <h3>recent states</h3>
              <ul className="plain" data-testid="inspector-history">
                {[...detail.history].reverse().map((h, i) => (
                  <li key={i}>
                    {new Date(h.at).toLocaleTimeString()} {h.from} → {h.to}
                    {h.reason ? ` (${h.reason})` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {detail.meta ? (
            <>
              <h3>metadata</h3>
              <pre className="meta">{JSON.stringify(detail.meta, null, 1)}</pre>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
