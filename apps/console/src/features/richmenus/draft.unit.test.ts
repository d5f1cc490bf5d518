import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import {
  byPath,
  cellAreas,
  charCount,
  type DraftTab,
  draftIssues,
  moveTab,
  newDraft,
  newTab,
  normalizePath,
  relayout,
  removeTab,
  serverFieldErrors,
  toInput,
  totalAreas,
  withCells,
} from './draft.ts';

const threeTabs = () => relayout([newTab(0, 3), newTab(1, 3), newTab(2, 3)]);
const switches = (t: DraftTab) => t.areas.filter((a) => a.action.type === 'switchTab').map((a) => a.action);

describe('rich menu editor draft', () => {
  it('a new one-tab draft from the 2x2 template has four cell areas and no tab bar', () => {
    const d = newDraft();
    expect(d.tabs[0]!.areas).toHaveLength(4);
    expect(switches(d.tabs[0]!)).toEqual([]);
  });

  it('with three tabs every template tab gets a switch area to each other tab', () => {
    const tabs = threeTabs();
    expect(switches(tabs[0]!)).toEqual([
      { type: 'switchTab', tab: 1 },
      { type: 'switchTab', tab: 2 },
    ]);
    expect(switches(tabs[2]!)).toEqual([
      { type: 'switchTab', tab: 0 },
      { type: 'switchTab', tab: 1 },
    ]);
    expect(totalAreas({ name: 'x', kind: 'normal', tabs })).toBe(18);
  });

  it('keeps the cells’ actions when laid out again', () => {
    const tabs = threeTabs();
    const cells = cellAreas(tabs[0]!.areas);
    cells[1]!.action = { type: 'uri', uri: 'https://www.city.example.jp/' };
    const again = relayout(tabs.slice(0, 2));
    expect(cellAreas(again[0]!.areas)[1]!.action).toEqual({
      type: 'uri',
      uri: 'https://www.city.example.jp/',
    });
    expect(switches(again[0]!)).toEqual([{ type: 'switchTab', tab: 1 }]);
  });

  it('names the tab bar areas after the tabs; a cell area follows its cell’s label unless renamed', () => {
    const tabs = relayout(threeTabs().map((t, i) => ({ ...t, label: ['くらし', '子育て', '防災'][i]! })));
    expect(tabs[0]!.areas.slice(0, 2).map((a) => a.label)).toEqual(['子育て', '防災']);
    const tab = tabs[0]!;
    const cells = tab.template.cells.map((c, i) => (i === 0 ? { ...c, label: 'ごみ' } : c));
    const renamed = withCells(tab, { ...tab.template, cells });
    expect(cellAreas(renamed.areas)[0]!.label).toBe('ごみ');
    expect(cellAreas(renamed.areas)[0]!.action).toEqual({ type: 'message', text: 'ごみ' });
    const custom = { ...tab, areas: tab.areas.map((a, i) => (i === 2 ? { ...a, label: '分別' } : a)) };
    expect(cellAreas(withCells(custom, { ...tab.template, cells }).areas)[0]!.label).toBe('分別');
  });

  it('reordering tabs keeps switch areas pointing at the same tab', () => {
    const tabs = threeTabs();
    const third = cellAreas(tabs[0]!.areas)[0]!;
    third.action = { type: 'switchTab', tab: 2 };
    const moved = moveTab(tabs, 2, 0); // old tab 2 is now first
    expect(moved[0]!.key).toBe(tabs[2]!.key);
    expect(cellAreas(moved[1]!.areas)[0]!.action).toEqual({ type: 'switchTab', tab: 0 });
  });

  it('removing a tab drops the switch areas to it', () => {
    const tabs = threeTabs();
    cellAreas(tabs[0]!.areas)[0]!.action = { type: 'switchTab', tab: 2 };
    const rest = removeTab(tabs, 2);
    expect(rest).toHaveLength(2);
    expect(rest[0]!.areas.some((a) => a.action.type === 'switchTab' && a.action.tab === 2)).toBe(false);
  });

  it('rule messages in Japanese, keyed by field: chat bar, overlap, outside, too many areas, required', () => {
    const d = newDraft();
    d.name = '';
    const tab = d.tabs[0]!;
    tab.chatBarText = 'あいうえおかきくけこさしすせそ'; // 15
    tab.areas[1] = { ...tab.areas[1]!, x: 0 }; // overlaps area 1
    tab.areas[2] = { ...tab.areas[2]!, x: 2400, width: 500 }; // outside the image
    const errors = byPath(draftIssues(d));
    expect(errors.name).toBe('名前を入力してください');
    expect(errors['tabs.0.chatBarText']).toContain('14 文字以内');
    expect(errors['tabs.0.areas.1']).toContain('重なっています');
    expect(errors['tabs.0.areas.2']).toContain('はみ出しています');

    const many = newDraft();
    many.name = 'x';
    const t0 = many.tabs[0]!;
    t0.areas = Array.from({ length: 21 }, (_, i) => ({
      key: `a${i}`,
      x: i * 100,
      y: 0,
      width: 100,
      height: 100,
      label: '',
      action: { type: 'message', text: 'a' },
    }));
    const tooMany = byPath(draftIssues(many));
    expect(tooMany['tabs.0.areas']).toContain('20 個まで');
    expect(tooMany.tabs).toContain('全体で 20 個まで');
  });

  it('image size rules for an uploaded image', () => {
    const d = newDraft();
    d.name = 'x';
    const tab = d.tabs[0]!;
    tab.source = 'media';
    tab.media = { mediaId: '00000000-0000-4000-8000-000000000000', previewUrl: '/media/x' };
    tab.size = { width: 700, height: 600 };
    tab.areas = [];
    const errors = byPath(draftIssues(d));
    expect(errors['tabs.0.size.width']).toContain('800〜2,500 px');
    expect(errors['tabs.0.size']).toContain('1.45 倍以上');
  });

  it('a URL area needs https://, http:// or tel:', () => {
    const d = newDraft();
    d.name = 'x';
    d.tabs[0]!.areas[0]!.action = { type: 'uri', uri: 'www.example.jp' };
    expect(byPath(draftIssues(d))['tabs.0.areas.0.action']).toContain('https://');
  });

  it('a valid draft has no issue and converts to the contract’s request', () => {
    const d = newDraft();
    d.name = '市のメニュー';
    expect(draftIssues(d)).toEqual([]);
    const input = toInput(d);
    expect(input.tabs[0]!.image.kind).toBe('template');
    expect(input.tabs[0]!.areas[0]).not.toHaveProperty('key');
  });

  it('normalises the server’s field paths and counts characters as LINE does', () => {
    expect(normalizePath('tabs[0].areas[12].action')).toBe('tabs.0.areas.12.action');
    expect(normalizePath('body.tabs.1.chatBarText')).toBe('tabs.1.chatBarText');
    expect(charCount('𠮷野家のメニュー')).toBe(8);
  });

  it('keys the server’s 400 details like the fields, first message per field', () => {
    const error = new ApiError(400, 'RICHMENU_IMAGE_TOO_LARGE', 'x', [
      { path: 'tabs[1].image', message: 'リッチメニューの画像は 1 MB 以下にしてください（1.3 MB）' },
      { path: 'tabs[1].image', message: 'second' },
      { path: 'body.tabs.0.areas.2.action.uri', message: 'リンク先は https://…' },
    ]);
    expect(serverFieldErrors(error)).toEqual({
      'tabs.1.image': 'リッチメニューの画像は 1 MB 以下にしてください（1.3 MB）',
      'tabs.0.areas.2.action.uri': 'リンク先は https://…',
    });
    expect(serverFieldErrors(new Error('network'))).toEqual({});
  });
});
