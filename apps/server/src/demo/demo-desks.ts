import type { Db } from '../db/database.ts';
import { findAccountByLoginId } from '../modules/accounts/accounts.repository.ts';
import { createAccount } from '../modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../modules/accounts/roles.repository.ts';
import type { DeskInput } from '../modules/consultation/desks.schema.ts';
import { createDesk, listDesks } from '../modules/consultation/desks.service.ts';

// Demo desks (相談窓口) and consultation staff for デモ市 (C-08).

const weekdays = (start: string, end: string) =>
  Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ start, end }]]));
const everyDay = (start: string, end: string) =>
  Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start, end }]]));

const HOTLINES = [
  { name: 'いのちの電話', phone: '0570-783-556', hours: '10:00〜22:00' },
  { name: '24時間子供SOSダイヤル', phone: '0120-0-78310', hours: '24時間' },
];

const RECORD_FIELDS: DeskInput['recordFields'] = [
  {
    key: 'gender',
    label: '性別',
    type: 'select',
    options: ['女性', '男性', 'その他', '不明'],
    required: true,
  },
  {
    key: 'age',
    label: '年代・学年',
    type: 'select',
    options: [
      '小学生',
      '中学生',
      '高校生',
      '10代',
      '20代',
      '30代',
      '40代',
      '50代',
      '60代',
      '70代以上',
      '不明',
    ],
    required: true,
  },
  {
    key: 'category',
    label: '相談種別',
    type: 'select',
    options: ['生活困窮', '就労', '家族', '子育て', 'いじめ', '心身の健康', 'その他'],
    required: true,
  },
  { key: 'risk', label: '緊急度', type: 'select', options: ['低', '中', '高'], required: true },
  { key: 'summary', label: '相談概要', type: 'textarea', required: true },
  { key: 'followup', label: '対応・引継ぎ', type: 'textarea', required: false },
];

const RISK_WORDS = ['死にたい', '消えたい', '自殺', 'リストカット', '殺される'];

export function demoDesks(channelId: string): DeskInput[] {
  const common = {
    channelId,
    closedOnHolidays: true,
    closedYearEnd: true,
    closedDates: [],
    emergencyContacts: HOTLINES,
    recordFields: RECORD_FIELDS,
    riskWords: RISK_WORDS,
    maxConcurrent: 3,
    counselorIds: [],
    cannedResponses: [
      {
        title: 'はじめのあいさつ',
        text: 'ご相談ありがとうございます。相談員の〇〇です。どのようなことでお困りですか。',
      },
      { title: '確認', text: 'お話しいただいた内容について、もう少し詳しく教えていただけますか。' },
      {
        title: '終わりのあいさつ',
        text: 'ご相談ありがとうございました。また困ったときはいつでもご相談ください。',
      },
    ],
  };
  return [
    {
      ...common,
      name: '福祉まるごと相談',
      slug: 'welfare',
      description: '生活のこと、お金のこと、家族のことなど、どんなことでもご相談ください。',
      hours: weekdays('09:00', '17:00'),
      greeting: 'デモ市 福祉まるごと相談です。ご相談内容を入力してください。相談員が順番にお返事します。',
      outOfHoursReply:
        'ただいま受付時間外です（平日 9:00〜17:00）。メッセージは受け付けました。受付時間内に相談員からお返事します。緊急の場合は下記の連絡先にお電話ください。',
      allowIncompleteRecords: false,
      webEnabled: true,
      accessCode: null,
      keywords: ['相談'],
    },
    {
      ...common,
      name: 'いじめ相談（児童・生徒）',
      slug: 'ijime',
      description: '学校のこと、友だちのこと、ひとりで悩まずに話してください。名前を言わなくても大丈夫です。',
      hours: everyDay('16:00', '21:00'),
      greeting: 'いじめ相談です。話してくれてありがとう。ゆっくりでいいので、書いてみてください。',
      outOfHoursReply:
        'いまは受付時間外です（毎日 16:00〜21:00）。メッセージは届いています。時間になったら相談員がお返事します。すぐに話したいときは下の電話番号にかけてください。',
      allowIncompleteRecords: true,
      webEnabled: true,
      accessCode: 'demo-school',
      keywords: ['いじめ'],
    },
  ];
}

export async function seedDemoDesks(
  db: Db,
  channelId: string,
  staffPassword: string | null,
): Promise<string[]> {
  const lines: string[] = [];
  const existing = await listDesks(db);
  for (const desk of demoDesks(channelId)) {
    if (!existing.some((d) => d.slug === desk.slug)) {
      await createDesk(db, desk);
      lines.push(`相談窓口「${desk.name}」を作成しました`);
    }
  }
  if (staffPassword) {
    for (const [loginId, roleKey, name] of [
      ['counselor1', 'counselor', 'デモ 相談員'],
      ['supervisor1', 'supervisor', 'デモ スーパーバイザー'],
    ] as const) {
      if (await findAccountByLoginId(db, loginId)) continue;
      const role = await findRoleByKey(db, roleKey);
      await createAccount(db, {
        loginId,
        displayName: name,
        roleId: role!.id,
        password: staffPassword,
        mustChangePassword: false,
      });
      lines.push(`アカウント ${loginId}（${name}）を作成しました`);
    }
  }
  return lines;
}
