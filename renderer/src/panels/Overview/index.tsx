// Overview: one card per plane with connection state, agents by state,
// errors, message rate, queue depth, alerts and health. Click a card to
// focus that plane in the graph; the checkbox shows or hides it.

import { RetryCountdown } from '../../ui/RetryCountdown.js';
import { useMemo, type JSX } from 'react';
import { AGENT_STATES, METRIC_FIELDS, type PlaneStatus } from '@shared';
import { hex, STATE_COLORS } from '../../scene/palette.js';
import { useConsole, useModel, useRenderCount } from '../../store/hooks.js';
import { fmt, planeReason, planeState } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { RecordingsCompared } from './Compare.js';
import { errorsOf, isActive, planeHealth } from './health.js';

const metric = (key: (typeof METRIC_FIELDS)[number]['key']): number => METRIC_FIELDS.findIndex((f) => f.key === key);
const QUEUE = metric('queueDepth');
const NETWORK = metric('networkHealth');

function StateBar(props: { counts: Readonly<Record<string, number>> | undefined }): JSX.Element {
  const entries = Object.entries(props.counts ?? {});
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return (
    <div className="state-bar-wrap">
      <div className="state-bar" aria-hidden>
        {entries.map(([name, c]) => (
          <span key={name} style={{ flexGrow: c, background: hex(STATE_COLORS[AGENT_STATES.indexOf(name as (typeof AGENT_STATES)[number])] ?? 0x6e7681) }} />
        ))}
      </div>
      <ul className="state-counts" data-testid="state-counts">
        {entries.map(([name, c]) => (
          <li key={name}>
            <span className="swatch" style={{ background: hex(STATE_COLORS[AGENT_STATES.indexOf(name as (typeof AGENT_STATES)[number])] ?? 0x6e7681) }} />
            {name.toLowerCase()} {c}
          </li>
        ))}
        {total === 0 ? <li className="muted">no agents</li> : null}
      </ul>
    </div>
  );
}

function Card(props: { p: PlaneStatus; multi: boolean }): JSX.Element {
  const { p } = props;
  const model = useModel();
  const hidden = useConsole((s) => s.hiddenPlanes.includes(p.plane));
  const counts = useConsole((s) => s.stateCounts[p.plane]);
  useConsole((s) => s.alertsV);
  useConsole((s) => s.metricsV);
  // The core's alerts and series: a reload shows the same health.
  const alerts = model.data.session.alerts.list().filter((a) => a.plane === p.plane);
  const latest = model.data.session.latest(p.plane);
  const value = (k: number): number | undefined => latest?.[k] ?? undefined;
  const h = planeHealth(p, alerts, value(NETWORK));
  const active = alerts.filter((a) => a.plane === p.plane && isActive(a)).length;
  const toggle = (): void =>
    model.store.setState((s) => ({ hiddenPlanes: s.hiddenPlanes.includes(p.plane) ? s.hiddenPlanes.filter((x) => x !== p.plane) : [...s.hiddenPlanes, p.plane] }));
  const only = (): void => model.store.setState((s) => ({ hiddenPlanes: s.planes.map((x) => x.plane).filter((x) => x !== p.plane) }));
  return (
    <article className={`plane-card health-${h.health}`} data-testid="plane" data-plane={p.plane} data-health={h.health}>
      <header>
        <input type="checkbox" aria-label={`show ${show(p.label)}`} checked={!hidden} onChange={toggle} data-testid="plane-visible" />
        <span className="swatch" style={{ background: hex(p.color) }} />
        <button type="button" className="card-title" onClick={() => model.services.graph?.focusPlane(p.plane)} title="Focus this plane in the graph" data-testid="plane-focus">
          {show(p.label)}
        </button>
        <span className={`state-${planeState(p)}`}>{planeState(p)}</span>
        {planeState(p) === 'DOWN' ? <RetryCountdown retryAt={p.retryAt} /> : null}
        {props.multi ? (
          <button type="button" className="only" onClick={only} data-testid="plane-only">
            only
          </button>
        ) : null}
      </header>
      <div className={`health health-${h.health}`} data-testid="plane-health">
        {h.health}
        {h.reasons.length ? `: ${h.reasons.join(', ')}` : ''}
      </div>
      {p.insecure ? (
        <div className="insecure" data-testid="insecure" title="This profile skips TLS certificate verification">
          TLS NOT VERIFIED
        </div>
      ) : null}
      {p.reason ? <div className="reason">{show(planeReason(p) ?? '')}</div> : null}
      <StateBar counts={counts} />
      <dl className="card-figures">
        <div>
          <dt>agents</dt>
          <dd>
            {p.agents}
            {p.agentsLost ? (
              <span className="state-STALE" data-testid="agents-lost">
                {' '}
                ({p.agentsLost} lost)
              </span>
            ) : null}
          </dd>
        </div>
        <div className={errorsOf(p) ? 'bad' : undefined}>
          <dt>errors</dt>
          <dd>{errorsOf(p)}</dd>
        </div>
        <div>
          <dt>msg/s</dt>
          <dd>{p.rates ? p.rates.messagesPerSec : '–'}</dd>
        </div>
        <div>
          <dt>queue</dt>
          <dd>{latest ? fmt(value(QUEUE), 0) : '–'}</dd>
        </div>
        <div className={active ? 'bad' : undefined}>
          <dt>alerts</dt>
          <dd>{active}</dd>
        </div>
        <div>
          <dt>network</dt>
          <dd>{latest ? `${fmt(value(NETWORK), 0)} %` : '–'}</dd>
        </div>
      </dl>
    </article>
  );
}

function OverviewPanel(): JSX.Element {
  useRenderCount('overview');
  const planes = useConsole((s) => s.planes);
  const sorted = useMemo(() => planes, [planes]);
  return (
    <div className="panel overview" data-testid="overview">
      {sorted.length === 0 ? <p className="muted">Waiting for the core…</p> : null}
      {sorted.map((p) => (
        <Card key={p.plane} p={p} multi={planes.length > 1} />
      ))}
      <RecordingsCompared />
    </div>
  );
}

export const panel: PanelEntry = { id: 'overview', title: 'Overview', component: OverviewPanel, placement: 'side', order: 0, keywords: ['planes', 'health'] };
