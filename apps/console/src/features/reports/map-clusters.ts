// Reports at (nearly) the same place on the offline map would be drawn on top of each other, the
// lower ones neither visible nor reachable: markers closer than a marker's width are drawn as one
// marker with a count, which lists its reports.

export type Placed<T> = { item: T; x: number; y: number };

export type MarkerGroup<T> = {
  /** Stable while the group keeps its first item: the key of that item. */
  key: string;
  /** The mean of the members' places (SVG units, rounded to 0.1). */
  x: number;
  y: number;
  /** In the order given. */
  items: T[];
};

type Sum<T> = { items: T[]; sx: number; sy: number };

const centre = <T>(g: Sum<T>) => [g.sx / g.items.length, g.sy / g.items.length] as const;

/**
 * The markers to draw: every point within `distance` (SVG units) of a group's centre joins that
 * group, and groups whose centres come within `distance` of each other merge, until every two
 * drawn markers are at least `distance` apart. Deterministic: the same points in the same order
 * give the same groups.
 */
export function groupMarkers<T>(
  points: Placed<T>[],
  distance: number,
  keyOf: (item: T) => string,
): MarkerGroup<T>[] {
  let groups: Sum<T>[] = points.map((p) => ({ items: [p.item], sx: p.x, sy: p.y }));
  for (;;) {
    const merged: Sum<T>[] = [];
    for (const g of groups) {
      const [x, y] = centre(g);
      const near = merged.find((m) => {
        const [mx, my] = centre(m);
        return Math.hypot(mx - x, my - y) < distance;
      });
      if (near) {
        near.items.push(...g.items);
        near.sx += g.sx;
        near.sy += g.sy;
      } else merged.push({ items: [...g.items], sx: g.sx, sy: g.sy });
    }
    const done = merged.length === groups.length;
    groups = merged;
    if (done) break;
  }
  return groups.map((g) => {
    const [x, y] = centre(g);
    return {
      key: keyOf(g.items[0] as T),
      x: Math.round(x * 10) / 10,
      y: Math.round(y * 10) / 10,
      items: g.items,
    };
  });
}
