import { describe, expect, it } from 'vitest';
import {
  areaActionsOf,
  baseHeight,
  detectLayout,
  imagemapActions,
  LAYOUTS,
  layoutAreas,
  resizeActions,
} from './imagemap.ts';

describe('G-05 imagemap layouts → tap areas in 1040-wide base coordinates', () => {
  it('scales the image height to a 1040 base width', () => {
    expect(baseHeight(2080, 1040)).toBe(520);
    expect(baseHeight(1040, 1040)).toBe(1040);
    expect(baseHeight(1200, 701)).toBe(608);
  });

  it('full image is one area', () => {
    expect(layoutAreas('full', 700)).toEqual([{ x: 0, y: 0, width: 1040, height: 700 }]);
  });

  it('2 columns and 2 rows split evenly', () => {
    expect(layoutAreas('cols2', 520)).toEqual([
      { x: 0, y: 0, width: 520, height: 520 },
      { x: 520, y: 0, width: 520, height: 520 },
    ]);
    expect(layoutAreas('rows2', 701)).toEqual([
      { x: 0, y: 0, width: 1040, height: 351 },
      { x: 0, y: 351, width: 1040, height: 350 },
    ]);
  });

  it('2×2 and 2 rows of 3 tile the image exactly, left to right then top to bottom', () => {
    const grid = layoutAreas('grid2x2', 1040);
    expect(grid.map((a) => [a.x, a.y])).toEqual([
      [0, 0],
      [520, 0],
      [0, 520],
      [520, 520],
    ]);
    const six = layoutAreas('grid2x3', 701);
    expect(six).toHaveLength(6);
    expect(six.slice(0, 3).map((a) => a.width)).toEqual([347, 346, 347]);
    for (const layout of LAYOUTS) {
      for (const height of [1, 333, 701, 1040, 2000]) {
        const areas = layoutAreas(layout.id, height);
        const covered = areas.reduce((sum, a) => sum + a.width * a.height, 0);
        expect(covered).toBe(1040 * height);
        for (const a of areas) {
          expect(a.x + a.width).toBeLessThanOrEqual(1040);
          expect(a.y + a.height).toBeLessThanOrEqual(height);
        }
      }
    }
  });

  it('builds the contract actions and recognises the layout again', () => {
    const actions = imagemapActions('cols2', 520, [
      { kind: 'uri', value: ' https://city.example/a ' },
      { kind: 'message', value: '申し込む' },
    ]);
    expect(actions).toEqual([
      { type: 'uri', linkUri: 'https://city.example/a', area: { x: 0, y: 0, width: 520, height: 520 } },
      { type: 'message', text: '申し込む', area: { x: 520, y: 0, width: 520, height: 520 } },
    ]);
    expect(detectLayout(520, actions)).toBe('cols2');
    expect(areaActionsOf(actions)).toEqual([
      { kind: 'uri', value: 'https://city.example/a' },
      { kind: 'message', value: '申し込む' },
    ]);
    expect(detectLayout(520, [{ ...actions[0]!, area: { x: 1, y: 0, width: 10, height: 10 } }])).toBeNull();
  });

  it('keeps the area actions when the layout grows or shrinks', () => {
    const two = [
      { kind: 'uri' as const, value: 'https://a.example' },
      { kind: 'message' as const, value: 'b' },
    ];
    expect(resizeActions(two, 'grid2x2')).toHaveLength(4);
    expect(resizeActions(two, 'grid2x2')[1]).toEqual(two[1]);
    expect(resizeActions(two, 'full')).toEqual([two[0]]);
  });
});
