// The search box's language (pure: tested): free text matches the agent id
// or name; `ns:`, `state:`, `cap:` and `plane:` narrow by namespace, state,
// capability and plane (its id, or its shown name by prefix, in the core).
// "state:error ns:research 12" is all three at once. A `key:value` whose key
// is none of these is reported, not searched for as text.

import type { SearchRequest } from '@shared';

const FIELDS = { ns: 'namespace', namespace: 'namespace', state: 'state', cap: 'capability', capability: 'capability', plane: 'plane' } as const;

/** For the message: the keys an operator may type. */
export const SEARCH_KEYS = ['ns', 'state', 'cap', 'plane'] as const;

export interface ParsedQuery {
  /** null: nothing to search (show everything). */
  request: SearchRequest | null;
  /** Keys typed that the language does not have, lower-cased, in order. */
  unknownKeys: string[];
}

export function parseQuery(q: string): ParsedQuery {
  const req: SearchRequest = {};
  const text: string[] = [];
  const unknownKeys: string[] = [];
  for (const tok of q.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+):(.*)$/i.exec(tok);
    const key = m?.[1]!.toLowerCase();
    const field = key !== undefined ? FIELDS[key as keyof typeof FIELDS] : undefined;
    if (m && field) {
      if (m[2]) req[field] = field === 'state' ? m[2].toUpperCase() : m[2];
    } else if (m && key !== undefined) {
      if (!unknownKeys.includes(key)) unknownKeys.push(key);
    } else text.push(tok);
  }
  if (text.length) req.text = text.join(' ');
  return { request: Object.keys(req).length ? req : null, unknownKeys };
}

/** "unknown key colour; keys are ns, state, cap, plane", or null when every key is known. */
export function unknownKeyMessage(keys: readonly string[]): string | null {
  if (keys.length === 0) return null;
  return `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}; keys are ${SEARCH_KEYS.join(', ')}`;
}
