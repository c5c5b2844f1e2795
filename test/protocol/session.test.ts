// Session messages: version choice, features, and messages the normaliser
// accepts (a command's message included).

import { describe, expect, it } from 'vitest';
import { buildCommandMessage } from '../../electron/core/connection/commands.js';
import { normaliseObject } from '../../electron/core/protocol/json.js';
import { ackMessage, compareVersions, featuresOf, selectVersion, versionNegotiateMessage } from '../../electron/core/protocol/session.js';

describe('session messages', () => {
  it('negotiates versions: preferred when common, else the highest common, else null', () => {
    expect(selectVersion(['1.0', '1.1', '2.0'], '2.0', ['1.0', '1.1', '2.0'])).toBe('2.0');
    expect(selectVersion(['1.0', '1.1', '2.0'], '2.0', ['1.0', '1.1'])).toBe('1.1');
    expect(selectVersion(['1.0', '1.1', '2.0'], '2.0', ['3.0'])).toBeNull();
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect([...featuresOf('1.0')]).toEqual(['basic']);
    expect(featuresOf('1.1').has('binary')).toBe(true);
    expect(featuresOf('1.1').has('multiplexing')).toBe(false);
    expect(featuresOf('2.0').has('multiplexing')).toBe(true);
  });

  it('builds messages the normaliser accepts', () => {
    const v = normaliseObject(versionNegotiateMessage(['1.0', '1.1', '2.0']));
    expect(v).toMatchObject({ type: 'version.negotiate', payload: { supported: ['1.0', '1.1', '2.0'], preferred: '2.0' } });
    const ack = normaliseObject(ackMessage('msg-1', 'received', 'alerts', 4));
    expect(ack).toMatchObject({ origin: 'cp', type: 'ack', id: 'msg-1', payload: { messageId: 'msg-1', status: 'received', channel: 'alerts', sequence: 4 } });
    for (const req of [
      { kind: 'command' as const, command: 'restart', parameters: { delay_seconds: 1 }, agentId: 'agent-001' },
      { kind: 'execute' as const, targetAgent: 'agent-001', command: 'execute_tool' },
      { kind: 'configure' as const, multiAgentId: 'm-1', configuration: { topology: 'MESH' } },
    ]) {
      const ev = normaliseObject(buildCommandMessage(req, 'req-1', 5000));
      expect(ev.type).not.toBe('protocol.invalid_message');
      expect(ev.id).toBe('req-1');
    }
  });
});
