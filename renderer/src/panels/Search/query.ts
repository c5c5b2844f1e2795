// The search box's language (pure: tested): free text matches the agent id
// or name; `ns:`, `state:`, `cap:` and `plane:` narrow by namespace, state,
// capability and plane. "state:error ns:research 12" is all three at once.

import type { SearchRequest } from '@shared';

const FIELDS = { ns: 'namespace', namespace: 'namespace', state: 'state', cap: 'capability', capability: 'capability', plane: 'plane' } as const;

/** null for an empty query (show everything). */
export function parseQuery(q: string): SearchRequest | null {
  const req: SearchRequest = {};
  const text: string[] = [];
  for (const tok of q.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+):(.*)$/i.exec(tok);
    const field = m ? FIELDS[m[1]!.toLowerCase() as keyof typeof FIELDS] : undefined;
    if (m && field && m[2]) req[field] = field === 'state' ? m[2].toUpperCase() : m[2];
    else text.push(tok);
  }
  if (text.length) req.text = text.join(' ');
  return Object.keys(req).length ? req : null;
}
