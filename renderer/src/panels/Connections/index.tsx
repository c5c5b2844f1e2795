// Connections: every plane with its live state and reason, endpoint
// sessions, every counter (generically: new counters show without a change
// here), conformance notes, TLS flags and the core's connection history;
// connect, disconnect, reconnect.

import { RetryCountdown } from '../../ui/RetryCountdown.js';
import { useState, type JSX } from 'react';
import type { PlaneAction, PlaneStatus } from '@shared';
import { hex } from '../../scene/palette.js';
import { openScopedWindow } from '../../shell/window-scope.js';
import { useConsole, useModel, useRenderCount } from '../../store/hooks.js';
import { Conformance, Figures } from '../../ui/Figures.js';
import { bytes, planeReason, planeState } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';
import { ConnectionHistory } from './History.js';
import { TokenField } from './TokenField.js';

function PlaneRow(props: { p: PlaneStatus }): JSX.Element {
  const { p } = props;
  const model = useModel();
  const [last, setLast] = useState<string | null>(null);
  const act = (action: PlaneAction['action']): void => {
    setLast(`${action}…`);
    const bridge = model.services.bridge;
    if (!bridge) return setLast('not connected to the core');
    bridge.request('connection', { plane: p.plane, action }).then(
      (r) => setLast(r.ok ? `${action}: ${r.state ?? 'ok'}` : `${action} refused: ${show(r.message ?? '')}`),
      (e: unknown) => setLast(`${action} failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const host = useConsole((s) => s.appInfo?.host);
  const ownWindow = (): void => {
    void openScopedWindow(model.services.bridge, host, [p.plane], (url) => window.open(url, '_blank'), location).then((problem) => setLast(problem ?? 'opened in its own window'));
  };
  const tls = p.url.startsWith('wss:');
  return (
    <section className="connection" data-testid="connection-row" data-plane={p.plane} data-state={p.state}>
      <header>
        <span className="swatch" style={{ background: hex(p.color) }} />
        <strong>{show(p.label)}</strong>
        <span className={`state-${planeState(p)}`} data-testid="connection-row-state">
          {planeState(p)}
        </span>
        {planeState(p) === 'DOWN' ? <RetryCountdown retryAt={p.retryAt} /> : null}
        <span className="spacer" />
        <button type="button" className="only" onClick={() => act('connect')} data-testid="plane-connect">
          connect
        </button>
        <button type="button" className="only" onClick={() => act('disconnect')} data-testid="plane-disconnect">
          disconnect
        </button>
        <button type="button" className="only" onClick={() => act('reconnect')} data-testid="plane-reconnect">
          reconnect
        </button>
        <button type="button" className="only" onClick={ownWindow} data-testid="plane-window" title="Open this plane in a window of its own">
          own window
        </button>
      </header>
      {last ? (
        <div className="muted" data-testid="connection-action">
          {last}
        </div>
      ) : null}
      <div className="conn-url">
        {show(p.url)}
        {tls ? <span className={p.insecure ? 'insecure' : 'tls-ok'}>{p.insecure ? 'TLS NOT VERIFIED' : 'TLS verified'}</span> : <span className="muted"> · no TLS</span>}
      </div>
      {p.reason ? (
        <div className="reason" data-testid="connection-reason">
          {show(planeReason(p) ?? '')}
        </div>
      ) : null}
      {p.state === 'AUTH_REQUIRED' && !p.replay ? <TokenField plane={p.plane} say={setLast} /> : null}
      <div className="conn-rates">
        {p.rates ? `${bytes(p.rates.bytesPerSec)}/s · ${p.rates.messagesPerSec} msg/s` : ''}
        {p.lastLatencyMs !== undefined ? ` · rtt ${p.lastLatencyMs.toFixed(0)} ms` : ''}
        {p.serverClockOffsetMs !== undefined ? ` · server clock ${p.serverClockOffsetMs >= 0 ? '+' : ''}${p.serverClockOffsetMs} ms` : ''}
      </div>
      {p.endpoints?.length ? (
        <table className="grid endpoints" data-testid="endpoints">
          <thead>
            <tr>
              <th>endpoint</th>
              <th>state</th>
              <th>version</th>
              <th>compr.</th>
              <th>hb</th>
              <th>attempt</th>
              <th>reason</th>
            </tr>
          </thead>
          <tbody>
            {p.endpoints.map((e) => (
              <tr key={e.endpoint}>
                <td title={`session ${show(e.sessionId ?? '–')}`}>{show(e.endpoint)}</td>
                <td className={`state-${e.state}`}>{e.state}</td>
                <td>{show(e.version ?? '–')}</td>
                <td>{show(e.compression ?? 'none')}</td>
                <td>{e.heartbeatIntervalMs ? `${e.heartbeatIntervalMs / 1000} s` : '–'}</td>
                <td>{e.attempt}</td>
                <td className="reason">{show(e.reason ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h4>counters</h4>
      <Figures of={p.counters} testid="counters" />
      <h4>limits</h4>
      <Figures of={p.limits ?? {}} testid="limits" />
      <Figures of={p} skip={['color']} testid="status-figures" />
      <Conformance status={p} />
      <ConnectionHistory plane={p.plane} />
    </section>
  );
}

function ConnectionsPanel(): JSX.Element {
  useRenderCount('connections');
  const planes = useConsole((s) => s.planes);
  return (
    <div className="panel connections" data-testid="connections">
      {planes.map((p) => (
        <PlaneRow key={p.plane} p={p} />
      ))}
    </div>
  );
}

export const panel: PanelEntry = { id: 'connections', title: 'Connections', component: ConnectionsPanel, placement: 'side', order: 1, keywords: ['connect', 'disconnect', 'reconnect', 'endpoints', 'tls', 'counters'] };
