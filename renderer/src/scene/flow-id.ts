// message.flow.stats names a flow "<from>-<to>", and agent ids and group
// names contain dashes themselves ("agent-001-agent-002"). The rule (pinned in
// docs/PROTOCOL.md, "Flow ids in the graph"): try each dash from the left;
// the first split where both halves are known agents wins; failing that, the
// first where both are known groups (namespaces); failing that, the first
// where one half is an agent and the other a group. Nothing known: unresolved
// (the stats are kept and retried when the next stats for that flow arrive).

export type FlowEnd = { kind: 'agent'; id: number } | { kind: 'group'; name: string };

export interface FlowEnds {
  from: FlowEnd;
  to: FlowEnd;
}

/**
 * `agent(name)`: the agent's numeric id when `name` is a known agent, else null.
 * `group(name)`: whether `name` is a known group.
 */
export function resolveFlowId(flowId: string, agent: (name: string) => number | null, group: (name: string) => boolean): FlowEnds | null {
  const splits: number[] = [];
  for (let i = flowId.indexOf('-'); i >= 0; i = flowId.indexOf('-', i + 1)) if (i > 0 && i < flowId.length - 1) splits.push(i);
  const end = (name: string, kind: 'agent' | 'group'): FlowEnd | null => {
    if (kind === 'agent') {
      const id = agent(name);
      return id === null ? null : { kind, id };
    }
    return group(name) ? { kind, name } : null;
  };
  const passes: ['agent' | 'group', 'agent' | 'group'][] = [
    ['agent', 'agent'],
    ['group', 'group'],
    ['agent', 'group'],
    ['group', 'agent'],
  ];
  for (const [a, b] of passes) {
    for (const i of splits) {
      const from = end(flowId.slice(0, i), a);
      if (!from) continue;
      const to = end(flowId.slice(i + 1), b);
      if (to) return { from, to };
    }
  }
  return null;
}
