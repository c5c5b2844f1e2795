// The renderer's one way to the core. In Electron the preload exposes the
// bridge as window.swarmdeck; in browser mode it runs over a WebSocket to the
// host that served the page. Either way it is the contract's SwarmdeckBridge.

import type { BridgeDiagnostics, SwarmdeckBridge } from '@shared';
import { createWsBridge } from './ws-bridge.js';

import '../debug-api.js';

export const bridgeDiagnostics: BridgeDiagnostics = { rejected: 0, lastRejection: null };

export function getBridge(): SwarmdeckBridge {
  if (window.swarmdeck) return window.swarmdeck;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The host printed the page URL with this run's access token in the fragment.
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  return createWsBridge(`${proto}//${location.host}/ipc?token=${encodeURIComponent(token)}`, bridgeDiagnostics);
}
