import { describe, expect, it } from 'vitest';
import {
  areaIdOfPostback,
  chunks,
  lineAction,
  newAliasId,
  postbackData,
  richMenuRequest,
} from './line-requests.ts';

const AREA = '0b6bcb00-0000-4000-8000-000000000001';
const ctx = {
  publicUrl: 'https://madoguchi.city.example.jp',
  liffId: '2000000002-Abcd1234',
  aliasIds: ['mdg-a-0', 'mdg-b-1'],
};

describe('LINE request builders (M-02 … M-05, O-08)', () => {
  it('M-03: a switchTab area becomes richmenuswitch to the tab alias, with the area in its data', () => {
    expect(lineAction(AREA, { type: 'switchTab', tab: 1 }, ctx)).toEqual({
      type: 'richmenuswitch',
      richMenuAliasId: 'mdg-b-1',
      data: `rm=${AREA}&tab=1`,
    });
    expect(() => lineAction(AREA, { type: 'switchTab', tab: 2 }, ctx)).toThrow('TAB_MISSING');
  });

  it('M-05: web links go through the counted /rm/ redirect; tel: as it is; LIFF pages open the citizen app', () => {
    expect(lineAction(AREA, { type: 'uri', uri: 'https://www.city.example.jp/' }, ctx)).toEqual({
      type: 'uri',
      uri: `https://madoguchi.city.example.jp/rm/${AREA}`,
    });
    expect(lineAction(AREA, { type: 'uri', uri: 'tel:0431234567' }, ctx)).toEqual({
      type: 'uri',
      uri: 'tel:0431234567',
    });
    expect(lineAction(AREA, { type: 'liff', page: 'shelters' }, ctx)).toEqual({
      type: 'uri',
      uri: 'https://liff.line.me/2000000002-Abcd1234?page=shelters',
    });
    expect(() => lineAction(AREA, { type: 'liff', page: 'register' }, { ...ctx, liffId: null })).toThrow();
    expect(lineAction(AREA, { type: 'liff', page: 'home' }, ctx)).toEqual({
      type: 'uri',
      uri: 'https://liff.line.me/2000000002-Abcd1234',
    });
    expect(lineAction(AREA, { type: 'liff', page: 'consult', desk: 'welfare' }, ctx)).toEqual({
      type: 'uri',
      uri: 'https://liff.line.me/2000000002-Abcd1234?page=consult&desk=welfare',
    });
  });

  it('O-08: postback data keeps the staff keys and gains rm=<area id>; other modules still read theirs', () => {
    const a = lineAction(
      AREA,
      { type: 'postback', data: 'action=disaster-info', displayText: '防災情報' },
      ctx,
    );
    expect(a).toEqual({ type: 'postback', data: `action=disaster-info&rm=${AREA}`, displayText: '防災情報' });
    const data = (a as { data: string }).data;
    expect(new URLSearchParams(data).get('action')).toBe('disaster-info');
    expect(areaIdOfPostback(data)).toBe(AREA);
    expect(areaIdOfPostback('consult=welfare')).toBeNull();
    expect(areaIdOfPostback('rm=../../etc')).toBeNull();
    expect(postbackData(AREA)).toBe(`rm=${AREA}`);
    expect(postbackData(AREA, 'x'.repeat(250)).length).toBeLessThanOrEqual(300); // LINE's limit
    expect(lineAction(AREA, { type: 'scenario', scenarioId: 'evacuation' }, ctx)).toEqual({
      type: 'postback',
      data: `rm=${AREA}&scenario=evacuation`,
    });
    expect(lineAction(AREA, { type: 'message', text: '相談' }, ctx)).toEqual({
      type: 'message',
      text: '相談',
    });
  });

  it('M-01: the createRichMenu request: size, name, chat bar, bounds; only tab 1 opens expanded', () => {
    const tab = {
      tabId: '0b6bcb00-0000-4000-8000-0000000000aa',
      groupName: 'デモ市',
      position: 0,
      label: 'くらし',
      chatBarText: 'メニュー',
      width: 2500,
      height: 843,
      areas: [
        { id: AREA, x: 0, y: 0, width: 1250, height: 843, action: { type: 'message' as const, text: 'a' } },
      ],
    };
    expect(richMenuRequest(tab, ctx)).toEqual({
      size: { width: 2500, height: 843 },
      selected: true,
      name: 'デモ市 / くらし #0b6bcb00-0000-4000-8000-0000000000aa',
      chatBarText: 'メニュー',
      areas: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'message', text: 'a' } }],
    });
    expect(richMenuRequest({ ...tab, position: 1 }, ctx).selected).toBe(false);
    const named = { ...tab, areas: [{ ...tab.areas[0]!, label: 'ごみの出し方' }] };
    expect(richMenuRequest(named, ctx).areas?.[0]?.action).toEqual({
      type: 'message',
      text: 'a',
      label: 'ごみの出し方',
    });
  });

  it('M-01: alias IDs fit LINE (≤ 32 of [A-Za-z0-9_-]); bulk links go in chunks of ≤ 500', () => {
    for (let p = 0; p < 3; p++) expect(newAliasId(p)).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(newAliasId(0)).not.toBe(newAliasId(0));
    const ids = Array.from({ length: 1201 }, (_, i) => `U${i}`);
    expect(chunks(ids).map((c) => c.length)).toEqual([500, 500, 201]);
  });
});
