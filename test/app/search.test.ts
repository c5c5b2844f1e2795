// The core's side of agent search: which planes a `plane:` term names.
import { describe, expect, it } from 'vitest';
import { planeMatches } from '../../electron/core/app/index.js';

describe('search: plane:', () => {
  it('plane: takes the id, or a prefix of the id or the shown name, in any case', () => {
    const sim = { id: 'plane-1', label: 'Sim (embedded)' };
    expect(planeMatches(sim, 'plane-1')).toBe(true);
    expect(planeMatches(sim, 'sim')).toBe(true);
    expect(planeMatches(sim, 'SIM (EMB')).toBe(true);
    expect(planeMatches(sim, 'embedded')).toBe(false);
    expect(planeMatches(sim, 'plane-2')).toBe(false);
  });
});
