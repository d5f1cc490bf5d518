import { performance } from 'node:perf_hooks';
import { CITY_FAQ } from '../../apps/server/src/modules/chatbot/testdata/city-faq.ts';
import { postbackEvent, textEvent } from '../../apps/server/src/testing/line-webhook.ts';
import type { FaqImportResult, ScenarioDraft, ScenarioView } from '../../packages/contracts/src/chatbot.ts';
import type { Mix } from './mix.ts';

// The chatbot's content for the benchmark, set up through the console API as staff would (issue 12):
// - a FAQ sheet of 5,000 rows (CSV, POST /api/chatbot/faq/import): the city FAQ of the search's
//   fixture (50 rows written after real 市役所 FAQ pages) for each of 100 districts and facilities,
//   「中央地区：燃えるごみの収集日はいつですか」, the answer naming the district's office;
// - 50 published scenarios: 49 started by a keyword (a topic name such as 「住民票」, exact), each
//   a greeting, a question with three choices (quick-reply postbacks cb=…) and an answer per choice;
//   and one fallback scenario for text nothing else takes.
// The mix of the load (chatbotMix): a user offered buttons by their last reply taps one (answers to
// questions, FAQ suggestions and feedback), else keyword texts starting scenarios, FAQ questions
// (paraphrased, not the sheet's wording), and unknown text (the fallback).

type Api = <T>(method: string, p: string, body?: unknown) => Promise<T>;

export interface ChatbotSetup {
  keywords: string[];
  faqQuestions: string[];
  summary: Record<string, unknown>;
}

const DISTRICTS = [
  ...['中央', '北', '南', '東', '西', '緑', '花見川', '稲毛', '若葉', '美浜'].flatMap((ward) =>
    ['第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八', '第九', '第十'].map(
      (n) => `${ward}区${n}地区`,
    ),
  ),
];

const TOPICS = [
  '住民票',
  '印鑑登録',
  '戸籍',
  'マイナンバーカード',
  '転入届',
  '転出届',
  '児童手当',
  '保育園',
  '子育て相談',
  '予防接種',
  '健康診断',
  '国民健康保険',
  '国民年金',
  '介護保険',
  '障害福祉',
  '生活保護',
  '市民税',
  '固定資産税',
  '軽自動車税',
  '納税相談',
  '粗大ごみ',
  '資源回収',
  '犬の登録',
  '市営住宅',
  '水道の開始',
  '下水道',
  '道路の補修',
  '街路灯',
  '公園',
  '図書館',
  '市民プール',
  '体育館',
  '公民館',
  '選挙',
  'パスポート',
  '消費生活相談',
  '法律相談',
  '空き家',
  '防犯',
  '交通安全',
  '自転車駐車場',
  '成人式',
  '敬老会',
  'ボランティア',
  '市の求人',
  '入札',
  '市議会',
  '広報紙',
  'ふるさと納税',
];

/** RFC 4180 CSV cell. */
const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function faqCsv(): { csv: string; rows: number } {
  const lines = [['質問', '回答', 'カテゴリ', 'キーワード', 'リンク'].join(',')];
  for (const district of DISTRICTS) {
    for (const [question, answer, category, keywords, link] of CITY_FAQ) {
      lines.push(
        [
          `${district}：${question}`,
          `${answer}（${district}の担当：${district.slice(0, district.indexOf('区') + 1)}役所 市民課）`,
          category,
          `${keywords}、${district}`,
          link,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

/** A citizen's wording of a FAQ question: the district, and the question said another way. */
function paraphrase(question: string, district: string, variant: number): string {
  const core = question.replace(/(はいつですか|を教えてください|はどこですか|ですか|ますか|たい)$/u, '');
  switch (variant % 4) {
    case 0:
      return `${district}の${core}について知りたいです`;
    case 1:
      return `${core}？（${district}）`;
    case 2:
      return `${district}に住んでいます。${question}`;
    default:
      return `${core} 教えて`;
  }
}

const UNKNOWN = [
  'こんにちは',
  'ありがとうございました',
  '今日はいい天気ですね',
  'テスト',
  'よろしくお願いします',
  'すみません、間違えました',
];

function keywordScenario(topic: string): ScenarioDraft {
  const pos = (x: number, y: number) => ({ x: x * 260, y: y * 140 });
  const choices = ['手続きの方法', '受付の時間と場所', '必要なもの'];
  return {
    name: `${topic}のご案内`,
    triggers: [{ kind: 'keyword', match: 'exact', words: [topic] }],
    timeoutMinutes: 30,
    graph: {
      start: 'hello',
      nodes: [
        {
          id: 'hello',
          title: 'あいさつ',
          position: pos(0, 0),
          type: 'message',
          messages: [{ kind: 'text', text: `${topic}についてご案内します。` }],
          next: 'ask',
        },
        {
          id: 'ask',
          title: '知りたいこと',
          position: pos(1, 0),
          type: 'question',
          text: `${topic}について、知りたいことを選んでください。`,
          saveAs: 'want',
          input: 'choice',
          choices: choices.map((label, i) => ({ id: `c${i + 1}`, label, next: `a${i + 1}` })),
          next: null,
          retryText: '下のボタンから選んでください。',
        },
        ...choices.map((label, i) => ({
          id: `a${i + 1}`,
          title: label,
          position: pos(2, i),
          type: 'message' as const,
          messages: [
            {
              kind: 'text' as const,
              text: `${topic}の「${label}」は市のホームページでご確認いただけます。窓口は平日8時30分から17時15分までです。`,
            },
          ],
          next: 'end',
        })),
        {
          id: 'end',
          title: '終わり',
          position: pos(3, 0),
          type: 'end',
          text: 'ご利用ありがとうございました。',
        },
      ],
    },
  };
}

function fallbackScenario(): ScenarioDraft {
  return {
    name: 'お答えできないとき',
    triggers: [{ kind: 'fallback' }],
    timeoutMinutes: 30,
    graph: {
      start: 'sorry',
      nodes: [
        {
          id: 'sorry',
          title: 'おわび',
          position: { x: 0, y: 0 },
          type: 'message',
          messages: [
            {
              kind: 'text',
              text: '申し訳ありません。お答えできませんでした。メニューの「よくある質問」もご覧ください。',
            },
          ],
          next: null,
        },
      ],
    },
  };
}

export async function setUpChatbot(
  api: Api,
  channelId: string,
  log: (m: string) => void,
): Promise<ChatbotSetup> {
  const t0 = performance.now();
  const { csv, rows } = faqCsv();
  const imported = await api<FaqImportResult>(
    'POST',
    `/api/chatbot/faq/import?channelId=${channelId}&dryRun=false`,
    Buffer.from(csv, 'utf8'),
  );
  if (imported.errors.length > 0 || imported.created !== rows)
    throw new Error(`FAQ import: ${JSON.stringify({ ...imported, errors: imported.errors.slice(0, 3) })}`);
  const importMs = Math.round(performance.now() - t0);
  log(
    `FAQ: ${imported.created} rows imported from a ${Math.round(csv.length / 1024)} KiB CSV in ${importMs} ms`,
  );

  const t1 = performance.now();
  const drafts = [...TOPICS.map(keywordScenario), fallbackScenario()];
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i]!;
    const created = await api<ScenarioView>('POST', '/api/chatbot/scenarios', {
      channelId,
      key: `bench-${i + 1}`,
      name: draft.name,
      template: 'blank',
    });
    const saved = await api<ScenarioView>('PUT', `/api/chatbot/scenarios/${created.id}/draft`, {
      revision: created.revision,
      draft,
    });
    const published = await api<ScenarioView>('POST', `/api/chatbot/scenarios/${created.id}/publish`, {
      revision: saved.revision,
    });
    if (published.status !== 'published') throw new Error(`scenario ${draft.name} not published`);
  }
  const scenariosMs = Math.round(performance.now() - t1);
  log(
    `scenarios: ${drafts.length} created and published (${TOPICS.length} keyword, 1 fallback) in ${scenariosMs} ms`,
  );

  const faqQuestions: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const [question] = CITY_FAQ[(i * 7) % CITY_FAQ.length]!;
    faqQuestions.push(paraphrase(question, DISTRICTS[(i * 13) % DISTRICTS.length]!, i));
  }
  return {
    keywords: TOPICS,
    faqQuestions,
    summary: {
      faqRows: imported.created,
      faqImportMs: importMs,
      scenarios: drafts.length,
      keywordScenarios: TOPICS.length,
      fallbackScenarios: 1,
      scenariosMs,
    },
  };
}

/**
 * The load's mix: a user offered buttons by their last reply taps one 4 times in 5; otherwise
 * 40 % keyword texts (start a scenario), 45 % FAQ questions, 15 % unknown text (the fallback).
 */
export function chatbotMix(setup: ChatbotSetup): Mix {
  return (user, offered, random) => {
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    if (offered && offered.length > 0 && random() < 0.8) {
      const data = pick(offered);
      const kind = data.startsWith('cb=')
        ? 'postback cb= (a question’s choice)'
        : `postback ${data.split('=')[0]}=`;
      return { kind, event: postbackEvent(user, data) };
    }
    const r = random();
    if (r < 0.4) return { kind: 'text keyword', event: textEvent(user, pick(setup.keywords)) };
    if (r < 0.85) return { kind: 'text FAQ question', event: textEvent(user, pick(setup.faqQuestions)) };
    return { kind: 'text unknown', event: textEvent(user, pick(UNKNOWN)) };
  };
}
