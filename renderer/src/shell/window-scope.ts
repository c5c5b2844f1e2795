// Which planes this window shows, and opening a window of some planes. The
// page's URL names its scope (`?plane=ID`, repeated; see SCOPE_PARAM in the
// contract) and its hello passes it to the core, which then sends this view
// only those planes. Electron opens windows through the contract (window.open
// is denied there); browser mode opens a tab of the same page.

import { type AppInfo, scopeFromQuery, scopeQuery, type SwarmdeckBridge, type ViewScope, ViewScopeSchema } from '@shared';

export interface WindowScope {
  /** What the hello sends: undefined for every plane. */
  scope: ViewScope | undefined;
  /** Why the URL's scope was not used (the window then shows every plane). */
  problem: string | null;
}

/** The scope a page URL's query names, checked as the core will check it. */
export function windowScope(search: string): WindowScope {
  const planes = scopeFromQuery(search);
  if (planes === null) return { scope: undefined, problem: null };
  const r = ViewScopeSchema.safeParse({ planes });
  if (r.success) return { scope: r.data, problem: null };
  const issue = r.error.issues[0];
  return { scope: undefined, problem: `this window's plane list was not used (${issue?.path.join('.') || 'planes'}: ${issue?.message ?? 'invalid'}); showing every plane` };
}

/** Where a tab of only these planes opens: this page's path with the scope's query, and its hash (browser mode's page token is there). */
export function scopedPageUrl(page: { pathname: string; hash: string }, planes: readonly string[] | null): string {
  return `${page.pathname}${scopeQuery(planes)}${page.hash}`;
}

type OpenTab = (url: string) => { opener: unknown } | null;

/**
 * Opens a window showing only `planes` (null: every plane). Resolves with
 * null when it opened, or with a message saying why not.
 */
export async function openScopedWindow(bridge: SwarmdeckBridge | null, host: AppInfo['host'] | undefined, planes: readonly string[] | null, openTab: OpenTab, page: { pathname: string; hash: string }): Promise<string | null> {
  if (host === 'electron') {
    if (!bridge) return 'not connected to the core';
    try {
      const r = await bridge.request('openWindow', planes ? { planes: [...planes] } : {});
      return r.opened ? null : (r.message ?? 'the window was not opened');
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  const tab = openTab(scopedPageUrl(page, planes));
  if (!tab) return 'the browser blocked the new tab: allow pop-ups for this page';
  // The new tab is its own view; it needs no handle on this one.
  tab.opener = null;
  return null;
}
