import type { messagingApi } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { type EngineEnv, parseButtonData, startTurn, type TurnResult, tapTurn } from './scenario-engine.ts';
import { evacuationGraph, HELP_TEXT, SAFE_TEXT, WHERE_TEXT } from './scenario-templates.ts';

// The evacuation guidance as a scenario, ported from the disaster module's fixed steps: the
// same three questions and texts, every reply fits LINE (≤ 5 messages, labels ≤ 20, data ≤ 300),
// every path ends at the location button, and 119 / 110 and the contact only when help is needed.

const env: EngineEnv = {
  scenarioKey: 'evacuation',
  version: 0,
  publicUrl: 'https://city.example.jp',
  attribute: async () => false,
  disasterMode: async () => true,
  consultationDoor: async () => null,
  shelterAsk: (text) => ({
    type: 'text',
    text,
    quickReply: { items: [{ type: 'action', action: { type: 'location', label: '位置情報を送る' } }] },
  }),
};
const graph = evacuationGraph('市役所 0000');
type Text = messagingApi.TextMessage;
const items = (r: TurnResult) => r.replies.flatMap((m) => (m as Text).quickReply?.items ?? []);
const fits = (r: TurnResult) => {
  expect(r.replies.length).toBeLessThanOrEqual(5);
  for (const i of items(r)) {
    const a = i.action as { label?: string; data?: string };
    expect([...(a.label ?? '')].length).toBeLessThanOrEqual(20);
    expect((a.data ?? '').length).toBeLessThanOrEqual(300);
  }
};
const tap = async (r: TurnResult, label: string) => {
  const item = items(r).find((i) => (i.action as { label?: string }).label === label);
  if (!item) throw new Error(`no button ${label}`);
  const t = parseButtonData((item.action as { data: string }).data)!;
  return tapTurn(graph, r.state.vars, t, env);
};

describe('evacuation guidance scenario (X-02)', () => {
  it('X-02: asks where, then whether it is safe, then whether help is needed — the same texts and buttons', async () => {
    const where = await startTurn(graph, env);
    expect((where.replies[0] as Text).text).toBe(WHERE_TEXT);
    expect(items(where).map((i) => i.action?.label)).toEqual(['自宅', '外出先', 'その他']);
    const safe = await tap(where, '自宅');
    expect((safe.replies[0] as Text).text).toBe(SAFE_TEXT);
    expect(items(safe).map((i) => i.action?.label)).toEqual(['安全', '危険を感じる']);
    const help = await tap(safe, '危険を感じる');
    expect((help.replies[0] as Text).text).toBe(HELP_TEXT);
    expect(items(help).map((i) => i.action?.label)).toEqual(['必要', '不要']);
  });

  it('X-02: every path fits LINE and ends at the location button; 119 only when help is needed; damaged data starts again', async () => {
    for (const at of ['自宅', '外出先', 'その他']) {
      for (const safe of ['安全', '危険を感じる']) {
        for (const help of ['必要', '不要']) {
          const a = await startTurn(graph, env);
          const b = await tap(a, at);
          const c = await tap(b, safe);
          const end = await tap(c, help);
          for (const r of [a, b, c, end]) fits(r);
          expect(end.ended && end.completed).toBe(true);
          const last = end.replies.at(-1) as Text;
          expect(last.quickReply!.items![0]!.action!.type).toBe('location');
          expect(JSON.stringify(end.replies).includes('119')).toBe(help === '必要');
          expect(JSON.stringify(end.replies).includes('市役所 0000')).toBe(help === '必要');
          const advice = (end.replies.at(-2) as Text).text;
          expect(advice).toMatch(safe === '危険を感じる' ? /危険を感じるときは/ : /(在宅避難|避難所の場所)/);
          expect(advice.includes('2階以上')).toBe(safe === '危険を感じる' && at === '自宅');
        }
      }
    }
    const again = await tapTurn(graph, {}, { nodeId: 'nowhere', choiceId: 'x' }, env);
    expect((again.replies[0] as Text).text).toBe(WHERE_TEXT);
  });
});
