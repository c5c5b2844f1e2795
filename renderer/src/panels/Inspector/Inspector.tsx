// The agent inspector: id, namespace, plane and state; the state history as
// a timeline; capabilities with their add/remove events; performance with
// small trend plots; recent messages in and out; flows; commands for this
// agent. Refreshed from the core while open; every value is shown as text.

import { useEffect, useRef, useState, type JSX } from 'react';
import { AGENT_STATES, type AgentDetail, agentLabel, CONSOLE_AGENT_SAMPLES } from '@shared';
import { hex, STATE_COLORS } from '../../scene/palette.js';
import type { AgentRef } from '../../scene/graph-view.js';
import { useConsole, useModel, useNow } from '../../store/hooks.js';
import { bytes, clock, fmt } from '../../ui/format.js';
import { show, showBlock } from '../../ui/text.js';
import { CommandForm } from '../Commands/CommandForm.js';
import { CommandList } from '../Commands/CommandList.js';
import { segments, sparkPoints } from './timeline.js';

const REFRESH_MS = 500;
const TIMELINE_MS = 5 * 60_000;

interface Sample {
  cpu: number;
  mem: number;
  tasks: number;
  successRate: number;
  avgMs: number;
}

function Spark(props: { label: string; values: number[]; text: string }): JSX.Element {
  return (
    <div className="spark">
      <span className="muted">{props.label}</span>
      <svg width="90" height="20" viewBox="0 0 90 20" aria-hidden>
        <polyline points={sparkPoints(props.values, 90, 20)} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span>{props.text}</span>
    </div>
  );
}

function Timeline(props: { history: AgentDetail['history'] }): JSX.Element {
  const now = useNow(1000);
  const segs = segments(props.history, now, TIMELINE_MS);
  return (
    <div className="timeline" data-testid="inspector-timeline">
      <svg width="100%" height="14" viewBox="0 0 1000 14" preserveAspectRatio="none" aria-hidden>
        {segs.map((s, i) => (
          <rect key={i} x={s.x0 * 1000} width={(s.x1 - s.x0) * 1000} y="0" height="14" fill={hex(STATE_COLORS[AGENT_STATES.indexOf(s.state as (typeof AGENT_STATES)[number])] ?? 0x6e7681)}>
            <title>{`${show(s.state)} from ${clock(s.start)}${s.reason ? ` (${show(s.reason)})` : ''}`}</title>
          </rect>
        ))}
      </svg>
      <div className="timeline-axis muted">
        <span>−5 min</span>
        <span>now</span>
      </div>
    </div>
  );
}

export function Inspector(props: { sel: AgentRef; onClose: () => void }): JSX.Element {
  const { plane, id } = props.sel;
  const model = useModel();
  const planeLabel = useConsole((s) => s.planes.find((p) => p.plane === plane)?.label ?? plane);
  useConsole((s) => s.activityV);
  useConsole((s) => s.flowsV);
  const [detail, setDetail] = useState<AgentDetail | null | undefined>(undefined);
  const samples = useRef<Sample[]>([]);
  const label = agentLabel(id);

  useEffect(() => {
    let live = true;
    samples.current = [];
    setDetail(undefined);
    const bridge = model.services.bridge;
    const load = (): void => {
      if (!bridge) return setDetail(null);
      bridge.request('inspect', { plane, id }).then(
        (d) => {
          if (!live) return;
          if (d) {
            samples.current.push({ ...d.metrics });
            if (samples.current.length > CONSOLE_AGENT_SAMPLES) samples.current.shift();
          }
          setDetail(d);
        },
        () => live && setDetail(null),
      );
    };
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [model, plane, id]);

  const activity = model.data.activity.of(plane, label);
  const entries = activity ? activity.entries.toArray().reverse() : [];
  const messages = entries.filter((e) => e.kind !== 'capability').slice(0, 12);
  const capEvents = entries.filter((e) => e.kind === 'capability').slice(0, 8);
  const metaNs = detail?.meta && typeof detail.meta.namespace === 'string' ? detail.meta.namespace : undefined;
  const namespace = metaNs ?? activity?.namespace;
  const name = detail?.meta && typeof detail.meta.name === 'string' ? detail.meta.name : undefined;
  const flows = namespace ? model.data.flows.list().filter((f) => f.plane === plane && f.flowId.split('-').includes(namespace)) : [];
  const s = samples.current;

  return (
    <section className="inspector" data-testid="inspector">
      <header>
        <strong data-testid="inspector-agent">{label}</strong>
        {name ? (
          <span className="agent-name" data-testid="inspector-name">
            {show(name)}
          </span>
        ) : null}
        <span className="muted"> on {show(planeLabel)}</span>
        <button type="button" className="only" onClick={() => model.services.graph?.focusAgent(props.sel, true)} title="Centre and follow this agent">
          follow
        </button>
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
            <dd data-testid="inspector-state">{show(detail.stateName)}</dd>
            <dt>namespace</dt>
            <dd data-testid="inspector-namespace">{namespace ? show(namespace) : '–'}</dd>
            <dt>plane</dt>
            <dd>{show(planeLabel)}</dd>
            <dt>position</dt>
            <dd>
              {fmt(detail.pos[0])}, {fmt(detail.pos[1])} · v {fmt(detail.vel[0])}, {fmt(detail.vel[1])}
            </dd>
            <dt>last seen</dt>
            <dd>{fmt(detail.lastSeenAgoMs / 1000)} s ago</dd>
          </dl>
          <h3>state history</h3>
          <Timeline history={detail.history} />
          {detail.history.length ? (
            <ul className="plain" data-testid="inspector-history">
              {[...detail.history]
                .reverse()
                .slice(0, 6)
                .map((h, i) => (
                  <li key={i}>
                    {clock(h.at)} {show(h.from)} → {show(h.to)}
                    {h.reason ? ` (${show(h.reason)})` : ''}
                  </li>
                ))}
            </ul>
          ) : null}
          <h3>performance</h3>
          <div className="sparks">
            <Spark label="cpu" values={s.map((x) => x.cpu)} text={`${fmt(detail.metrics.cpu)} %`} />
            <Spark label="memory" values={s.map((x) => x.mem)} text={bytes(detail.metrics.mem)} />
            <Spark label="tasks" values={s.map((x) => x.tasks)} text={String(detail.metrics.tasks)} />
            <Spark label="success" values={s.map((x) => x.successRate)} text={`${fmt(detail.metrics.successRate * 100)} %`} />
            <Spark label="response" values={s.map((x) => x.avgMs)} text={`${fmt(detail.metrics.avgMs, 0)} ms`} />
          </div>
          <h3>capabilities</h3>
          {detail.capabilities.length ? (
            <ul className="plain">
              {detail.capabilities.map((c, i) => (
                <li key={i}>
                  {show(c.name)}
                  {c.level !== undefined ? ` · level ${show(c.level)}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">none reported</p>
          )}
          {capEvents.length ? (
            <ul className="plain muted" data-testid="inspector-capability-events">
              {capEvents.map((e, i) => (
                <li key={i}>
                  {clock(e.at)} {show(e.text)}
                </li>
              ))}
            </ul>
          ) : null}
          <h3>recent messages</h3>
          {messages.length ? (
            <ul className="plain" data-testid="inspector-messages">
              {messages.map((e, i) => (
                <li key={i}>
                  {clock(e.at)} {e.kind === 'out' ? '→' : '←'} {show(e.text)}
                  {e.messageType ? <span className="muted"> {show(e.messageType)}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">none seen since the console started</p>
          )}
          {flows.length ? (
            <>
              <h3>flows</h3>
              <ul className="plain">
                {flows.map((f) => (
                  <li key={f.key}>
                    {show(f.flowId)} · {fmt(f.count, 0)} msgs · avg {fmt(f.avgMs)} ms
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>commands</h3>
          <CommandForm plane={plane} agent={label} />
          <CommandList plane={plane} agent={label} />
          {detail.meta ? (
            <>
              <h3>metadata</h3>
              <pre className="meta">{showBlock(JSON.stringify(detail.meta, null, 1))}</pre>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
