import { describe, expect, it } from 'vitest';
import {
  clampRect,
  freeRect,
  inside,
  moveRect,
  overlapPairs,
  overlaps,
  rectFromPoints,
  resizeRect,
  scaleRect,
  toImagePoint,
} from './geometry.ts';

const size = { width: 2500, height: 1686 };

describe('rich menu area geometry', () => {
  it('maps a point of the shown image to image pixels, clamped to the image', () => {
    const box = { left: 100, top: 50, width: 625, height: 421.5 };
    expect(toImagePoint({ x: 100, y: 50 }, box, size)).toEqual({ x: 0, y: 0 });
    expect(toImagePoint({ x: 412.5, y: 260.75 }, box, size)).toEqual({ x: 1250, y: 843 });
    expect(toImagePoint({ x: 2000, y: -20 }, box, size)).toEqual({ x: 2500, y: 0 });
  });

  it('makes a rectangle from a drag in any direction, inside the image', () => {
    expect(rectFromPoints({ x: 10, y: 20 }, { x: 110, y: 220 }, size)).toEqual({
      x: 10,
      y: 20,
      width: 100,
      height: 200,
    });
    expect(rectFromPoints({ x: 110, y: 220 }, { x: 10, y: 20 }, size)).toEqual({
      x: 10,
      y: 20,
      width: 100,
      height: 200,
    });
    expect(rectFromPoints({ x: 2400, y: 1600 }, { x: 2900, y: 2000 }, size)).toEqual({
      x: 2400,
      y: 1600,
      width: 100,
      height: 86,
    });
  });

  it('clamps a rectangle inside the image, keeping at least 1 px', () => {
    expect(clampRect({ x: -50, y: -1, width: 100, height: 100 }, size)).toEqual({
      x: 0,
      y: 0,
      width: 100,
      height: 100,
    });
    expect(clampRect({ x: 2450, y: 1600, width: 100, height: 100 }, size)).toEqual({
      x: 2400,
      y: 1586,
      width: 100,
      height: 100,
    });
    expect(clampRect({ x: 0, y: 0, width: 9999, height: 0 }, size)).toEqual({
      x: 0,
      y: 0,
      width: 2500,
      height: 1,
    });
    expect(clampRect({ x: 10.4, y: 10.6, width: 99.5, height: 50.2 }, size)).toEqual({
      x: 10,
      y: 11,
      width: 100,
      height: 50,
    });
  });

  it('moves a rectangle and stops it at the edges without changing its size', () => {
    const r = { x: 100, y: 100, width: 500, height: 400 };
    expect(moveRect(r, 50, -20, size)).toEqual({ x: 150, y: 80, width: 500, height: 400 });
    expect(moveRect(r, -500, -500, size)).toEqual({ x: 0, y: 0, width: 500, height: 400 });
    expect(moveRect(r, 5000, 5000, size)).toEqual({ x: 2000, y: 1286, width: 500, height: 400 });
  });

  it('resizes by a corner, keeping the opposite corner, a minimum size and the image bounds', () => {
    const r = { x: 100, y: 100, width: 500, height: 400 };
    expect(resizeRect(r, 'se', 100, 50, size)).toEqual({ x: 100, y: 100, width: 600, height: 450 });
    expect(resizeRect(r, 'nw', -50, -200, size)).toEqual({ x: 50, y: 0, width: 550, height: 500 });
    expect(resizeRect(r, 'ne', 3000, 0, size)).toEqual({ x: 100, y: 100, width: 2400, height: 400 });
    expect(resizeRect(r, 'sw', 1000, -1000, size, 40)).toEqual({ x: 560, y: 100, width: 40, height: 40 });
  });

  it('finds overlaps; shared edges do not overlap', () => {
    const a = { x: 0, y: 0, width: 100, height: 100 };
    const b = { x: 100, y: 0, width: 100, height: 100 };
    const c = { x: 50, y: 50, width: 100, height: 100 };
    expect(overlaps(a, b)).toBe(false);
    expect(overlaps(a, c)).toBe(true);
    expect(overlapPairs([a, b, c])).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('knows whether a rectangle lies inside the image', () => {
    expect(inside({ x: 0, y: 0, width: 2500, height: 1686 }, size)).toBe(true);
    expect(inside({ x: 1, y: 0, width: 2500, height: 1686 }, size)).toBe(false);
    expect(inside({ x: 0, y: 0, width: 0, height: 10 }, size)).toBe(false);
  });

  it('places a keyboard-added area where it overlaps no other', () => {
    const first = freeRect([], size);
    expect(first).toEqual({ x: 0, y: 0, width: 625, height: 422 });
    const second = freeRect([first], size);
    expect(overlaps(first, second)).toBe(false);
    expect(inside(second, size)).toBe(true);
  });

  it('scales areas to a resized image, keeping shared edges shared', () => {
    const to = { width: 2048, height: 1381 };
    const left = scaleRect({ x: 0, y: 236, width: 1250, height: 725 }, size, to);
    const right = scaleRect({ x: 1250, y: 236, width: 1250, height: 725 }, size, to);
    expect(left.x + left.width).toBe(right.x);
    expect(right.x + right.width).toBe(2048);
    expect(inside(left, to) && inside(right, to)).toBe(true);
  });
});
