import type { CityBoundaryView } from '@madoguchi/contracts/reports.ts';
import { describe, expect, it } from 'vitest';
import { boundaryPath, mapFrame } from './map-projection.ts';

// The reports' offline map: the boundary's box fills the frame, north up, east–west shortened by
// cos(latitude) (at 60° a degree of longitude is half a degree of latitude).

const square = (w: number, s: number, e: number, n: number): CityBoundaryView => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  ],
});

describe('reports map projection', () => {
  it('north up, west left; the box fills the width', () => {
    const f = mapFrame(square(139, 35, 140, 35.5), [], 600, 20);
    const cos = Math.cos((35.25 * Math.PI) / 180);
    expect(f.project(35.5, 139)).toEqual([20, 20]);
    expect(f.project(35, 140)[0]).toBe(580);
    expect(f.height).toBe(Math.ceil((0.5 * 560) / cos + 40));
  });

  it('aspect corrected by cos(latitude): 2° of longitude at 60° is as wide as 1° of latitude is tall', () => {
    const f = mapFrame(square(10, 59.5, 12, 60.5), [], 600, 0);
    const [x0, y0] = f.project(60.5, 10);
    const [x1, y1] = f.project(59.5, 12);
    expect(Math.abs(x1 - x0 - (y1 - y0))).toBeLessThan(6);
  });

  it('a report outside the boundary is inside the frame; the path has one subpath per ring', () => {
    const f = mapFrame(square(139, 35, 140, 36), [{ lat: 36.5, lng: 139.5 }], 600, 20);
    const [x, y] = f.project(36.5, 139.5);
    expect(y).toBe(20);
    expect(x).toBeGreaterThan(20);
    expect(boundaryPath(square(139, 35, 140, 36), f).match(/M/g)).toHaveLength(1);
    expect(boundaryPath(square(139, 35, 140, 36), f)).toMatch(/^M[\d. L]+Z$/);
  });
});
