// The core's side of the channel table, for both hosts: Electron's ipcMain
// (electron/main.ts) and browser mode's WebSocket (host/web-host.ts) hand each
// message from a page here with the page's view. Requests are validated
// against the table, answered by the core, and the reply is validated too
// (strict in what we send). The hosts keep only their transport and sender checks.

import { type AppInfo, channelSpec, CONTRACT, IpcValidationError, type ParsedRequestOf, parseOrThrow, type ReplyOf, type RequestName, type WindowResult } from '../../../shared/index.js';
import type { SwarmCore, View } from './core.js';
import type { RecordingService, RewindService } from '../recording/index.js';
import type { ProfileService } from '../profiles/index.js';

type Handlers = { [K in RequestName]: (req: ParsedRequestOf<K>, view: View) => ReplyOf<K> | Promise<ReplyOf<K>> };

export interface ContractServer {
  /** True when `channel` is a request of the table (the host must send a reply). */
  isRequest(channel: unknown): boolean;
  /** Answers one request from a page; rejects with an IpcValidationError naming the field for a bad one. */
  request(view: View, channel: unknown, payload: unknown): Promise<unknown>;
  /** One fire-and-forget message (ack); throws an IpcValidationError for a bad one. */
  message(view: View, channel: unknown, payload: unknown): void;
}

/** What a host may add to the core: without one, its requests are refused with a message saying so. */
export interface HostServices {
  /** The profile manager (its profile store). */
  profiles?: ProfileService;
  /** The record buttons' recorder. */
  recordings?: RecordingService;
  /** The flight recorder's rewind, LIVE and Save. */
  rewind?: RewindService;
  /** The desktop shell's windows: New Window, or a window of some planes. */
  windows?: { open(planes: readonly string[] | null): WindowResult };
}

export function serveContract(core: SwarmCore, host: AppInfo['host'], services: HostServices = {}): ContractServer {
  const manager = (): ProfileService => {
    if (!services.profiles) throw new Error('this host has no profile store');
    return services.profiles;
  };
  const recorder = (): RecordingService => {
    if (!services.recordings) throw new Error('this host does not record');
    return services.recordings;
  };
  // One line per request of the table; the compiler checks none is missing.
  const handlers: Handlers = {
    hello: (req, view) => view.hello(host, req),
    openWindow: (req) => (services.windows ? services.windows.open(req.planes ?? null) : { opened: false, message: 'this host has no windows of its own: open the page in a new tab' }),
    inspect: (req) => core.inspect(req),
    command: (req) => core.command(req),
    connection: (req) => core.planeAction(req),
    planeToken: async (req) => {
      // A saved profile keeps it in its secret store (the OS keychain); any other plane for this session.
      const kept = services.profiles ? await services.profiles.keepToken(req.plane, req.token) : false;
      return { ...core.planeToken(req.plane, req.token), kept: kept ? 'profile' : 'session' };
    },
    search: (req, view) => core.search(req, view.scope()),
    record: (req) => recorder().act(req),
    recordings: () => services.recordings?.list() ?? [],
    recordingFiles: () => recorder().files(),
    openRecording: (req) => recorder().open(req),
    replays: () => core.replayList(),
    flight: async (req) => {
      if (!services.rewind) throw new Error('this host has no flight recorder');
      if (req) await services.rewind.flight.configure(req);
      return services.rewind.flight.status((p) => services.rewind!.rewoundAt(p));
    },
    rewind: (req) => {
      if (!services.rewind) throw new Error('this host has no flight recorder');
      return services.rewind.act(req);
    },
    replay: (req) => core.replayAction(req),
    replayMarkers: (req) => core.replayMarkers(req),
    replayGroup: (req) => core.replayGroupAction(req),
    replaySeries: (req) => core.replaySeries(req),
    replayMoment: (req) => core.replayMoment(req),
    profiles: () => manager().state(),
    profile: (req) => manager().act(req),
    profileConnect: (req) => manager().connect(req.ids),
    profileTest: (req) => manager().test(req.id),
    history: (req, view) => core.historyPage(req, view.scope()),
    alert: (req) => core.alertAction(req),
  };
  return {
    isRequest: (channel) => channelSpec(channel)?.kind === 'request',
    async request(view, channel, payload) {
      const spec = channelSpec(channel);
      if (!spec || spec.kind !== 'request') throw new IpcValidationError(String(channel), 'c', 'unknown channel');
      const key = spec.key as RequestName;
      const req = parseOrThrow(spec.name, spec.request, payload);
      const handler = handlers[key] as (req: unknown, view: View) => unknown;
      const reply = await handler(req, view);
      return parseOrThrow(spec.name, spec.reply, reply);
    },
    message(view, channel, payload) {
      const spec = channelSpec(channel);
      if (!spec || spec.kind !== 'send') throw new IpcValidationError(String(channel), 'c', 'unknown channel');
      // ack is the table's only send channel.
      view.ack(parseOrThrow(CONTRACT.ack.name, CONTRACT.ack.payload, payload).seq);
    },
  };
}
