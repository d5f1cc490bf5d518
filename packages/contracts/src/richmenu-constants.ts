import type { RichMenuAction, RichMenuArea } from './richmenus.ts';

// Rich menu constants and template geometry without zod (M-01 … M-05): the web apps import these at
// run time, so that zod's schemas (and their eval probe, which a strict CSP reports) stay out of their
// bundles — as shelter-constants.ts does for shelters. richmenus.ts re-exports everything here.

export const RICH_MENU_LIMITS = {
  minWidth: 800,
  maxWidth: 2500,
  minHeight: 250,
  minAspectRatio: 1.45,
  maxImageBytes: 1024 * 1024,
  maxAreasPerTab: 20,
  maxAreasPerGroup: 20,
  maxTabs: 3,
  chatBarTextMax: 14,
  tabLabelMax: 10,
  cellLabelMax: 12,
  /** Postback data staff can give; the server appends `&rm=<area id>` for tap counting (O-08). */
  postbackDataMax: 250,
} as const;

/**
 * The citizen pages a `liff` action opens: https://liff.line.me/<liffId> (home, マイページ) or
 * …?page=<page>; `consult` with a desk adds `&desk=<slug>` (the citizen app opens that desk's chat).
 */
export const LIFF_PAGES = [
  'home',
  'register',
  'surveys',
  'bookings',
  'reports',
  'shelters',
  'consult',
  'applications',
] as const;
export type LiffPage = (typeof LIFF_PAGES)[number];

export const LIFF_PAGE_LABELS: Record<LiffPage, string> = {
  home: 'マイページ',
  register: '受信設定（登録）',
  surveys: 'アンケート',
  bookings: '予約',
  reports: '通報',
  shelters: '避難所',
  consult: '相談',
  applications: 'オンライン申請（スマホ市役所）',
};

/** A disaster switch's scheduled end is at most this many days ahead. */
export const DISASTER_UNTIL_MAX_DAYS = 30;

export const TAB_GROUP_KINDS = ['normal', 'disaster'] as const;
export type TabGroupKind = (typeof TAB_GROUP_KINDS)[number];

/** Template layouts: `<rows>x<columns>` grids, and `large-2` (one large cell above two small). */
export const TEMPLATE_LAYOUTS = ['1x2', '1x3', '2x2', '2x3', '2x4', 'large-2'] as const;
export type TemplateLayout = (typeof TEMPLATE_LAYOUTS)[number];

export const TEMPLATE_ICONS = [
  'home',
  'info',
  'calendar',
  'form',
  'survey',
  'booking',
  'report',
  'shelter',
  'consult',
  'phone',
  'bell',
  'map',
  'trash',
  'child',
  'health',
  'link',
] as const;
export type TemplateIcon = (typeof TEMPLATE_ICONS)[number];

/** The city's colours (default template colours). */
export const CITY_COLORS = {
  background: '#F4F8FB',
  cell: '#FFFFFF',
  text: '#12355B',
  accent: '#0B6BCB',
} as const;

/** Where a tab's image is served for previews: GET /api/richmenus/:groupId/tabs/:tabId/image. */
export const tabImagePath = (groupId: string, tabId: string) =>
  `/api/richmenus/${groupId}/tabs/${tabId}/image`;

// ---- Template geometry (shared by the editor and the server's renderer) ----

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Height of the tab bar the template renderer draws when a group has more than one tab. */
export const tabBarHeight = (size: { height: number }) => Math.round(size.height * 0.14);

/** Cells of a layout, as fractions of the body (reading order). */
export function layoutCells(layout: TemplateLayout): Bounds[] {
  if (layout === 'large-2') {
    return [
      { x: 0, y: 0, width: 1, height: 0.5 },
      { x: 0, y: 0.5, width: 0.5, height: 0.5 },
      { x: 0.5, y: 0.5, width: 0.5, height: 0.5 },
    ];
  }
  const [rows, cols] = layout.split('x').map(Number) as [number, number];
  const cells: Bounds[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      cells.push({ x: c / cols, y: r / rows, width: 1 / cols, height: 1 / rows });
  }
  return cells;
}

export const layoutCellCount = (layout: TemplateLayout) => layoutCells(layout).length;

/**
 * Pixel bounds of a template tab: `tabs` (one per tab of the group, empty for a one-tab group) and
 * `cells` (the layout's cells below the tab bar). Edges are shared, never overlapping.
 */
export function templateAreaBounds(
  layout: TemplateLayout,
  size: { width: number; height: number },
  tabCount: number,
): { tabs: Bounds[]; cells: Bounds[] } {
  const bar = tabCount > 1 ? tabBarHeight(size) : 0;
  const edge = (total: number, f: number) => Math.round(total * f);
  const tabs: Bounds[] = [];
  for (let i = 0; i < (tabCount > 1 ? tabCount : 0); i++) {
    const x = edge(size.width, i / tabCount);
    tabs.push({ x, y: 0, width: edge(size.width, (i + 1) / tabCount) - x, height: bar });
  }
  const bodyHeight = size.height - bar;
  const cells = layoutCells(layout).map((c) => {
    const x = edge(size.width, c.x);
    const y = bar + edge(bodyHeight, c.y);
    return {
      x,
      y,
      width: edge(size.width, c.x + c.width) - x,
      height: bar + edge(bodyHeight, c.y + c.height) - y,
    };
  });
  return { tabs, cells };
}

/**
 * The areas of a template tab: a switchTab area for every OTHER tab of the group (the current tab's
 * header is not a tap area, so it does not count against the 20), then one area per cell with the
 * given actions (cells without an action get no area).
 */
export function templateAreas(
  layout: TemplateLayout,
  size: { width: number; height: number },
  tabCount: number,
  currentTab: number,
  cellActions: (RichMenuAction | null)[],
  /** Names of the areas (read out by screen readers on LINE, shown in tap counts). */
  labels: { tabs?: string[]; cells?: string[] } = {},
): RichMenuArea[] {
  const { tabs, cells } = templateAreaBounds(layout, size, tabCount);
  const areas: RichMenuArea[] = [];
  const named = (label: string | undefined) => (label ? { label: label.slice(0, 20) } : {});
  tabs.forEach((b, i) => {
    if (i !== currentTab)
      areas.push({ ...b, ...named(labels.tabs?.[i]), action: { type: 'switchTab', tab: i } });
  });
  cells.forEach((b, i) => {
    const action = cellActions[i];
    if (action) areas.push({ ...b, ...named(labels.cells?.[i]), action });
  });
  return areas;
}
