// A request's path as a file to serve, read without throwing:
// decodeURIComponent throws on "%" or "%zz", and a handler that does that
// unguarded can be killed by one request. Its target is read by
// protocol/request-target.ts.

import { join, normalize, resolve, sep } from 'node:path';

/** The decoded path, or null when its percent-encoding is bad or it decodes to a NUL. */
export function decodedPath(rawPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  return p.includes('\0') ? null : p;
}

/**
 * The file under `root` a decoded request path names ("/" is index.html), or
 * null when it would leave `root`. The check includes the separator, so a
 * sibling such as "<root>-private" is outside too.
 */
export function fileInside(root: string, pathname: string): string | null {
  const base = resolve(root);
  const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '');
  const file = join(base, rel);
  return file.startsWith(base + sep) ? file : null;
}
