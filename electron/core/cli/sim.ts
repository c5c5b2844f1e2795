// `swarmdeck sim` (`npm run sim`): the control-plane simulator alone, with
// faults (`--fault NAME[=VALUE]`, repeatable) and a dialect. Prints one
// banner line; runs until a signal.

import { readFileSync } from 'node:fs';
import { FLAGS, durationFlag, envToken, formatDuration, intFlag, parseFlags, UsageError } from '../args/index.js';
import { DIALECT_NAMES, dialectOf, FAULT_SPECS, type Faults, parseFaultArg, Simulator } from '../sim/index.js';

/** Starts the simulator the flags describe; resolves with it and its banner. */
export async function startSim(argv: string[]): Promise<{ sim: Simulator; banner: string }> {
  const { values } = parseFlags(FLAGS.sim, argv);
  const faults: Partial<Faults> = {};
  for (const f of values.fault ?? []) {
    try {
      const [k, v] = parseFaultArg(f);
      (faults as Record<string, unknown>)[k] = v;
    } catch (e) {
      throw new UsageError(`--fault: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const heartbeatIntervalMs = durationFlag('heartbeat', values.heartbeat);
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  // The same variable as the clients': a token kept out of `ps`.
  const token = values.token ?? envToken();
  const tls = values['tls-cert'] !== undefined ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']!) } : undefined;
  let dialect: (typeof DIALECT_NAMES)[number] = 'strict';
  if (values.dialect !== undefined) {
    try {
      dialect = dialectOf(values.dialect).name;
    } catch (e) {
      throw new UsageError(`--dialect: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const sim = new Simulator({
    dialect,
    agents: intFlag('agents', values.agents, 500),
    rate: intFlag('rate', values.rate, 30, 1),
    port: intFlag('port', values.port, 8787),
    host: values.host ?? '127.0.0.1',
    token,
    seed: intFlag('seed', values.seed, 1),
    faults,
    ...(heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs } : {}),
    ...(values.versions !== undefined ? { versions: values.versions.split(',').map((v) => v.trim()).filter(Boolean) } : {}),
    ...(tls ? { tls } : {}),
  });
  await sim.start();
  const active = Object.entries(faults).filter(([, v]) => v !== false && v !== 0 && !(Array.isArray(v) && v.length === 0)).map(([k, v]) => {
    const spec = FAULT_SPECS.find((f) => f.key === k)!;
    return typeof v === 'boolean' ? spec.name : `${spec.name}=${spec.kind.endsWith('duration') ? formatDuration(v as number) : String(v)}`;
  });
  const banner = `swarmdeck simulator: ${sim.world.count} agents at ${sim.options.rate} Hz on ${sim.url}${dialect !== 'strict' ? ` (dialect ${dialect})` : ''}${token ? ' (token required)' : ''}${active.length ? `; faults: ${active.join(', ')}` : ''}`;
  return { sim, banner };
}
