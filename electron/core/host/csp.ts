// One Content-Security-Policy for both hosts (Electron's app:// protocol and
// browser mode). Scripts only from the app itself: no inline script, no eval.
// connect-src 'self' covers the browser-mode ws:// bridge of the same host.

export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
