import { z } from 'zod';
import {
  CITY_COLORS,
  LIFF_PAGES,
  RICH_MENU_LIMITS,
  TAB_GROUP_KINDS,
  type TabGroupKind,
  TEMPLATE_ICONS,
  TEMPLATE_LAYOUTS,
} from './richmenu-constants.ts';
import { displayText } from './text.ts';

// Tabbed rich menus (M-01 … M-05, X-01): the HTTP contract of /api/richmenus.
//
// A tab group is what staff edit: 1–3 tabs, each one LINE rich menu. Tapping a tab area
// (`switchTab`) switches the whole menu (LINE's richmenuswitch action to the tab's alias; staff never
// see alias IDs or LINE's richMenuId). A tab's image is an uploaded image (POST /api/media, then its
// ID here) or a template the server draws (layout, colours, cells with a Japanese label and an icon).
// Areas are always explicit, in the image's pixels; for templates `templateAreaBounds` below gives
// the cells' and the tab bar's bounds so an editor can place them.
//
// LINE's rules and ours (checked by `checkTabGroup` in richmenus-rules.ts, also on the server):
// image 800–2,500 px wide, ≥ 250 px high, width / height ≥ 1.45, ≤ 1 MB, JPEG or PNG; ≤ 20 areas
// per tab, each inside the image; chat-bar text ≤ 14 characters; and across the whole group
// ≤ 20 tap areas in all (003:4.3(1) 「各タブを含め合計で最大 20 件」), no overlapping areas, no
// switchTab to a tab that does not exist.

export * from './richmenu-constants.ts';

const color = z.string().regex(/^#[0-9A-Fa-f]{6}$/, '色は #RRGGBB の形式で指定してください');
const pixels = (what: string) =>
  z.number({ error: `${what}は数値で指定してください` }).int(`${what}は整数で指定してください`);

// ---- Actions ----

export const richMenuActionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('uri'),
      uri: z
        .string()
        .max(900, 'リンク先は 900 文字以内で入力してください')
        .regex(/^(https?:\/\/|tel:)/i, 'リンク先は https://、http:// または tel: で始めてください'),
    }),
    z.strictObject({
      type: z.literal('liff'),
      page: z.enum(LIFF_PAGES, '開くページを選んでください'),
      /** With page `consult`: the desk's slug (its chat opens directly). */
      desk: z
        .string()
        .regex(/^[a-z0-9-]{1,50}$/, '窓口の識別子は英小文字・数字・- の 50 文字以内です')
        .optional(),
    }),
    z.strictObject({
      type: z.literal('message'),
      text: z
        .string()
        .trim()
        .min(1, '送るテキストを入力してください')
        .max(300, 'テキストは 300 文字以内です'),
    }),
    z.strictObject({
      type: z.literal('postback'),
      data: z
        .string()
        .min(1, 'データを入力してください')
        .max(RICH_MENU_LIMITS.postbackDataMax, `データは ${RICH_MENU_LIMITS.postbackDataMax} 文字以内です`),
      displayText: z.string().max(300, '表示テキストは 300 文字以内です').optional(),
    }),
    z.strictObject({
      type: z.literal('switchTab'),
      /** Index of the tab in the group (0-based). */
      tab: z.number().int('タブの番号は整数です').min(0, 'タブの番号は 0 以上です'),
    }),
    z.strictObject({
      type: z.literal('scenario'),
      /** A chatbot scenario (stored now, run by a later issue). */
      scenarioId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'シナリオ ID は英数字・-・_ の 64 文字以内です'),
    }),
  ],
  { error: '動作の種類が正しくありません' },
);
export type RichMenuAction = z.infer<typeof richMenuActionSchema>;

// ---- Areas, images, tabs, groups ----

export const richMenuAreaSchema = z.strictObject({
  x: pixels('X 座標').min(0, 'X 座標は 0 以上です'),
  y: pixels('Y 座標').min(0, 'Y 座標は 0 以上です'),
  width: pixels('幅').min(1, '幅は 1 以上です'),
  height: pixels('高さ').min(1, '高さは 1 以上です'),
  /** What the area is called: LINE reads it out (accessibility, ≤ 20) and tap counts show it. */
  label: z.string().trim().min(1).max(20, '名前は 20 文字以内です').optional(),
  action: richMenuActionSchema,
});
export type RichMenuArea = z.infer<typeof richMenuAreaSchema>;

export const templateCellSchema = z.strictObject({
  label: displayText(RICH_MENU_LIMITS.cellLabelMax),
  icon: z.enum(TEMPLATE_ICONS, 'アイコンを選んでください'),
});
export type TemplateCell = z.infer<typeof templateCellSchema>;

export const richMenuImageSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('media'), mediaId: z.uuid('画像 ID の形式が正しくありません') }),
    z.strictObject({
      kind: z.literal('template'),
      layout: z.enum(TEMPLATE_LAYOUTS, 'レイアウトを選んでください'),
      colors: z
        .strictObject({ background: color, cell: color, text: color, accent: color })
        .default({ ...CITY_COLORS }),
      /** One per layout cell, in reading order. */
      cells: z.array(templateCellSchema).min(1).max(8),
    }),
  ],
  { error: '画像の種類が正しくありません' },
);
export type RichMenuImage = z.infer<typeof richMenuImageSchema>;

export const richMenuTabSchema = z.strictObject({
  label: displayText(RICH_MENU_LIMITS.tabLabelMax),
  /** Text in the chat bar (LINE: ≤ 14 characters). The length rule is checked with the others. */
  chatBarText: z.string().trim().min(1, 'メニューバーのテキストを入力してください').max(100),
  size: z.strictObject({ width: pixels('画像の幅'), height: pixels('画像の高さ') }),
  image: richMenuImageSchema,
  areas: z.array(richMenuAreaSchema).max(100),
});
export type RichMenuTab = z.infer<typeof richMenuTabSchema>;
export type RichMenuTabInput = z.input<typeof richMenuTabSchema>;

export const tabGroupInputSchema = z.strictObject({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  name: displayText(100),
  kind: z.enum(TAB_GROUP_KINDS).default('normal'),
  tabs: z
    .array(richMenuTabSchema)
    .min(1, 'タブを 1 つ以上作ってください')
    .max(RICH_MENU_LIMITS.maxTabs, `タブは ${RICH_MENU_LIMITS.maxTabs} つまでです`),
});
export type TabGroupInput = z.input<typeof tabGroupInputSchema>;
export type TabGroupParsed = z.infer<typeof tabGroupInputSchema>;

/** PUT /api/richmenus/:id — replaces name and tabs (the LINE menus are made again). */
export const tabGroupUpdateSchema = tabGroupInputSchema.omit({ channelId: true });
export type TabGroupUpdate = z.input<typeof tabGroupUpdateSchema>;

// ---- Publications (M-01, X-01) ----

const instant = z.iso.datetime({
  offset: true,
  error: '日時は ISO 8601（タイムゾーン付き）で指定してください',
});

export const publishSchema = z
  .discriminatedUnion('target', [
    z.strictObject({ target: z.literal('default'), from: instant.optional(), until: instant.optional() }),
    z.strictObject({
      target: z.literal('segment'),
      segmentId: z.uuid('セグメント ID の形式が正しくありません'),
      from: instant.optional(),
      until: instant.optional(),
    }),
  ])
  .refine((p) => !p.from || !p.until || Date.parse(p.from) < Date.parse(p.until), {
    message: '終了日時は開始日時より後にしてください',
    path: ['until'],
  });
export type PublishRequest = z.input<typeof publishSchema>;

export const PUBLICATION_STATUSES = [
  'scheduled',
  'linking',
  'active',
  'ending',
  'ended',
  'failed',
  'cancelled',
] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

// ---- Disaster mode (X-01) ----

/** POST /api/richmenus/disaster/prepare → a token; POST /api/richmenus/disaster/confirm with it. */
export const disasterPrepareSchema = z.strictObject({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  /** The `kind=disaster` group to switch to; omitted when switching off. */
  groupId: z.uuid('タブグループ ID の形式が正しくありません').optional(),
  on: z.boolean(),
  /**
   * Switching on only: when it switches off by itself (in the future, at most
   * DISASTER_UNTIL_MAX_DAYS ahead); omitted: until staff switch it off.
   */
  until: instant.optional(),
});
export const disasterConfirmSchema = z.strictObject({ token: z.string().min(16).max(2000) });
export type DisasterPrepareRequest = z.input<typeof disasterPrepareSchema>;

/** POST /api/richmenus/disaster/prepare: what confirm would do, and the token (5 minutes, this account only). */
export interface DisasterPrepared<Time = string> {
  token: string;
  expiresAt: Time;
  on: boolean;
  groupId: string | null;
  /** The disaster group's name (switching on), null when switching off. */
  groupName: string | null;
  /** Following friends the switch covers. */
  friends: number;
  /** Switching on: when it will switch off by itself, else null. */
  until?: Time | null;
}

/** POST /api/richmenus/disaster/confirm. `linking`: the default is switched, per-user menus follow (job). */
export interface DisasterSwitched {
  publicationId: string;
  groupId: string;
  status: PublicationStatus;
  error: string | null;
}

/** GET /api/richmenus/disaster?channelId= */
export type DisasterStatus =
  | { active: false }
  | {
      active: true;
      publicationId: string;
      groupId: string;
      status: PublicationStatus;
      error: string | null;
      /** When it switches off by itself (a scheduled end), else null. */
      until?: string | null;
    };

// ---- Views (timestamps: ISO strings in JSON, Dates on the server) ----

export interface RichMenuAreaView extends RichMenuArea {
  id: string;
}

export interface RichMenuTabView extends Omit<RichMenuTab, 'areas'> {
  id: string;
  position: number;
  areas: RichMenuAreaView[];
  /** True once LINE holds the tab's menu and image. */
  onLine: boolean;
}

export type TabGroupStatus = 'draft' | 'ready' | 'failed';

export interface PublicationView<Time = string> {
  id: string;
  target: 'default' | 'segment' | 'disaster';
  segmentId: string | null;
  from: Time | null;
  until: Time | null;
  status: PublicationStatus;
  linkedCount: number;
  error: string | null;
  createdAt: Time;
}

export interface TabGroupView<Time = string> {
  id: string;
  channelId: string;
  name: string;
  kind: TabGroupKind;
  /** ready: every tab is on LINE; failed: LINE refused part of it (POST …/sync retries). */
  status: TabGroupStatus;
  error: string | null;
  tabs: RichMenuTabView[];
  publications: PublicationView<Time>[];
  createdAt: Time;
  updatedAt: Time;
}

export interface TabGroupSummary<Time = string> {
  id: string;
  channelId: string;
  name: string;
  kind: TabGroupKind;
  status: TabGroupStatus;
  tabCount: number;
  published: boolean;
  updatedAt: Time;
}

/**
 * GET /api/richmenus/:id/taps (O-08): the current areas first (in tab and area order), each with the
 * taps of every area that stood at the same tab and area position with the same label (kept over
 * edits, which replace the areas), then earlier areas that match no current one (`earlier: true`).
 */
export interface AreaTapCount {
  /** The tab now at `tabPosition`; null when the group has no such tab any more. */
  tabId: string | null;
  /** The current area; null for an earlier one (replaced by an edit). */
  areaId: string | null;
  label: string | null;
  taps: number;
  tabPosition: number;
  areaPosition: number;
  /** An area an edit replaced, with no current area at its position and label. */
  earlier: boolean;
}
