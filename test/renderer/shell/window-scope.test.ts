import { describe, expect, it } from 'vitest';
import { MAX_VIEW_PLANES, type SwarmdeckBridge } from '@shared';
import { openScopedWindow, scopedPageUrl, windowScope } from '../../../renderer/src/shell/window-scope.js';

const page = { pathname: '/', hash: '#token=abc' };

describe('window scope', () => {
  it('reads the planes a page URL names, and refuses what the core would refuse with the field named', () => {
    expect(windowScope('')).toEqual({ scope: undefined, problem: null });
    expect(windowScope('?plane=a&plane=b%20c')).toEqual({ scope: { planes: ['a', 'b c'] }, problem: null });
    expect(windowScope('?other=1')).toEqual({ scope: undefined, problem: null });
    const empty = windowScope('?plane=');
    expect(empty.scope).toBeUndefined();
    expect(empty.problem).toMatch(/planes\.0: .*showing every plane/);
    const many = windowScope(`?${Array.from({ length: MAX_VIEW_PLANES + 1 }, (_, i) => `plane=p${i}`).join('&')}`);
    expect(many.scope).toBeUndefined();
    expect(many.problem).toMatch(/planes:/);
  });

  it('builds the scoped URL so that reading it back gives the same planes, keeping the page token', () => {
    const url = scopedPageUrl(page, ['plane 1', 'a&b=c']);
    expect(url).toBe('/?plane=plane+1&plane=a%26b%3Dc#token=abc');
    expect(windowScope(url.slice(1, url.indexOf('#')))).toEqual({ scope: { planes: ['plane 1', 'a&b=c'] }, problem: null });
    expect(scopedPageUrl(page, null)).toBe('/#token=abc');
  });

  it('opens a tab in browser mode (and says when it was blocked), and asks the shell in Electron', async () => {
    const urls: string[] = [];
    const tab = { opener: {} as unknown };
    expect(await openScopedWindow(null, 'web', ['a'], (u) => (urls.push(u), tab), page)).toBeNull();
    expect(urls).toEqual(['/?plane=a#token=abc']);
    expect(tab.opener).toBeNull();
    expect(await openScopedWindow(null, 'web', ['a'], () => null, page)).toMatch(/blocked/);

    const asked: unknown[] = [];
    const bridge = (reply: unknown): SwarmdeckBridge => ({ onFrame: () => () => undefined, ack: () => undefined, request: ((name: string, p: unknown) => (asked.push([name, p]), Promise.resolve(reply))) as SwarmdeckBridge['request'] });
    const never = (): null => {
      throw new Error('Electron never opens a tab');
    };
    expect(await openScopedWindow(bridge({ opened: true }), 'electron', ['a'], never, page)).toBeNull();
    expect(await openScopedWindow(bridge({ opened: false, message: 'at most 16 windows are open at once' }), 'electron', null, never, page)).toBe('at most 16 windows are open at once');
    expect(asked).toEqual([
      ['openWindow', { planes: ['a'] }],
      ['openWindow', {}],
    ]);
    expect(await openScopedWindow(null, 'electron', ['a'], never, page)).toMatch(/not connected/);
  });
});
