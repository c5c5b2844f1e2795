// The contract-socket fuzzer (contract-fuzz.ts) in CI: 100,000 random and
// mutated messages from an authenticated page, 0 crashes, 0 hangs.
// `npm run bench -- fuzz` runs 1,000,000.
import { describe, expect, it } from 'vitest';
import { runContractFuzz } from './contract-fuzz.js';

const MESSAGES = 100_000;

describe('contract socket fuzzer', () => {
  it(`${MESSAGES} random and mutated wire messages from an authenticated page: 0 crashes, 0 hangs`, { timeout: 600_000 }, async () => {
    const r = await runContractFuzz({ messages: MESSAGES, log: console.log });
    console.log(
      `contract fuzz: ${r.messages} messages in ${(r.ms / 1000).toFixed(1)} s, ${r.crashes} crashes, ${r.hangs} hangs, ${r.closes} sockets closed by the host, ${r.answered} replies, host peak RSS ${r.peakMb.toFixed(0)} MB, host CPU ${r.hostCpuS.toFixed(1)} s`,
    );
    expect(r.messages).toBe(MESSAGES);
    expect(r.crashes).toBe(0);
    expect(r.hangs).toBe(0);
    // The fuzzer reached the handlers: some messages were valid enough to be answered, some closed a socket.
    expect(r.answered).toBeGreaterThan(1000);
    expect(r.closes).toBeGreaterThan(0);
  });
});
