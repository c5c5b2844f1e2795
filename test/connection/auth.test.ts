// Authentication decisions without sockets: what a refusal means (try the
// newer token, run the token command, or AUTH_REQUIRED), one shared run for
// concurrent refusals, and no loop on a command whose tokens are refused.

import { describe, expect, it } from 'vitest';
import { Auth, type AuthPort } from '../../electron/core/connection/auth.js';
import { newCounters } from '../../electron/core/connection/counters.js';
import type { TokenCommand } from '../../electron/core/connection/token-command.js';

const TC: TokenCommand = { command: 'get-token', args: ['--fresh'] };

function rig(token: string | undefined, command: TokenCommand | undefined, tokens: (string | Error)[] = []) {
  const counters = newCounters();
  const calls: [string, ...unknown[]][] = [];
  let closed = false;
  let runs = 0;
  const pending: (() => void)[] = [];
  const port: AuthPort = {
    get closed() {
      return closed;
    },
    refreshed: (gen, cmd) => calls.push(['refreshed', gen, cmd]),
    refreshFailed: (msg) => calls.push(['failed', msg]),
  };
  // A token command that answers when the test says so.
  const run = (): Promise<string> => {
    runs++;
    const next = tokens.shift() ?? new Error('no more tokens');
    return new Promise((resolve, reject) => pending.push(() => (next instanceof Error ? reject(next) : resolve(next))));
  };
  const auth = new Auth(token, command, counters, port, run);
  return {
    auth,
    counters,
    calls,
    runs: () => runs,
    answer: async () => {
      pending.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
    close: () => (closed = true),
  };
}

describe('auth', () => {
  it('without a token command, a refusal is AUTH_REQUIRED; a newer token than the socket had is tried at once', () => {
    const r = rig('t0', undefined);
    expect(r.auth.refreshFirst).toBe(false);
    expect(r.auth.rejected(0, 'control: server answered 401')).toEqual({ kind: 'required', reason: 'control: server answered 401; a new token is needed' });
    r.auth.set('t1');
    expect([r.auth.token, r.auth.generation]).toEqual(['t1', 1]);
    expect(r.auth.rejected(0, 'x')).toEqual({ kind: 'retry' });
    expect(r.counters.authFailures).toBe(2);
  });

  it('runs the token command first when there is no token, and once for concurrent refusals', async () => {
    const r = rig(undefined, TC, ['fresh-1']);
    expect(r.auth.refreshFirst).toBe(true);
    const a = r.auth.refresh();
    expect(r.auth.refresh()).toBe(a);
    expect(r.auth.rejected(0, 'x')).toEqual({ kind: 'refresh' });
    void r.auth.refresh();
    expect(r.runs()).toBe(1);
    await r.answer();
    await expect(a).resolves.toBe(true);
    expect(r.calls).toEqual([['refreshed', 1, 'get-token --fresh']]);
    expect([r.auth.token, r.auth.generation, r.counters.tokenRefreshes]).toEqual(['fresh-1', 1, 1]);
  });

  it("does not loop: the command's token refused before it was ever accepted is AUTH_REQUIRED; once accepted, a later refusal refreshes", async () => {
    const r = rig('typed', TC, ['fresh-1', 'fresh-2']);
    // The operator's token was refused: the command may help.
    expect(r.auth.rejected(0, 'x')).toEqual({ kind: 'refresh' });
    void r.auth.refresh();
    await r.answer();
    expect(r.auth.rejected(1, 'agents: AUTH_FAILED')).toEqual({ kind: 'required', reason: "agents: AUTH_FAILED; the token command's token was refused too: a new token is needed" });
    r.auth.accepted(1);
    expect(r.auth.rejected(1, 'x')).toEqual({ kind: 'refresh' });
  });

  it('reports a failed run, and drops any outcome once the plane is closed', async () => {
    const r = rig(undefined, TC, [new Error('token command "get-token --fresh" exited with code 3')]);
    void r.auth.refresh();
    await r.answer();
    expect(r.calls).toEqual([['failed', 'token command "get-token --fresh" exited with code 3']]);
    const closed = rig(undefined, TC, ['late']);
    const p = closed.auth.refresh();
    closed.close();
    await closed.answer();
    await expect(p).resolves.toBe(false);
    expect(closed.calls).toEqual([]);
    expect(closed.auth.token).toBeUndefined();
  });
});
