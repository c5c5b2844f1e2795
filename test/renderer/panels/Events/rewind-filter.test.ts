// While a plane is rewound, the Events panel hides its events after the moment shown; other planes' stay.

import { describe, expect, it } from 'vitest';
import type { PlaneEvent } from '@shared';
import { beforeRewind } from '../../../../renderer/src/panels/Events/filter-events.js';

const ev = (plane: string, at: number): PlaneEvent => ({ seq: at, plane, at, origin: 'cp', type: 'message.sent', priority: 'normal', payload: {} }) as PlaneEvent;

describe('events while rewound', () => {
  it('hides the rewound plane events after its moment, keeps the rest', () => {
    const all = [ev('a', 1), ev('b', 2), ev('a', 3), ev('b', 4), ev('a', 5)];
    expect(beforeRewind(all, [])).toBe(all);
    expect(beforeRewind(all, [{ plane: 'a', at: 3 }]).map((e) => `${e.plane}${e.at}`)).toEqual(['a1', 'b2', 'a3', 'b4']);
  });
});
