// The graph as JSON (Export graph): nodes with positions and state, flows
// with their stats. The schema is what the export promises; the tests
// validate an export against it.

import { z } from 'zod';

const flowEnd = z.union([z.object({ kind: z.literal('agent'), id: z.number().int().nonnegative() }), z.object({ kind: z.literal('group'), name: z.string() })]);

export const GraphExportSchema = z.object({
  format: z.literal('swarmdeck.graph'),
  version: z.literal(1),
  exportedAt: z.string(),
  planes: z.array(z.object({ plane: z.string(), color: z.number().int(), layout: z.enum(['plane', 'local']) })),
  nodes: z.array(
    z.object({
      plane: z.string(),
      id: z.number().int().nonnegative(),
      label: z.string(),
      x: z.number(),
      y: z.number(),
      state: z.number().int().nonnegative(),
      stateName: z.string(),
      load: z.number().min(0).max(100),
      lost: z.boolean(),
      pinned: z.boolean(),
      group: z.string().nullable(),
    }),
  ),
  flows: z.array(
    z.object({
      plane: z.string(),
      flowId: z.string(),
      from: flowEnd,
      to: flowEnd,
      messageCount: z.number().nonnegative(),
      ratePerSec: z.number().nonnegative().nullable(),
      successRate: z.number().nullable(),
      averageLatency: z.number().nullable(),
      minLatency: z.number().nullable(),
      maxLatency: z.number().nullable(),
      lastUpdateAgoMs: z.number().nonnegative(),
    }),
  ),
});
export type GraphExport = z.infer<typeof GraphExportSchema>;
