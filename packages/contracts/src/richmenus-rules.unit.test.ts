import { describe, expect, it } from 'vitest';
import { type RichMenuTab, tabGroupInputSchema, templateAreaBounds, templateAreas } from './richmenus.ts';
import { checkMenuSize, checkTabGroup } from './richmenus-rules.ts';

const size = { width: 2500, height: 1686 };
const tab = (over: Partial<RichMenuTab> = {}): RichMenuTab => ({
  label: 'くらし',
  chatBarText: 'メニュー',
  size,
  image: { kind: 'media', mediaId: '00000000-0000-4000-8000-000000000001' },
  areas: [{ x: 0, y: 0, width: 100, height: 100, action: { type: 'message', text: 'こんにちは' } }],
  ...over,
});
const codes = (tabs: RichMenuTab[]) => checkTabGroup(tabs).map((i) => i.code);

describe('rich menu rules (M-03)', () => {
  it('M-03: a valid 3-tab group has no issues', () => {
    expect(checkTabGroup([tab(), tab(), tab()])).toEqual([]);
  });

  it('M-03: image 800–2500 px wide, ≥ 250 px high, width/height ≥ 1.45', () => {
    expect(checkMenuSize({ width: 799, height: 250 }).map((i) => i.code)).toEqual(['RICHMENU_WIDTH']);
    expect(checkMenuSize({ width: 2501, height: 843 }).map((i) => i.code)).toEqual(['RICHMENU_WIDTH']);
    expect(checkMenuSize({ width: 800, height: 249 }).map((i) => i.code)).toEqual(['RICHMENU_HEIGHT']);
    expect(checkMenuSize({ width: 1000, height: 700 }).map((i) => i.code)).toEqual(['RICHMENU_ASPECT']);
    expect(checkMenuSize({ width: 1450, height: 1000 })).toEqual([]);
    expect(checkMenuSize({ width: 2500, height: 843 })).toEqual([]);
  });

  it('M-03: chat-bar text ≤ 14 characters (counted as characters, not bytes)', () => {
    expect(codes([tab({ chatBarText: 'あ'.repeat(14) })])).toEqual([]);
    const issues = checkTabGroup([tab({ chatBarText: 'あ'.repeat(15) })]);
    expect(issues.map((i) => i.code)).toEqual(['RICHMENU_CHAT_BAR_TEXT']);
    expect(issues[0]!.message).toContain('14 文字以内');
  });

  it('M-03: areas inside the image, not overlapping, ≤ 20 per tab', () => {
    const outside = tab({
      areas: [{ x: 2400, y: 0, width: 101, height: 10, action: { type: 'uri', uri: 'https://a.jp' } }],
    });
    expect(codes([outside])).toEqual(['RICHMENU_AREA_OUTSIDE']);
    const a = { x: 0, y: 0, width: 100, height: 100, action: { type: 'message' as const, text: 'a' } };
    expect(codes([tab({ areas: [a, { ...a, x: 50 }] })])).toEqual(['RICHMENU_AREA_OVERLAP']);
    expect(codes([tab({ areas: [a, { ...a, x: 100 }] })])).toEqual([]); // touching edges is fine
    const many = Array.from({ length: 21 }, (_, i) => ({ ...a, x: i * 100 }));
    expect(codes([tab({ areas: many })])).toEqual([
      'RICHMENU_TOO_MANY_AREAS',
      'RICHMENU_GROUP_TOO_MANY_AREAS',
    ]);
  });

  it('M-03: at most 20 tap areas in all across the group (003:4.3(1))', () => {
    const a = { x: 0, y: 0, width: 100, height: 100, action: { type: 'message' as const, text: 'a' } };
    const seven = Array.from({ length: 7 }, (_, i) => ({ ...a, x: i * 100 }));
    expect(codes([tab({ areas: seven }), tab({ areas: seven }), tab({ areas: seven.slice(0, 6) })])).toEqual(
      [],
    );
    expect(codes([tab({ areas: seven }), tab({ areas: seven }), tab({ areas: seven })])).toEqual([
      'RICHMENU_GROUP_TOO_MANY_AREAS',
    ]);
  });

  it('M-03: a switchTab to a tab that does not exist', () => {
    const sw = tab({ areas: [{ x: 0, y: 0, width: 10, height: 10, action: { type: 'switchTab', tab: 2 } }] });
    expect(codes([sw, tab()])).toEqual(['RICHMENU_TAB_MISSING']);
    expect(codes([sw, tab(), tab()])).toEqual([]);
  });

  it('M-02: template cells must match the layout', () => {
    const t = tab({
      image: {
        kind: 'template',
        layout: '2x3',
        colors: { background: '#FFFFFF', cell: '#FFFFFF', text: '#000000', accent: '#0000FF' },
        cells: [{ label: 'ごみ', icon: 'trash' }],
      },
    });
    expect(codes([t])).toEqual(['RICHMENU_TEMPLATE_CELLS']);
  });

  it('M-03: template areas tile the image without overlap; one switch area per other tab', () => {
    const { tabs, cells } = templateAreaBounds('2x3', size, 3);
    expect(tabs.reduce((n, b) => n + b.width, 0)).toBe(2500);
    expect(cells).toHaveLength(6);
    expect(cells.at(-1)).toMatchObject({ x: cells.at(-1)!.x, width: 2500 - cells.at(-1)!.x });
    expect(cells.at(-1)!.y + cells.at(-1)!.height).toBe(1686);
    const areas = templateAreas('2x3', size, 3, 1, Array(6).fill({ type: 'message', text: 'x' }));
    expect(areas.filter((a) => a.action.type === 'switchTab').map((a) => a.action)).toEqual([
      { type: 'switchTab', tab: 0 },
      { type: 'switchTab', tab: 2 },
    ]);
    expect(checkTabGroup([tab({ areas }), tab(), tab()])).toEqual([]);
  });

  it('M-01: the input schema refuses more than 3 tabs and bad actions, with Japanese messages', () => {
    const base = { channelId: '00000000-0000-4000-8000-000000000001', name: 'メニュー' };
    const four = tabGroupInputSchema.safeParse({ ...base, tabs: [tab(), tab(), tab(), tab()] });
    expect(four.success).toBe(false);
    expect(four.error?.issues[0]?.message).toBe('タブは 3 つまでです');
    const badUri = tabGroupInputSchema.safeParse({
      ...base,
      tabs: [
        tab({
          areas: [{ x: 0, y: 0, width: 1, height: 1, action: { type: 'uri', uri: 'javascript:alert(1)' } }],
        }),
      ],
    });
    expect(badUri.success).toBe(false);
  });
});
