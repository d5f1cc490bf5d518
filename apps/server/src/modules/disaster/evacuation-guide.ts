import type { messagingApi } from '@line/bot-sdk';
import { GUIDE_PARAM } from '@madoguchi/contracts/disaster.ts';
import { askLocationMessage } from '../shelters/shelters.service.ts';

// The evacuation guidance, until the chatbot issue lands: three fixed questions with buttons
// (quick reply postbacks), いまどこにいますか → 周りは安全ですか → 助けが必要ですか. The answers so
// far ride in the postback data (`guide=<step>&at=…&safe=…&help=…`), so no table is needed. "Help
// needed" is answered with 119 / 110 and the city's disaster contact; every path ends at the
// shelter search (the shelters module's location button).

export type GuideStep = 'start' | 'where' | 'safe' | 'help';
export const PLACES = { home: '自宅', out: '外出先', other: 'その他' } as const;
export type Place = keyof typeof PLACES;

export interface GuideAnswer {
  step: GuideStep;
  at?: Place;
  safe?: 'yes' | 'no';
  help?: 'yes' | 'no';
}

/** The city's disaster contact when none is configured (the demo's). */
export const DEMO_DISASTER_CONTACT = '市役所 危機管理課（災害対策本部） 電話 03-0000-0000（24時間）';

const isPlace = (v: string | null): v is Place => v !== null && v in PLACES;
const yesNo = (v: string | null) => (v === 'yes' || v === 'no' ? v : undefined);

/** The guidance answer a postback carries, or null when the data is not the guidance's. */
export function parseGuide(data: string): GuideAnswer | null {
  const p = new URLSearchParams(data);
  const step = p.get(GUIDE_PARAM);
  // A rich menu area of type "scenario" with the ID `evacuation` starts it too.
  if (step === null) return p.get('scenario') === 'evacuation' ? { step: 'start' } : null;
  if (step === 'start') return { step };
  const at = p.get('at');
  if (step !== 'where' && step !== 'safe' && step !== 'help') return null;
  if (!isPlace(at)) return { step: 'start' }; // damaged data: ask again from the start
  const safe = yesNo(p.get('safe'));
  if (step === 'where') return { step, at };
  if (!safe) return { step: 'where', at };
  if (step === 'safe') return { step, at, safe };
  const help = yesNo(p.get('help'));
  return help ? { step, at, safe, help } : { step: 'safe', at, safe };
}

const data = (a: Record<string, string>) => new URLSearchParams(a).toString();

function question(text: string, choices: { label: string; data: string }[]): messagingApi.Message {
  return {
    type: 'text',
    text,
    quickReply: {
      items: choices.map((c) => ({
        type: 'action',
        action: { type: 'postback', label: c.label, data: c.data, displayText: c.label },
      })),
    },
  };
}

export const WHERE_TEXT = '避難のご案内をします。いまどこにいますか？下のボタンから選んでください。';
export const SAFE_TEXT = '周りは安全ですか？';
export const HELP_TEXT = '助けが必要ですか？';

/** The first question (also the answer to 避難 / 防災情報 while disaster mode is on). */
export function whereQuestion(): messagingApi.Message {
  return question(
    WHERE_TEXT,
    (Object.keys(PLACES) as Place[]).map((at) => ({
      label: PLACES[at],
      data: data({ [GUIDE_PARAM]: 'where', at }),
    })),
  );
}

export function emergencyText(contact: string): string {
  return [
    '命に危険があるときは、迷わず電話してください。',
    '・火事・救急：119',
    '・事件・事故：110',
    `・市の災害の問い合わせ：${contact}`,
    '電話がつながらないときは、近くの人に助けを求め、安全な場所で待ってください。',
  ].join('\n');
}

function adviceText(a: GuideAnswer): string {
  if (a.safe === 'no') {
    return a.at === 'home'
      ? '危険を感じるときは、すぐに近くの避難所か、家の中のより安全な場所（2階以上・崖から離れた部屋）へ移ってください。'
      : '危険を感じるときは、すぐに近くの避難所か、頑丈な建物の高い階へ移ってください。';
  }
  return a.at === 'home'
    ? '自宅が安全なら、無理に外へ出ず、最新の情報を確かめながら在宅避難もできます。'
    : '安全なうちに、近くの避難所の場所を確かめておきましょう。';
}

/** The reply to one step of the guidance (at most 5 messages, LINE's reply limit). */
export function guideReply(a: GuideAnswer, contact: string): messagingApi.Message[] {
  switch (a.step) {
    case 'start':
      return [whereQuestion()];
    case 'where':
      return [
        question(SAFE_TEXT, [
          { label: '安全', data: data({ [GUIDE_PARAM]: 'safe', at: a.at!, safe: 'yes' }) },
          { label: '危険を感じる', data: data({ [GUIDE_PARAM]: 'safe', at: a.at!, safe: 'no' }) },
        ]),
      ];
    case 'safe': {
      const base = { [GUIDE_PARAM]: 'help', at: a.at!, safe: a.safe! };
      return [
        question(HELP_TEXT, [
          { label: '必要', data: data({ ...base, help: 'yes' }) },
          { label: '不要', data: data({ ...base, help: 'no' }) },
        ]),
      ];
    }
    case 'help':
      return [
        ...(a.help === 'yes' ? [{ type: 'text', text: emergencyText(contact) } as messagingApi.Message] : []),
        { type: 'text', text: adviceText(a) },
        askLocationMessage(),
      ];
  }
}
