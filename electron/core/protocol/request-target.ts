// An HTTP request's target, read without throwing: `new URL(req.url, base)`
// throws on "//" (an empty authority), and a request or upgrade handler that
// does that unguarded can be killed by one request. The simulator reads its
// upgrade paths (the endpoints) with it, browser mode its page requests.

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
