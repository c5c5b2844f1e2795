// An alert transition as `swarmdeck tail` prints it: exactly the public
// fields of AlertTransition (docs/PROTOCOL.md, "Headless CLI").

import type { Alert, AlertTransition } from '../../../shared/index.js';

export function alertLine(a: Alert): AlertTransition {
  return {
    type: 'client.alert',
    state: a.state,
    key: a.key,
    kind: a.kind,
    plane: a.plane,
    ...(a.agent !== undefined ? { agent: a.agent } : {}),
    count: a.count,
    since: a.since,
  };
}
