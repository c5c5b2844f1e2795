// Invalid input becomes an INVALID_MESSAGE event naming the field (a dotted
// path), with the zod issues, the message's type and id when readable, and an
// excerpt of the text: never a throw, never a silent drop.

import type { z } from 'zod';
import type { JsonObject } from '../../../shared/index.js';
import type { NormalisedEvent } from './json-schemas.js';
import { excerpt } from './string-bounds.js';

/** Characters of the offending text kept on an INVALID_MESSAGE event. */
const EXCERPT_CHARS = 120;

export interface Issue {
  field: string;
  message: string;
}

/** The INVALID_MESSAGE event. `field` is a dotted path ("payload.agentId", "(json)", "(root)"). */
export function invalidMessage(
  field: string,
  detail: string,
  raw?: string,
  extra: { messageType?: string; id?: string; issues?: Issue[] } = {},
): NormalisedEvent {
  const payload: JsonObject = { code: 'INVALID_MESSAGE', field, message: detail, recoverable: true };
  if (extra.messageType !== undefined) payload.messageType = extra.messageType;
  if (extra.issues && extra.issues.length > 1) {
    payload.issues = extra.issues.slice(0, 8).map((i) => ({ field: i.field, message: i.message }));
  }
  if (raw !== undefined) payload.excerpt = excerpt(raw, EXCERPT_CHARS);
  const ev: NormalisedEvent = { origin: 'client', type: 'protocol.invalid_message', priority: 'normal', payload };
  if (extra.id !== undefined) ev.id = extra.id;
  return ev;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  const tail = path.map((p) => String(p)).join('.');
  if (prefix === '') return tail === '' ? '(root)' : tail;
  return tail === '' ? prefix : `${prefix}.${tail}`;
}

function issuesOf(err: z.ZodError, prefix: string): Issue[] {
  return err.issues.map((i) => ({ field: joinPath(prefix, i.path), message: i.message }));
}

export function invalidFromZod(err: z.ZodError, prefix: string, what: string, raw: string | undefined, obj: Record<string, unknown>): NormalisedEvent {
  const issues = issuesOf(err, prefix);
  const first = issues[0] ?? { field: prefix || '(root)', message: 'invalid' };
  return invalidMessage(first.field, `${what}: ${first.message}`, raw, { ...idsOf(obj), issues });
}

/** The message's type and id, when readable, so an INVALID_MESSAGE can say which message failed. */
export function idsOf(obj: Record<string, unknown>): { messageType?: string; id?: string } {
  const r: { messageType?: string; id?: string } = {};
  if (typeof obj.type === 'string') r.messageType = excerpt(obj.type, EXCERPT_CHARS);
  const id = typeof obj.id === 'string' ? obj.id : typeof obj.request_id === 'string' ? obj.request_id : undefined;
  if (id !== undefined) r.id = excerpt(id, EXCERPT_CHARS);
  return r;
}
