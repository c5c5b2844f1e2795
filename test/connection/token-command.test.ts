// The token command runner: no shell, bounded in time, and a failure says why.

import { describe, expect, it } from 'vitest';
import { runTokenCommand } from '../../electron/core/connection/token-command.js';

describe('token command', () => {
  const node = process.execPath;
  it('returns trimmed stdout', async () => {
    await expect(runTokenCommand({ command: node, args: ['-e', 'process.stdout.write("  tok-123\\n")'] })).resolves.toBe('tok-123');
  });
  it('runs without a shell: metacharacters are plain arguments', async () => {
    await expect(runTokenCommand({ command: node, args: ['-e', 'console.log(process.argv[1])', '$(id);rm&&`x`|y'] })).resolves.toBe('$(id);rm&&`x`|y');
  });
  it('says plainly why a token command failed', async () => {
    await expect(runTokenCommand({ command: node, args: ['-e', 'console.error("no creds"); process.exit(3)'] })).rejects.toThrow(/exited with code 3: no creds/);
    await expect(runTokenCommand({ command: '/nonexistent/token-helper' })).rejects.toThrow(/not found/);
    await expect(runTokenCommand({ command: node, args: ['-e', ''] })).rejects.toThrow(/printed no token/);
    await expect(runTokenCommand({ command: node, args: ['-e', 'console.log("a b")'] })).rejects.toThrow(/whitespace/);
    await expect(runTokenCommand({ command: node, args: ['-e', 'setTimeout(() => {}, 5000)'], timeoutMs: 200 })).rejects.toThrow(/timed out after 200 ms/);
  });
});
