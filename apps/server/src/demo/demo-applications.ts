import type { Db } from '../db/database.ts';
import {
  createProcedure,
  getProcedure,
  insertDemoApplication,
  listProcedures,
  updateProcedure,
} from '../modules/applications/applications.service.ts';
import type { ChannelsService } from '../modules/channels/channels.service.ts';
import { addItem } from '../modules/forms/forms.service.ts';
import { findFriends } from '../modules/friends/friends.service.ts';
import type { Cipher } from '../platform/crypto.ts';

// The demo's procedures, made through the same services as staff use: 住民票の写し and
// 印鑑登録証明書, each 300 円 per copy with a My Number card identity check, delivered at the counter
// (0 円) or by post (110 円). The figures are demo values, not any city's fees. With virtual friends,
// one sample 住民票の写し application in 受付 (without identity check or payment: a sample for the
// console's queue). Safe to run again: nothing is added when the channel already has procedures.

const item = (input: Record<string, unknown>) =>
  ({ required: false, help: '', config: {}, choices: [], ...input }) as never;

interface DemoProcedure {
  slug: string;
  nameJa: string;
  nameEn: string;
  description: string;
  /** Items between the copies and the delivery method. */
  items: Record<string, unknown>[];
}

export const DEMO_PROCEDURES: DemoProcedure[] = [
  {
    slug: 'juminhyo',
    nameJa: '住民票の写し',
    nameEn: 'Certificate of residence (copy)',
    description:
      'ご本人または同じ世帯の方の住民票の写しを請求できます。マイナンバーカードで本人確認をして、手数料をオンラインで支払います。',
    items: [
      {
        key: 'scope',
        type: 'single',
        label: '必要な範囲',
        required: true,
        choices: [{ label: '本人のみ' }, { label: '世帯全員' }],
      },
      {
        key: 'details',
        type: 'multiple',
        label: '記載する事項（必要なものだけ）',
        help: '何も選ばないときは、省略した住民票になります。',
        choices: [{ label: '本籍・筆頭者' }, { label: '続柄' }, { label: '個人番号（マイナンバー）' }],
      },
    ],
  },
  {
    slug: 'inkan',
    nameJa: '印鑑登録証明書',
    nameEn: 'Seal registration certificate',
    description:
      '登録している印鑑の証明書を請求できます。マイナンバーカードで本人確認をして、手数料をオンラインで支払います。',
    items: [],
  },
];

export async function seedDemoApplications(
  db: Db,
  cipher: Cipher,
  channels: ChannelsService,
  channelId: string,
): Promise<string[]> {
  const deps = { db, channels };
  if ((await listProcedures(deps, channelId)).length > 0) return [];
  const out: string[] = [];
  const sample: { procedureId: string; counter: string }[] = [];
  for (const demo of DEMO_PROCEDURES) {
    const p = await createProcedure(deps, {
      channelId,
      slug: demo.slug,
      nameJa: demo.nameJa,
      nameEn: demo.nameEn,
      description: demo.description,
      identityLevel: 'basic',
      fee: { unitFee: 300, copiesItemKey: null, deliveryItemKey: null, postage: [] },
      retentionDays: 365,
      active: false,
    });
    const f = p.formId;
    await addItem(
      db,
      f,
      item({
        key: 'copies',
        type: 'number',
        label: '通数',
        required: true,
        help: '1通 300 円です（デモの金額）。',
        config: { minValue: 1, maxValue: 10, integer: true },
      }),
    );
    for (const extra of demo.items) await addItem(db, f, item(extra));
    await addItem(
      db,
      f,
      item({
        key: 'purpose',
        type: 'select',
        label: '使いみち',
        required: true,
        choices: ['勤務先への提出', '各種手続き', '年金の手続き', 'その他'].map((label) => ({ label })),
      }),
    );
    let form = await addItem(
      db,
      f,
      item({
        key: 'delivery',
        type: 'single',
        label: '受け取り方法',
        required: true,
        choices: [{ label: '窓口で受け取る' }, { label: '郵送' }],
      }),
    );
    const delivery = form.items.find((i) => i.key === 'delivery')!;
    const counter = delivery.choices.find((c) => c.label === '窓口で受け取る')!.id;
    const post = delivery.choices.find((c) => c.label === '郵送')!.id;
    form = await addItem(
      db,
      f,
      item({
        key: 'mail_to',
        type: 'address',
        label: '送付先の住所',
        required: true,
        help: '住民登録の住所と違うときも入力してください。',
        config: { showIf: { item: 'delivery', choices: [post] } },
      }),
    );
    await updateProcedure(deps, p.id, {
      fee: {
        unitFee: 300,
        copiesItemKey: 'copies',
        deliveryItemKey: 'delivery',
        postage: [
          { choiceId: counter, amount: 0 },
          { choiceId: post, amount: 110 },
        ],
      },
      active: true,
    });
    sample.push({ procedureId: p.id, counter });
    out.push(`手続「${demo.nameJa}」を作成しました（1通 300 円・郵送 110 円はデモの金額です）`);
  }
  const [first] = (await findFriends(db, { channelId, status: 'following', limit: 1, offset: 0 })).items;
  const juminhyo = sample[0]!;
  if (first) {
    const { form } = await getProcedure(deps, juminhyo.procedureId);
    const choice = (key: string) => form.items.find((i) => i.key === key)!.choices[0]!.id;
    await insertDemoApplication(
      { db, cipher },
      {
        procedureId: juminhyo.procedureId,
        friendId: first.id,
        channelId,
        answers: {
          copies: 1,
          scope: choice('scope'),
          purpose: choice('purpose'),
          delivery: juminhyo.counter,
        },
      },
    );
    out.push('住民票の写しのサンプル申請を1件登録しました（本人確認・支払いのないデモ）');
  }
  return out;
}
