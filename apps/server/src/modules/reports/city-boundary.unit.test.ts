import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCityBoundary } from './city-boundary.ts';

// the vendored Ichikawa boundary (国土数値情報) says inside or outside; another city's file
// (CITY_BOUNDARY_FILE) replaces it; a file without polygons stops the start-up.

describe('city boundary (R-03)', () => {
  const ichikawa = loadCityBoundary();

  it('places in Ichikawa are inside', () => {
    expect(ichikawa.contains(35.7219, 139.9311)).toBe(true); // 市川市役所
    expect(ichikawa.contains(35.7319, 139.9078)).toBe(true); // 国府台
    expect(ichikawa.contains(35.6826, 139.9141)).toBe(true); // 行徳駅
  });

  it('the outline to draw: one MultiPolygon, rounded to 5 decimals, no repeated points', () => {
    const { type, coordinates } = ichikawa.outline;
    expect(type).toBe('MultiPolygon');
    expect(coordinates).toHaveLength(4);
    for (const ring of coordinates.flat(1)) {
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (let i = 1; i < ring.length; i++) expect(ring[i]).not.toEqual(ring[i - 1]);
    }
    expect(coordinates.flat(2).every(([lng, lat]) => Math.round(lng * 1e5) / 1e5 === lng && lat > 35)).toBe(
      true,
    );
  });

  it('the sea and the next cities are outside', () => {
    expect(ichikawa.contains(35.6, 139.95)).toBe(false); // Tokyo Bay
    expect(ichikawa.contains(35.6947, 139.9826)).toBe(false); // 船橋市役所
    expect(ichikawa.contains(35.7876, 139.903)).toBe(false); // 松戸市役所
    expect(ichikawa.contains(35.7066, 139.8683)).toBe(false); // 江戸川区役所
    expect(ichikawa.contains(0, 0)).toBe(false);
  });

  it('another boundary file; a file without polygons is refused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boundary-'));
    const square = path.join(dir, 'square.geojson');
    writeFileSync(
      square,
      JSON.stringify({
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [139, 35],
                [140, 35],
                [140, 36],
                [139, 36],
                [139, 35],
              ],
            ],
          ],
        },
      }),
    );
    const b = loadCityBoundary(square);
    expect(b.contains(35.5, 139.5)).toBe(true);
    expect(b.contains(36.5, 139.5)).toBe(false);
    expect(b.outline.coordinates).toEqual([
      [
        [
          [139, 35],
          [140, 35],
          [140, 36],
          [139, 36],
          [139, 35],
        ],
      ],
    ]);
    const empty = path.join(dir, 'empty.geojson');
    writeFileSync(empty, JSON.stringify({ type: 'FeatureCollection', features: [] }));
    expect(() => loadCityBoundary(empty)).toThrow(/no Polygon/);
  });
});
