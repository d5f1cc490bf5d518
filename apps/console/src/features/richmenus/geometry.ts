import type { Bounds } from '@madoguchi/contracts/richmenu-constants.ts';

// Geometry of tap areas on a rich menu image (M-04), in the image's own pixels: drawing a rectangle
// by dragging, moving and resizing it while keeping it inside the image, and overlaps. Pure, so the
// canvas and the numeric inputs share one behaviour.

export type { Bounds };
export type Point = { x: number; y: number };
export type Size = { width: number; height: number };
/** A corner handle: n/s = top/bottom edge, w/e = left/right edge. */
export type Handle = 'nw' | 'ne' | 'sw' | 'se';

/** The smallest area drawn by dragging (a click without a drag makes no area). */
export const MIN_AREA = 40;

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** A point of the element (client pixels) → image pixels, clamped to the image. */
export function toImagePoint(
  client: Point,
  box: { left: number; top: number; width: number; height: number },
  size: Size,
): Point {
  const x = box.width > 0 ? ((client.x - box.left) / box.width) * size.width : 0;
  const y = box.height > 0 ? ((client.y - box.top) / box.height) * size.height : 0;
  return { x: Math.round(clamp(x, 0, size.width)), y: Math.round(clamp(y, 0, size.height)) };
}

/** The rectangle between two points of a drag (any direction), inside the image. */
export function rectFromPoints(a: Point, b: Point, size: Size): Bounds {
  const x1 = clamp(Math.round(Math.min(a.x, b.x)), 0, size.width);
  const y1 = clamp(Math.round(Math.min(a.y, b.y)), 0, size.height);
  const x2 = clamp(Math.round(Math.max(a.x, b.x)), 0, size.width);
  const y2 = clamp(Math.round(Math.max(a.y, b.y)), 0, size.height);
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Moves and shrinks a rectangle so it lies inside the image (at least 1 × 1 px), whole pixels. */
export function clampRect(r: Bounds, size: Size): Bounds {
  const width = clamp(Math.round(r.width) || 1, 1, size.width);
  const height = clamp(Math.round(r.height) || 1, 1, size.height);
  return {
    x: clamp(Math.round(r.x), 0, size.width - width),
    y: clamp(Math.round(r.y), 0, size.height - height),
    width,
    height,
  };
}

/** The rectangle moved by (dx, dy), stopped at the image's edges (its size unchanged). */
export function moveRect(r: Bounds, dx: number, dy: number, size: Size): Bounds {
  return clampRect({ ...r, x: r.x + dx, y: r.y + dy }, size);
}

/** The rectangle with one corner dragged by (dx, dy); the opposite corner stays, at least `min` px. */
export function resizeRect(r: Bounds, handle: Handle, dx: number, dy: number, size: Size, min = 1): Bounds {
  let left = r.x;
  let top = r.y;
  let right = r.x + r.width;
  let bottom = r.y + r.height;
  if (handle === 'nw' || handle === 'sw') left = clamp(left + dx, 0, right - min);
  else right = clamp(right + dx, left + min, size.width);
  if (handle === 'nw' || handle === 'ne') top = clamp(top + dy, 0, bottom - min);
  else bottom = clamp(bottom + dy, top + min, size.height);
  return clampRect({ x: left, y: top, width: right - left, height: bottom - top }, size);
}

export const overlaps = (a: Bounds, b: Bounds) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Index pairs [i, j] (i < j) of overlapping rectangles. */
export function overlapPairs(rects: Bounds[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let j = 0; j < rects.length; j++)
    for (let i = 0; i < j; i++) if (overlaps(rects[i]!, rects[j]!)) pairs.push([i, j]);
  return pairs;
}

/** True when the rectangle lies wholly inside the image. */
export const inside = (r: Bounds, size: Size) =>
  r.x >= 0 &&
  r.y >= 0 &&
  r.width >= 1 &&
  r.height >= 1 &&
  r.x + r.width <= size.width &&
  r.y + r.height <= size.height;

/** A free spot for a new area added with the keyboard: a quarter of the image, moved until it overlaps none. */
export function freeRect(rects: Bounds[], size: Size): Bounds {
  const width = Math.max(1, Math.round(size.width / 4));
  const height = Math.max(1, Math.round(size.height / 4));
  for (let y = 0; y + height <= size.height; y += height) {
    for (let x = 0; x + width <= size.width; x += width) {
      const r = { x, y, width, height };
      if (!rects.some((o) => overlaps(o, r))) return r;
    }
  }
  return { x: 0, y: 0, width, height };
}

/** A rectangle of an image of size `from` at the same place on the image resized to `to`. */
export function scaleRect(r: Bounds, from: Size, to: Size): Bounds {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const x = Math.round(r.x * sx);
  const y = Math.round(r.y * sy);
  // Edges are scaled (not widths), so areas that shared an edge still do.
  return clampRect(
    { x, y, width: Math.round((r.x + r.width) * sx) - x, height: Math.round((r.y + r.height) * sy) - y },
    to,
  );
}
