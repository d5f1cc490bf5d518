import type { ImagemapAction, ImagemapArea } from './api.ts';

/** LINE imagemaps are laid out on a base 1040 px wide; the height follows the image's proportions. */
export const IMAGEMAP_WIDTH = 1040;

export type LayoutId = 'full' | 'cols2' | 'rows2' | 'grid2x2' | 'grid2x3';

/** The layout templates: columns × rows of equal tap areas. `grid2x3` = 2 rows of 3 (6 areas). */
export const LAYOUTS: { id: LayoutId; cols: number; rows: number }[] = [
  { id: 'full', cols: 1, rows: 1 },
  { id: 'cols2', cols: 2, rows: 1 },
  { id: 'rows2', cols: 1, rows: 2 },
  { id: 'grid2x2', cols: 2, rows: 2 },
  { id: 'grid2x3', cols: 3, rows: 2 },
];

/** Base height for an image of the given size (1040 wide), at least 1. */
export function baseHeight(width: number, height: number): number {
  if (!(width > 0) || !(height > 0)) return IMAGEMAP_WIDTH;
  return Math.max(1, Math.round((IMAGEMAP_WIDTH * height) / width));
}

/**
 * The tap areas of a layout, left to right then top to bottom, in base coordinates. Edges are
 * rounded so the areas tile the image exactly (no gap, no overlap).
 */
export function layoutAreas(layout: LayoutId, height: number): ImagemapArea[] {
  const spec = LAYOUTS.find((l) => l.id === layout) ?? LAYOUTS[0]!;
  const xs = Array.from({ length: spec.cols + 1 }, (_, i) => Math.round((i * IMAGEMAP_WIDTH) / spec.cols));
  const ys = Array.from({ length: spec.rows + 1 }, (_, i) => Math.round((i * height) / spec.rows));
  const areas: ImagemapArea[] = [];
  for (let r = 0; r < spec.rows; r++)
    for (let c = 0; c < spec.cols; c++)
      areas.push({ x: xs[c]!, y: ys[r]!, width: xs[c + 1]! - xs[c]!, height: ys[r + 1]! - ys[r]! });
  return areas;
}

export function areaCount(layout: LayoutId): number {
  const spec = LAYOUTS.find((l) => l.id === layout) ?? LAYOUTS[0]!;
  return spec.cols * spec.rows;
}

/** What an area does, as the editor keeps it. */
export type AreaAction = { kind: 'uri' | 'message'; value: string };

/** The contract's imagemap actions for a layout and the areas' actions (same order). */
export function imagemapActions(layout: LayoutId, height: number, actions: AreaAction[]): ImagemapAction[] {
  return layoutAreas(layout, height).map((area, i) => toImagemapAction(actions[i], area));
}

export function toImagemapAction(action: AreaAction | undefined, area: ImagemapArea): ImagemapAction {
  const a = action ?? { kind: 'uri', value: '' };
  return a.kind === 'uri'
    ? { type: 'uri', linkUri: a.value.trim(), area }
    : { type: 'message', text: a.value, area };
}

/** Recognises the layout of saved actions (null when they were not made from a template). */
export function detectLayout(height: number, actions: ImagemapAction[]): LayoutId | null {
  for (const layout of LAYOUTS) {
    const areas = layoutAreas(layout.id, height);
    if (areas.length !== actions.length) continue;
    const same = areas.every((a, i) => {
      const b = actions[i]?.area;
      return b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
    });
    if (same) return layout.id;
  }
  return null;
}

/** Editor actions from saved ones. */
export function areaActionsOf(actions: ImagemapAction[]): AreaAction[] {
  return actions.map((a) =>
    a.type === 'uri' ? { kind: 'uri', value: a.linkUri } : { kind: 'message', value: a.text },
  );
}

/** Keeps the existing area actions when the layout changes, adding empty ones or dropping extras. */
export function resizeActions(actions: AreaAction[], layout: LayoutId): AreaAction[] {
  const n = areaCount(layout);
  return Array.from({ length: n }, (_, i) => actions[i] ?? { kind: 'uri', value: '' });
}
