// `swarmdeck probe`: the conformance report of one control plane (probe/),
// as a readable table or, with --json, one JSON document. Exit 0 usable,
// 4 refused, 5 unusable (docs/PROTOCOL.md, "probe").

import { FLAGS, durationFlag, parseFlags } from '../args/index.js';
import { probePlane, probeTable } from '../probe/index.js';
import { type EndpointName, ENDPOINTS, jsonLine } from '../protocol/index.js';
import { connectionConfig } from './headless.js';

export const PROBE_USAGE = 'probe   (--url ws[s]://HOST:PORT [--token T | --token-command "CMD ARGS"] [--ca FILE] [--insecure] | --profile NAME) [--for DURATION] [--json]';

export async function runProbe(argv: string[], out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const { values } = parseFlags(FLAGS.probe, argv);
  const forMs = durationFlag('for', values.for) ?? 5000;
  const config = await connectionConfig(values, Object.keys(ENDPOINTS) as EndpointName[]);
  const report = await probePlane(config, { forMs }, signal);
  if (values.json) out(jsonLine(report));
  else for (const l of probeTable(report)) out(l);
  return report.exitCode;
}
