// Coordination: the core's rounds (monitor/rounds.ts), active first. For
// each: pattern, initiator, participants with roles, each voter's vote as it
// arrives, progress toward the threshold, time left before the timeout, and
// the outcome.

import { useMemo, type JSX } from 'react';
import { agentNumber, type Round } from '@shared';
import { roundOrder, tally, timeLeft } from './round-tally.js';
import { useConsole, useModel, useNow, useRenderCount } from '../../store/hooks.js';
import { clock, duration } from '../../ui/format.js';
import { show } from '../../ui/text.js';
import type { PanelEntry } from '../panel-entry.js';

function RoundCard(props: { r: Round; now: number }): JSX.Element {
  const { r, now } = props;
  const model = useModel();
  const t = tally(r);
  const approveFrac = t.voters ? t.approve / t.voters : 0;
  const rejectFrac = t.voters ? t.reject / t.voters : 0;
  const left = timeLeft(r, now);
  const pick = (agent: string): void => {
    const id = agentNumber(agent);
    if (id !== null) model.select({ plane: r.plane, id });
  };
  const votes = new Map(r.votes.map((v) => [v.voter, v]));
  const voters = [...new Set([...r.participants.map((p) => p.id), ...votes.keys()])];
  const role = (id: string): string => (id === r.initiator ? 'initiator' : (r.participants.find((p) => p.id === id)?.role ?? 'voter'));
  return (
    <article className={`round ${r.endedAt === undefined ? 'active' : 'done'}`} data-testid="round" data-round={r.id} data-status={r.status}>
      <header>
        <strong>{show(r.id)}</strong>
        <span className="chip">{show(r.pattern)}</span>
        <span className={`chip chip-${r.result === 'approved' ? 'success' : r.result ? 'failed' : 'waiting'}`} data-testid="round-outcome">
          {show(r.result ?? r.status)}
        </span>
        <span className="muted">
          {clock(r.startedAt)}
          {r.initiator ? ` · by ${show(r.initiator)}` : ''}
          {left !== undefined ? ` · ${duration(left)} left` : r.endedAt !== undefined ? ` · took ${duration(r.endedAt - r.startedAt)}` : ''}
        </span>
      </header>
      <div className="progress" title={`${t.approve} approve, ${t.reject} reject, ${t.pending} pending`}>
        <span className="approve" style={{ width: `${approveFrac * 100}%` }} />
        <span className="reject" style={{ width: `${rejectFrac * 100}%` }} />
        {r.threshold !== undefined ? <span className="threshold" style={{ left: `${r.threshold * 100}%` }} title={`threshold ${Math.round(r.threshold * 100)} %`} /> : null}
      </div>
      <div className="muted">
        {t.approve} approve · {t.reject} reject · {t.pending} pending
        {r.threshold !== undefined ? ` · needs ${Math.round(r.threshold * 100)} %` : ''} · progress {Math.round(r.progress * 100)} %
      </div>
      <table className="grid votes">
        <tbody>
          {voters.map((v) => {
            const cast = votes.get(v);
            const vote = cast?.vote ?? (role(v) === 'observer' ? '—' : 'pending');
            return (
              <tr key={v} data-testid="vote" data-voter={v} data-vote={vote}>
                <td>
                  <button type="button" className="link" onClick={() => pick(v)}>
                    {show(v)}
                  </button>
                </td>
                <td className="muted">{show(role(v))}</td>
                <td className={`vote vote-${vote}`}>{show(vote)}</td>
                <td className="muted">{cast?.at ? clock(Date.parse(cast.at)) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}

function CoordinationPanel(): JSX.Element {
  useRenderCount('coordination');
  const model = useModel();
  const roundsV = useConsole((s) => s.roundsV);
  const now = useNow(1000);
  const rounds = useMemo(() => roundOrder(model.data.session.rounds.list()), [roundsV]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="panel coordination" data-testid="coordination">
      {rounds.length === 0 ? <p className="muted">No coordination rounds yet.</p> : null}
      <div className="rounds">
        {rounds.slice(0, 30).map((r) => (
          <RoundCard key={r.key} r={r} now={now} />
        ))}
      </div>
    </div>
  );
}

export const panel: PanelEntry = { id: 'coordination', title: 'Coordination', component: CoordinationPanel, placement: 'bottom', order: 30, keywords: ['consensus', 'votes', 'rounds'] };
