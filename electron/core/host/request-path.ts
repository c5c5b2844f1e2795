// A request's path, read without throwing. `new URL(req.url, base)` throws on
// "//" (an empty authority) and decodeURIComponent on "%" or "%zz": a request
// handler that does either unguarded can be killed by one request.

import { join, normalize, resolve, sep } from 'node:path';

export interface RequestTarget {
  /** The path as sent (still percent-encoded), from "/" up to "?" or "#". */
  rawPath: string;
  /** The query's parameters. */
  params: URLSearchParams;
}

/** The origin-form target of `url` ("/path?query"), or null when it is not one (absolute-form, "*", garbage). */
export function requestTarget(url: string | undefined): RequestTarget | null {
  if (url === undefined || !url.startsWith('/')) return null;
  try {
    // Appended to a fixed origin, not resolved against it: "//x" stays a path instead of becoming a host.
    const u = new URL(`http://x${url}`);
    return { rawPath: u.pathname, params: u.searchParams };
  } catch {
    return null;
  }
}

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
