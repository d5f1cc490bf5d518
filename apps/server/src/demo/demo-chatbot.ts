import type { ScenarioDraft, ScenarioGraph } from '@madoguchi/contracts/chatbot.ts';
import type { Db } from '../db/database.ts';
import {
  createScenario,
  listScenarios,
  publishScenario,
  saveDraft,
} from '../modules/chatbot/chatbot.service.ts';
import { importFaq, listFaq } from '../modules/chatbot/faq.service.ts';
import { CITY_FAQ } from '../modules/chatbot/testdata/city-faq.ts';
import { getRegistrationForm } from '../modules/forms/forms.service.ts';

// The demo's chatbot (B-01 … B-04): the 50-row city FAQ, imported through the same service as a
// city's sheet; a scenario 「ごみの日」 that branches on the registered ward (中央区 or not); and a
// fallback that points to the city's phone and FAQ page. Published, so the virtual phone answers at
// once. Safe to run again: nothing is added when the channel already has FAQ rows or scenarios.

const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`;

/** The city FAQ as the CSV a city would export from Excel (with the header row). */
export function demoFaqCsv(): Buffer {
  const lines = [
    ['質問', '回答', 'カテゴリ', 'キーワード', 'リンク'],
    ...CITY_FAQ.map((row) => [...row]),
  ].map((row) => row.map(csvCell).join(','));
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

const pos = (x: number, y: number) => ({ x, y });

function garbageDayGraph(areaItemId: string, chuoWardId: string): ScenarioGraph {
  return {
    start: 'intro',
    nodes: [
      {
        id: 'intro',
        title: 'はじめのあいさつ',
        position: pos(0, 0),
        type: 'message',
        messages: [{ kind: 'text', text: 'ごみの収集日をご案内します。' }],
        next: 'ward',
      },
      {
        id: 'ward',
        title: '登録した区で分ける',
        position: pos(0, 140),
        type: 'branch',
        rules: [
          {
            id: 'chuo',
            when: [
              {
                kind: 'attribute',
                condition: { type: 'choice', itemId: areaItemId, choiceIds: [chuoWardId], match: 'any' },
              },
            ],
            next: 'chuo',
          },
        ],
        otherwise: 'other',
      },
      {
        id: 'chuo',
        title: '中央区の収集日',
        position: pos(-220, 300),
        type: 'message',
        messages: [
          {
            kind: 'text',
            text: '中央区の燃えるごみは 月曜日と木曜日、資源ごみは 水曜日です（朝8時30分まで）。',
          },
        ],
        next: 'end',
      },
      {
        id: 'other',
        title: 'ほかの区・未登録',
        position: pos(220, 300),
        type: 'action',
        action: {
          kind: 'openPage',
          text: 'お住まいの地区の収集日は、ごみカレンダーでご確認ください。受信設定でお住まいの区を登録すると、ここに収集日が出ます。',
          label: 'ごみカレンダー',
          url: 'https://city.example.jp/gomi/calendar',
        },
        next: 'end',
      },
      { id: 'end', title: '終わり', position: pos(0, 460), type: 'end' },
    ],
  };
}

const FALLBACK_GRAPH: ScenarioGraph = {
  start: 'sorry',
  nodes: [
    {
      id: 'sorry',
      title: 'お答えできないとき',
      position: pos(0, 0),
      type: 'message',
      messages: [
        {
          kind: 'buttons',
          text: 'すみません、お答えできませんでした。言葉を変えてもう一度送るか、下のボタンからお問い合わせください。',
          buttons: [
            { id: 'faq', label: 'よくある質問', target: { kind: 'uri', uri: 'https://city.example.jp/faq' } },
            { id: 'tel', label: '市役所に電話する', target: { kind: 'uri', uri: 'tel:0300000000' } },
          ],
        },
      ],
      next: null,
    },
  ],
};

/** Adds the demo FAQ and scenarios to the channel when it has none. */
export async function seedDemoChatbot(
  db: Db,
  channelId: string,
  opts: { contact: string; publicUrl: string },
): Promise<string[]> {
  const lines: string[] = [];
  if ((await listFaq(db, channelId, { limit: 1, offset: 0 })).total === 0) {
    const result = await importFaq(db, channelId, demoFaqCsv(), false);
    lines.push(`FAQ ${result.created} 件を登録しました`);
  }
  if ((await listScenarios(db, channelId)).length > 0) return lines;

  const form = await getRegistrationForm(db, channelId);
  const area = form.items.find((i) => i.key === 'area');
  const chuo = area?.choices.find((c) => c.label === '中央区');
  const scenarios: { key: string; name: string; draft: (name: string) => ScenarioDraft }[] = [
    {
      key: 'fallback',
      name: 'お答えできないとき',
      draft: (name) => ({
        name,
        triggers: [{ kind: 'fallback' }],
        timeoutMinutes: 30,
        graph: FALLBACK_GRAPH,
      }),
    },
  ];
  if (area && chuo) {
    scenarios.unshift({
      key: 'gomi',
      name: 'ごみの日',
      draft: (name) => ({
        name,
        triggers: [{ kind: 'keyword', match: 'exact', words: ['ごみの日', '収集日'] }],
        timeoutMinutes: 30,
        graph: garbageDayGraph(area.id, chuo.id),
      }),
    });
  }
  for (const s of scenarios) {
    const created = await createScenario(
      db,
      { channelId, key: s.key, name: s.name, template: 'blank' },
      opts,
    );
    const saved = await saveDraft(db, created.id, created.revision, s.draft(s.name));
    await publishScenario(db, saved.id, saved.revision, null);
  }
  lines.push(
    `チャットボットのシナリオ ${scenarios.length} 件を公開しました（${scenarios.map((s) => s.name).join('・')}）`,
  );
  return lines;
}
