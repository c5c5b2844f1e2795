// Links leave the app only for the system browser, and only after a scheme
// check: https and mailto. Everything else (file:, javascript:, custom
// handlers, http:) is refused. No Electron import: tested in Node.

const SAFE_SCHEMES = new Set(['https:', 'mailto:']);

export function isSafeExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!SAFE_SCHEMES.has(u.protocol)) return false;
  // No credentials in a link we hand to the OS, and a host for https.
  if (u.username || u.password) return false;
  return u.protocol !== 'https:' || u.hostname.length > 0;
}
