import { describe, expect, it } from 'vitest';
import { DIMMED_ALPHA, fadeToMatches } from '../../../renderer/src/scene/search-fade.js';
import { testPlane } from '../../helpers/scene-plane.js';

describe('search fading', () => {
  const planes = () => [testPlane('a', [{ id: 1, x: 0, y: 0 }, { id: 2, x: 1, y: 0 }, { id: 3, x: 2, y: 0 }]), testPlane('b', [{ id: 1, x: 0, y: 0 }])];
  const alphas = (l: ReturnType<typeof testPlane>) => Array.from({ length: l.slotCount }, (_, s) => l.style[4 * s + 3]);

  it('keeps matches lit and fades the rest, a plane with no match entirely', () => {
    const [a, b] = planes();
    a!.alive[2] = 0;
    a!.style[11] = 0;
    fadeToMatches([a!, b!], [{ plane: 'a', id: 2 }]);
    expect(alphas(a!)).toEqual([DIMMED_ALPHA, 255, 0]); // a departed slot stays undrawn
    expect([...a!.dim.subarray(0, 2)]).toEqual([1, 0]);
    expect(alphas(b!)).toEqual([DIMMED_ALPHA]);
    expect(a!.matches).toEqual(new Set([2]));
    expect(b!.matches).toEqual(new Set());
    expect(a!.styleDirty && b!.styleDirty).toBe(true);
  });

  it('shows all again when the search is cleared', () => {
    const [a, b] = planes();
    fadeToMatches([a!, b!], []);
    expect(alphas(a!)).toEqual([DIMMED_ALPHA, DIMMED_ALPHA, DIMMED_ALPHA]);
    fadeToMatches([a!, b!], null);
    expect(alphas(a!)).toEqual([255, 255, 255]);
    expect(a!.matches).toBeNull();
    expect([...a!.dim.subarray(0, 3)]).toEqual([0, 0, 0]);
  });
});
