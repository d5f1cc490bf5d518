import { describe, expect, it } from 'vitest';
import { groupMarkers, type Placed } from './map-clusters.ts';

// Reports at (nearly) one place on the console's map (R-01, issue 13): one marker with a count
// instead of markers drawn over each other.

const at = (id: string, x: number, y: number): Placed<string> => ({ item: id, x, y });
const group = (points: Placed<string>[], distance = 20) => groupMarkers(points, distance, (id) => id);

describe('report map marker groups (R-01, issue 13)', () => {
  it('R-01: points apart stay single markers, in their order', () => {
    expect(group([at('a', 0, 0), at('b', 30, 0), at('c', 0, 30)])).toEqual([
      { key: 'a', x: 0, y: 0, items: ['a'] },
      { key: 'b', x: 30, y: 0, items: ['b'] },
      { key: 'c', x: 0, y: 30, items: ['c'] },
    ]);
  });

  it('R-01: the same place and a near one are one marker at their mean, keyed by its first report', () => {
    expect(group([at('a', 100, 100), at('b', 100, 100), at('c', 103, 106), at('d', 300, 300)])).toEqual([
      { key: 'a', x: 101, y: 102, items: ['a', 'b', 'c'] },
      { key: 'd', x: 300, y: 300, items: ['d'] },
    ]);
  });

  it('R-01: groups that come near each other merge, so no two drawn markers overlap', () => {
    // c is 25 from a: a marker of its own; b and d join a, whose centre moves to 11.7, 13.3 from c:
    // the next round merges them.
    const groups = group([at('a', 0, 0), at('c', 25, 0), at('b', 15, 0), at('d', 20, 0)], 20);
    expect(groups).toEqual([{ key: 'a', x: 15, y: 0, items: ['a', 'b', 'd', 'c'] }]);
    const many = Array.from({ length: 200 }, (_, i) => at(`r${i}`, (i * 37) % 400, (i * 53) % 300));
    const drawn = groupMarkers(many, 22, (id) => id);
    expect(drawn.flatMap((g) => g.items).sort()).toEqual(many.map((p) => p.item).sort());
    for (const [i, g] of drawn.entries())
      for (const h of drawn.slice(i + 1))
        expect(Math.hypot(g.x - h.x, g.y - h.y)).toBeGreaterThanOrEqual(21.8);
  });

  it('R-01: no points, no markers', () => {
    expect(group([])).toEqual([]);
  });
});
