import {
  CITY_COLORS,
  layoutCellCount,
  RICH_MENU_LIMITS,
  type TabGroupKind,
  type TemplateLayout,
  templateAreas,
} from '@madoguchi/contracts/richmenu-constants.ts';
import type {
  RichMenuAction,
  RichMenuArea,
  RichMenuTab,
  TabGroupView,
  TemplateCell,
} from '@madoguchi/contracts/richmenus.ts';
import { checkTabGroup, type RichMenuIssue } from '@madoguchi/contracts/richmenus-rules.ts';
import { ApiError } from '../../api/client.ts';
import type { Bounds, Size } from './geometry.ts';

// What the rich menu editor holds (M-01 … M-04): a tab group being edited, its conversion to the
// contract's request, the template's areas, and LINE's rules as messages keyed by field path.

/** The image sizes offered for templates (LINE's full and half height menus). */
export const TEMPLATE_SIZES = {
  large: { width: 2500, height: 1686 },
  compact: { width: 2500, height: 843 },
} as const;
export type TemplateSize = keyof typeof TEMPLATE_SIZES;

/** LINE reads an area's name out (its action label): ≤ 20 characters. */
export const AREA_LABEL_MAX = 20;

export type DraftArea = Bounds & { key: string; label: string; action: RichMenuAction };

/** The uploaded image of a tab: the media ID and where the console shows it. */
export type DraftMedia = { mediaId: string; previewUrl: string };
export type DraftTemplate = {
  layout: TemplateLayout;
  colors: { background: string; cell: string; text: string; accent: string };
  cells: TemplateCell[];
};

export type DraftTab = {
  key: string;
  /** The saved tab's ID (its image can be shown from the server), null for a new tab. */
  id: string | null;
  label: string;
  chatBarText: string;
  size: Size;
  source: 'template' | 'media';
  template: DraftTemplate;
  media: DraftMedia | null;
  areas: DraftArea[];
};

export type Draft = { name: string; kind: TabGroupKind; tabs: DraftTab[] };

let counter = 0;
export const newKey = () => `k${++counter}`;

export function defaultCells(layout: TemplateLayout, existing: TemplateCell[] = []): TemplateCell[] {
  return Array.from(
    { length: layoutCellCount(layout) },
    (_, i) => existing[i] ?? { label: `項目${i + 1}`, icon: 'info' },
  );
}

export function newTab(index: number, tabCount: number): DraftTab {
  const layout: TemplateLayout = '2x2';
  const tab: DraftTab = {
    key: newKey(),
    id: null,
    label: `タブ${index + 1}`,
    chatBarText: 'メニュー',
    size: { ...TEMPLATE_SIZES.large },
    source: 'template',
    template: { layout, colors: { ...CITY_COLORS }, cells: defaultCells(layout) },
    media: null,
    areas: [],
  };
  return withTemplateAreas(tab, index, tabCount);
}

export const newDraft = (): Draft => ({ name: '', kind: 'normal', tabs: [newTab(0, 1)] });

/** A cell's default action: sends the cell's label as a message. */
const cellDefault = (cell: TemplateCell | undefined): RichMenuAction => ({
  type: 'message',
  text: cell?.label || 'メニュー',
});

/**
 * The areas of a template tab laid out again (after a change of layout, size or number of tabs):
 * the tab bar's switch areas, then one area per cell; the cells keep the actions and names of the
 * tab's previous cell areas, in order.
 */
export function withTemplateAreas(
  tab: DraftTab,
  index: number,
  tabCount: number,
  tabLabels: string[] = [],
): DraftTab {
  if (tab.source !== 'template') return tab;
  const previous = cellAreas(tab.areas);
  const { layout, cells } = tab.template;
  const actions = cells.map((c, i) => previous[i]?.action ?? cellDefault(c));
  const all = templateAreas(layout, tab.size, tabCount, index, actions, {
    tabs: tabLabels,
    cells: cells.map((c) => c.label),
  });
  const bar = all.length - cells.length;
  const areas = all.map((a, i) => {
    const before = i >= bar ? previous[i - bar] : undefined;
    // The tab bar's areas are named after their tabs; a cell's area keeps the name staff gave it.
    return { ...a, key: before?.key ?? newKey(), label: before?.label ?? a.label ?? '' };
  });
  return { ...tab, areas };
}

/**
 * A template tab with new cells: a cell area still named like its cell follows the cell's new label,
 * and so does a message that is still the cell's label (names and texts staff gave stay).
 */
export function withCells(tab: DraftTab, template: DraftTemplate): DraftTab {
  const cells = cellAreas(tab.areas);
  const bar = tab.areas.length - cells.length;
  const areas = tab.areas.map((a, i) => {
    const j = i - bar;
    const before = tab.template.cells[j]?.label;
    const after = template.cells[j]?.label;
    if (j < 0 || after === undefined || before === undefined) return a;
    const label = a.label === before ? after.slice(0, AREA_LABEL_MAX) : a.label;
    // A cell's default message (its label) follows the label too.
    const follows = a.action.type === 'message' && a.action.text === before && after.trim() !== '';
    return { ...a, label, action: follows ? { type: 'message' as const, text: after } : a.action };
  });
  return { ...tab, template, areas };
}

/** The areas below a template's tab bar (the bar's switch areas come first, at the top edge). */
export function cellAreas(areas: DraftArea[]): DraftArea[] {
  let bar = 0;
  while (bar < areas.length && areas[bar]!.action.type === 'switchTab' && areas[bar]!.y === 0) bar++;
  return areas.slice(bar);
}

/** Every template tab laid out for the group's current tabs (tab bar and switch areas). */
export const relayout = (tabs: DraftTab[]) =>
  tabs.map((t, i) =>
    withTemplateAreas(
      t,
      i,
      tabs.length,
      tabs.map((x) => x.label),
    ),
  );

/** Tabs reordered: the switch areas keep pointing at the same tabs. */
export function moveTab(tabs: DraftTab[], from: number, to: number): DraftTab[] {
  if (to < 0 || to >= tabs.length || from === to) return tabs;
  const order = tabs.map((_, i) => i);
  const [moved] = order.splice(from, 1);
  order.splice(to, 0, moved!);
  const newIndex = (old: number) => order.indexOf(old);
  return relayout(order.map((old) => retarget(tabs[old]!, newIndex)));
}

/** A tab removed: switch areas to it go, the others point at the tabs' new positions. */
export function removeTab(tabs: DraftTab[], index: number): DraftTab[] {
  const rest = tabs.filter((_, i) => i !== index);
  const newIndex = (old: number) => (old === index ? -1 : old > index ? old - 1 : old);
  return relayout(rest.map((t) => retarget(t, newIndex)));
}

function retarget(tab: DraftTab, newIndex: (old: number) => number): DraftTab {
  return {
    ...tab,
    areas: tab.areas.flatMap((a) => {
      if (a.action.type !== 'switchTab') return [a];
      const to = newIndex(a.action.tab);
      return to < 0 ? [] : [{ ...a, action: { ...a.action, tab: to } }];
    }),
  };
}

// ---- To and from the API ----

export function toArea(a: DraftArea): RichMenuArea {
  const label = a.label.trim();
  return { x: a.x, y: a.y, width: a.width, height: a.height, ...(label ? { label } : {}), action: a.action };
}

export function toTab(t: DraftTab): RichMenuTab {
  return {
    label: t.label.trim(),
    chatBarText: t.chatBarText.trim(),
    size: t.size,
    image:
      t.source === 'media'
        ? { kind: 'media', mediaId: t.media?.mediaId ?? '' }
        : { kind: 'template', ...t.template },
    areas: t.areas.map(toArea),
  };
}

export const toInput = (d: Draft) => ({ name: d.name.trim(), kind: d.kind, tabs: d.tabs.map(toTab) });

export function fromView(view: TabGroupView): Draft {
  return {
    name: view.name,
    kind: view.kind,
    tabs: view.tabs.map((t) => ({
      key: newKey(),
      id: t.id,
      label: t.label,
      chatBarText: t.chatBarText,
      size: t.size,
      source: t.image.kind,
      template:
        t.image.kind === 'template'
          ? { layout: t.image.layout, colors: t.image.colors, cells: t.image.cells }
          : { layout: '2x2', colors: { ...CITY_COLORS }, cells: defaultCells('2x2') },
      media:
        t.image.kind === 'media'
          ? { mediaId: t.image.mediaId, previewUrl: `/media/${encodeURIComponent(t.image.mediaId)}` }
          : null,
      areas: t.areas.map((a) => ({
        key: newKey(),
        x: a.x,
        y: a.y,
        width: a.width,
        height: a.height,
        label: a.label ?? '',
        action: a.action,
      })),
    })),
  };
}

// ---- Rules (LINE's and ours), as messages per field ----

/** `tabs[0].areas[1]` and `body.tabs.0.areas.1` → `tabs.0.areas.1`. */
export const normalizePath = (path: string) =>
  path
    .replace(/^body\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '');

/** The server's 400 details (zod's and the rule codes' paths) keyed like the editor's fields. */
export const serverFieldErrors = (error: unknown) => byPath(error instanceof ApiError ? error.details : []);

/** The first message per field path (normalised). */
export function byPath(issues: { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = normalizePath(i.path);
    if (!(key in out)) out[key] = i.message;
  }
  return out;
}

/** Every message at a path or below it (e.g. all the problems of one area). */
export function messagesUnder(errors: Record<string, string>, path: string): string[] {
  return Object.entries(errors)
    .filter(([k]) => k === path || k.startsWith(`${path}.`))
    .map(([, m]) => m);
}

/** Characters as LINE counts them (code points), for the chat bar's live counter. */
export const charCount = (text: string) => [...text.trim()].length;

/** What the editor checks before saving, beyond the contract's rules: required fields. */
export function requiredIssues(d: Draft): RichMenuIssue[] {
  const issues: RichMenuIssue[] = [];
  if (!d.name.trim()) issues.push({ code: 'REQUIRED', path: 'name', message: '名前を入力してください' });
  d.tabs.forEach((t, i) => {
    if (!t.label.trim())
      issues.push({ code: 'REQUIRED', path: `tabs.${i}.label`, message: 'タブの名前を入力してください' });
    else if (charCount(t.label) > RICH_MENU_LIMITS.tabLabelMax)
      issues.push({
        code: 'TOO_LONG',
        path: `tabs.${i}.label`,
        message: `タブの名前は ${RICH_MENU_LIMITS.tabLabelMax} 文字以内にしてください`,
      });
    if (!t.chatBarText.trim())
      issues.push({
        code: 'REQUIRED',
        path: `tabs.${i}.chatBarText`,
        message: 'メニューバーのテキストを入力してください',
      });
    if (t.source === 'media' && !t.media)
      issues.push({ code: 'REQUIRED', path: `tabs.${i}.image`, message: '画像をアップロードしてください' });
    if (t.source === 'template')
      t.template.cells.forEach((c, j) => {
        if (!c.label.trim())
          issues.push({
            code: 'REQUIRED',
            path: `tabs.${i}.image.cells.${j}.label`,
            message: '項目の文字を入力してください',
          });
      });
    t.areas.forEach((a, j) => {
      const problem = actionProblem(a.action);
      if (problem) issues.push({ code: 'REQUIRED', path: `tabs.${i}.areas.${j}.action`, message: problem });
    });
  });
  return issues;
}

function actionProblem(a: RichMenuAction): string | null {
  switch (a.type) {
    case 'uri':
      return /^(https?:\/\/\S+|tel:\S+)$/i.test(a.uri.trim())
        ? null
        : 'リンク先は https://、http:// または tel: で始めてください';
    case 'message':
      return a.text.trim() ? null : '送るテキストを入力してください';
    case 'postback':
      return a.data ? null : 'データを入力してください';
    case 'scenario':
      return /^[A-Za-z0-9_-]{1,64}$/.test(a.scenarioId)
        ? null
        : 'シナリオ ID は英数字・-・_ の 64 文字以内です';
    default:
      return null;
  }
}

/** LINE's rules and ours for the draft (the server runs the same rules), plus the required fields. */
export function draftIssues(d: Draft): RichMenuIssue[] {
  return [...requiredIssues(d), ...checkTabGroup(d.tabs.map(toTab))];
}

export const totalAreas = (d: Draft) => d.tabs.reduce((n, t) => n + t.areas.length, 0);
