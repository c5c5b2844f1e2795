// Per-web-contents hardening (electronjs.org security checklist): no
// navigation, no redirects, no webviews, no new windows; a link meant for the
// outside opens in the system browser after the scheme check; every
// permission request and check is denied.

import { session, shell, type WebContents } from 'electron';
import { isSafeExternalUrl } from './external-links.js';

export function openExternalSafely(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
  else console.warn('swarmdeck: refused to open a link with a scheme other than https or mailto');
}

export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function hardenContents(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (e, url) => {
    e.preventDefault();
    if (!url.startsWith(`${appOrigin}/`)) openExternalSafely(url);
  });
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}
