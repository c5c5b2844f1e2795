// Installs window.__swarmdeck (see debug-api.ts) over the live console.

import type { SwarmdeckDebug } from './debug-api.js';
import { dockLayout, graphHost } from './shell/services.js';
import type { LatencyRing } from './shell/latency.js';
import type { NoteLimiter } from './shell/notify.js';
import type { PerfWindow } from './shell/perf-window.js';
import type { ConsoleModel } from './store/console-model.js';
import { renderCounts } from './store/hooks.js';
import { clockSource } from './shell/services.js';

export function installDebugApi(model: ConsoleModel, latency: LatencyRing, notes: NoteLimiter, perf: PerfWindow): void {
  let ready = false;
  void graphHost()?.ready.then(() => (ready = true));
  const api: SwarmdeckDebug = {
    scene: () => (ready ? (graphHost()?.view.stats() ?? null) : null),
    planes: () => model.store.getState().planes,
    lastFrameSeq: () => model.store.getState().lastFrameSeq,
    latencyP50: () => latency.median(),
    perf: () => perf.snapshot(performance.timeOrigin + performance.now()),
    screenOf: (plane, id) => (ready ? (graphHost()?.view.screenOf(plane, id) ?? null) : null),
    regions: () => (ready ? (graphHost()?.view.debug().regions() ?? []) : []),
    focusPlane: (planeId) => {
      const view = ready ? graphHost()?.view : undefined;
      if (!view?.debug().regions().some((r) => r.planeId === planeId)) return false;
      view.focusPlane(planeId);
      return true;
    },
    renders: () => ({ ...renderCounts }),
    histories: () => ({
      events: model.data.log.size,
      rounds: model.data.session.rounds.size,
      alerts: model.data.session.alerts.size,
      flows: model.data.flows.size,
      commands: model.data.session.commands.size,
      evicted: model.evictions(),
    }),
    session: () => ({
      events: model.data.log.ids(),
      olderInCore: model.data.log.planesWithMore(),
      alerts: model.data.session.alerts.list().map((a) => ({ key: a.key, plane: a.plane, kind: a.kind, state: a.state, count: a.count, acknowledged: a.acknowledged, agent: a.agent ?? null, firedAt: a.firedAt })),
      rounds: model.data.session.rounds.list().map((r) => ({ key: r.key, status: r.status, votes: r.votes.length, result: r.result ?? null })),
      commands: model.data.session.commands.list().map((c) => ({ plane: c.plane, id: c.id, name: c.name, status: c.result?.status ?? null, target: c.target ?? null, sentAt: c.sentAt })),
      counts: Object.fromEntries(model.data.session.counts),
    }),
    notifications: () => notes.shown.map((n) => n.title),
    layout: () => dockLayout()?.api.panels.map((p) => p.id) ?? [],
    selected: () => model.store.getState().selected,
    clock: () => clockSource().read(),
    sceneDebug: () => (ready ? (graphHost()?.view.debug() ?? null) : null),
    graphMatches: () => model.store.getState().search.result?.matches.map((m) => ({ plane: m.plane, id: m.id })) ?? null,
  };
  window.__swarmdeck = api;
}
