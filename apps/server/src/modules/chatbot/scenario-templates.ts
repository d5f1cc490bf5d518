import type { ScenarioDraft, ScenarioGraph, ScenarioTemplate } from '@madoguchi/contracts/chatbot.ts';
import { CHATBOT_LIMITS, EVACUATION_SCENARIO_KEY } from '@madoguchi/contracts/chatbot.ts';
import { askLocationMessage } from '../shelters/shelters.service.ts';

// Ready graphs a new scenario starts from (B-01, B-02, X-02): blank, a keyword → reply rule, the
// greeting on follow and the evacuation guidance — the last two also run built in (version 0,
// read-only): the greeting for a channel that has not published a follow scenario, the guidance for
// one that has not published a scenario with the key `evacuation`.

/** The city's disaster contact when none is configured (the demo's). */
export const DEMO_DISASTER_CONTACT = '市役所 危機管理課（災害対策本部） 電話 03-0000-0000（24時間）';

export const WHERE_TEXT = '避難のご案内をします。いまどこにいますか？下のボタンから選んでください。';
export const SAFE_TEXT = '周りは安全ですか？';
export const HELP_TEXT = '助けが必要ですか？';
/** The word that starts the guidance while disaster mode is on. */
export const EVACUATION_KEYWORD = '避難';

export function emergencyText(contact: string): string {
  return [
    '命に危険があるときは、迷わず電話してください。',
    '・火事・救急：119',
    '・事件・事故：110',
    `・市の災害の問い合わせ：${contact}`,
    '電話がつながらないときは、近くの人に助けを求め、安全な場所で待ってください。',
  ].join('\n');
}

export const ADVICE = {
  dangerHome:
    '危険を感じるときは、すぐに近くの避難所か、家の中のより安全な場所（2階以上・崖から離れた部屋）へ移ってください。',
  dangerOut: '危険を感じるときは、すぐに近くの避難所か、頑丈な建物の高い階へ移ってください。',
  safeHome: '自宅が安全なら、無理に外へ出ず、最新の情報を確かめながら在宅避難もできます。',
  safeOut: '安全なうちに、近くの避難所の場所を確かめておきましょう。',
} as const;

const pos = (x: number, y: number) => ({ x, y });

/**
 * The evacuation guidance: いまどこにいますか → 周りは安全ですか → 助けが必要ですか; "help
 * needed" gets 119 / 110 and the city's disaster contact; advice by place and safety; every path
 * ends at the shelters module's location button.
 */
export function evacuationGraph(contact: string): ScenarioGraph {
  const text = (t: string) => [{ kind: 'text' as const, text: t }];
  const advice = (id: string, t: string, x: number) => ({
    id,
    title: '助言',
    position: pos(x, 600),
    type: 'message' as const,
    messages: text(t),
    next: 'shelters',
  });
  return {
    start: 'where',
    nodes: [
      {
        id: 'where',
        title: 'いまどこ',
        position: pos(0, 0),
        type: 'question',
        text: WHERE_TEXT,
        saveAs: 'at',
        input: 'choice',
        choices: [
          { id: 'home', label: '自宅', next: 'safe' },
          { id: 'out', label: '外出先', next: 'safe' },
          { id: 'other', label: 'その他', next: 'safe' },
        ],
        next: null,
      },
      {
        id: 'safe',
        title: '周りは安全か',
        position: pos(0, 120),
        type: 'question',
        text: SAFE_TEXT,
        saveAs: 'safe',
        input: 'choice',
        choices: [
          { id: 'yes', label: '安全', next: 'help' },
          { id: 'no', label: '危険を感じる', next: 'help' },
        ],
        next: null,
      },
      {
        id: 'help',
        title: '助けが必要か',
        position: pos(0, 240),
        type: 'question',
        text: HELP_TEXT,
        saveAs: 'help',
        input: 'choice',
        choices: [
          { id: 'yes', label: '必要', next: 'needHelp' },
          { id: 'no', label: '不要', next: 'advice' },
        ],
        next: null,
      },
      {
        id: 'needHelp',
        title: '助けが必要',
        position: pos(-200, 360),
        type: 'branch',
        rules: [
          { id: 'yes', when: [{ kind: 'answer', variable: 'help', anyOf: ['yes'] }], next: 'emergency' },
        ],
        otherwise: 'advice',
      },
      {
        id: 'emergency',
        title: '緊急の連絡先',
        position: pos(-200, 480),
        type: 'message',
        messages: text(emergencyText(contact)),
        next: 'advice',
      },
      {
        id: 'advice',
        title: '助言の分かれ道',
        position: pos(0, 480),
        type: 'branch',
        rules: [
          {
            id: 'dangerHome',
            when: [
              { kind: 'answer', variable: 'safe', anyOf: ['no'] },
              { kind: 'answer', variable: 'at', anyOf: ['home'] },
            ],
            next: 'adviceDangerHome',
          },
          {
            id: 'dangerOut',
            when: [{ kind: 'answer', variable: 'safe', anyOf: ['no'] }],
            next: 'adviceDangerOut',
          },
          {
            id: 'safeHome',
            when: [{ kind: 'answer', variable: 'at', anyOf: ['home'] }],
            next: 'adviceSafeHome',
          },
        ],
        otherwise: 'adviceSafeOut',
      },
      advice('adviceDangerHome', ADVICE.dangerHome, -300),
      advice('adviceDangerOut', ADVICE.dangerOut, -100),
      advice('adviceSafeHome', ADVICE.safeHome, 100),
      advice('adviceSafeOut', ADVICE.safeOut, 300),
      {
        id: 'shelters',
        title: '避難所を探す',
        position: pos(0, 720),
        type: 'action',
        action: { kind: 'shelterSearch', text: (askLocationMessage() as { text: string }).text },
        next: null,
      },
    ],
  };
}

export function evacuationDraft(contact: string): ScenarioDraft {
  return {
    name: '避難のご案内',
    triggers: [
      { kind: 'postback' },
      { kind: 'keyword', match: 'exact', words: [EVACUATION_KEYWORD], onlyInDisasterMode: true },
    ],
    timeoutMinutes: 60,
    graph: evacuationGraph(contact),
  };
}

// The greeting on follow (G-02, B-02): it invites a new friend to register (受信設定) with a button
// that opens the registration page in LINE (LIFF); a friend who comes back and has registered
// before is offered to check their settings instead. It runs built in (version 0) for a channel
// with a LIFF ID and an active registration form that has not published a follow scenario; the
// `greeting` template starts from the same graph.

/** The built-in greeting's key (its steps are counted under it). */
export const GREETING_SCENARIO_KEY = 'greeting';
export const GREETING_NAME = '友だち追加のあいさつ';
export const GREETING_TEXT =
  '友だち追加ありがとうございます。\nお住まいの地域や受け取りたい情報を登録すると、あなたに合ったお知らせだけをお届けします。';
export const WELCOME_BACK_TEXT = 'おかえりなさい。\n登録内容（受信設定）は、いつでも確認・変更できます。';
export const GREETING_LABEL = '受信設定を登録する';
export const WELCOME_BACK_LABEL = '登録内容を確認する';

/** 登録済み? → おかえりなさい (登録内容を確認する) : 友だち追加ありがとうございます (受信設定を登録する). */
export function greetingGraph(registrationUrl: string): ScenarioGraph {
  const buttons = (id: string, title: string, text: string, label: string, x: number) => ({
    id,
    title,
    position: pos(x, 120),
    type: 'message' as const,
    messages: [
      {
        kind: 'buttons' as const,
        text,
        buttons: [{ id: 'open', label, target: { kind: 'uri' as const, uri: registrationUrl } }],
      },
    ],
    next: null,
  });
  return {
    start: 'registered',
    nodes: [
      {
        id: 'registered',
        title: '登録済みか',
        position: pos(0, 0),
        type: 'branch',
        rules: [
          {
            id: 'registered',
            when: [{ kind: 'attribute', condition: { type: 'registered', value: true } }],
            next: 'welcomeBack',
          },
        ],
        otherwise: 'hello',
      },
      buttons('welcomeBack', 'おかえりなさい', WELCOME_BACK_TEXT, WELCOME_BACK_LABEL, -150),
      buttons('hello', 'あいさつ', GREETING_TEXT, GREETING_LABEL, 150),
    ],
  };
}

export function greetingDraft(registrationUrl: string): ScenarioDraft {
  return {
    name: GREETING_NAME,
    triggers: [{ kind: 'follow' }],
    timeoutMinutes: CHATBOT_LIMITS.timeoutMinutes.default,
    graph: greetingGraph(registrationUrl),
  };
}

/** The draft a new scenario starts with. */
export function templateDraft(
  template: ScenarioTemplate,
  name: string,
  opts: { contact: string; registrationUrl: string | null },
): ScenarioDraft {
  const timeoutMinutes = CHATBOT_LIMITS.timeoutMinutes.default;
  switch (template) {
    case 'blank':
      return {
        name,
        triggers: [],
        timeoutMinutes,
        graph: {
          start: 'start',
          nodes: [
            {
              id: 'start',
              title: '最初のメッセージ',
              position: pos(0, 0),
              type: 'message',
              messages: [{ kind: 'text', text: 'こんにちは。' }],
              next: null,
            },
          ],
        },
      };
    case 'keywordReply':
      return {
        name,
        triggers: [{ kind: 'keyword', match: 'exact', words: [name] }],
        timeoutMinutes,
        graph: {
          start: 'reply',
          nodes: [
            {
              id: 'reply',
              title: '返信',
              position: pos(0, 0),
              type: 'message',
              messages: [{ kind: 'text', text: `「${name}」についてのご案内です。` }],
              next: null,
            },
          ],
        },
      };
    case 'greeting':
      return {
        name,
        triggers: [{ kind: 'follow' }],
        timeoutMinutes,
        graph: opts.registrationUrl
          ? greetingGraph(opts.registrationUrl)
          : {
              start: 'hello',
              nodes: [
                {
                  id: 'hello',
                  title: 'あいさつ',
                  position: pos(0, 0),
                  type: 'message',
                  messages: [
                    {
                      kind: 'text',
                      text: '友だち追加ありがとうございます。市からのお知らせをお届けします。',
                    },
                  ],
                  next: null,
                },
              ],
            },
      };
    case 'evacuation':
      return { ...evacuationDraft(opts.contact), name };
  }
}

export { EVACUATION_SCENARIO_KEY };
