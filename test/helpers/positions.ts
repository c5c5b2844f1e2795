// Plain-array views of decoded position records, for assertions and fixtures.
import { PositionRecords, type PositionDecoder } from '../../electron/core/protocol/binary.js';
import { POSITION_RECORD_WORDS } from '../../electron/core/protocol/constants.js';

export interface Columns {
  ids: number[];
  /** x, y, z per record. */
  pos: number[];
  /** vx, vy, vz per record. */
  vel: number[];
}

/** The valid records split into columns (Object.is semantics survive: -0 stays -0). */
export function columns(recs: PositionRecords): Columns {
  const c: Columns = { ids: [], pos: [], vel: [] };
  for (let i = 0, w = 0; i < recs.count; i++, w += POSITION_RECORD_WORDS) {
    c.ids.push(recs.u32[w]!);
    c.pos.push(recs.f32[w + 1]!, recs.f32[w + 2]!, recs.f32[w + 3]!);
    c.vel.push(recs.f32[w + 4]!, recs.f32[w + 5]!, recs.f32[w + 6]!);
  }
  return c;
}

type Vec3 = readonly [number, number, number];

/** Records holding `rows` ([id, position, velocity = 0 0 0]), as the decoder would leave them. */
export function recordsOf(rows: readonly (readonly [number, Vec3, Vec3?])[], decoder?: PositionDecoder): PositionRecords {
  const r = new PositionRecords(decoder);
  r.reserve(rows.length);
  rows.forEach(([id, p, v = [0, 0, 0]], i) => r.set(i, id, p[0], p[1], p[2], v[0], v[1], v[2]));
  r.count = rows.length;
  return r;
}
