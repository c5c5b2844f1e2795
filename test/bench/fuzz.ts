// `npm run bench -- fuzz`: the contract-socket fuzzer (test/fuzz/contract-fuzz.ts)
// for 1,000,000 messages against browser mode in a child process. Reports
// crashes and hangs (both must be 0) and the host's throughput and peak memory.
import { runContractFuzz } from '../fuzz/contract-fuzz.js';

export async function runFuzzBench(print: (line: string) => void, messages = 1_000_000): Promise<void> {
  print(`contract fuzz: ${messages} random and mutated messages from an authenticated page against \`swarmdeck web\``);
  const r = await runContractFuzz({ messages, log: print });
  print(
    `contract fuzz: ${r.messages} messages in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.messages / (r.ms / 1000))} msg/s), ` +
      `${r.crashes} crashes, ${r.hangs} hangs, ${r.closes} sockets closed by the host, ${r.answered} replies, host peak RSS ${r.peakMb.toFixed(0)} MB, host CPU ${r.hostCpuS.toFixed(1)} s`,
  );
  if (r.crashes > 0 || r.hangs > 0) process.exitCode = 1;
}
