import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { friendsWithResponses } from './forms.repository.ts';
import { answerFormatter } from './forms.rules.ts';
import { getRegistrationForm, storedAnswers } from './forms.service.ts';

// Citizens' attribute data for analysis (D-08): one row per friend of the channel with the follow
// state, when they registered, and one column per registration item (retired items and choices
// included, so older answers stay readable). Times are Asia/Tokyo.

const tokyoTime = (d: Date | null | undefined) =>
  d ? new Date(d.getTime() + 9 * 3600_000).toISOString().replace('T', ' ').slice(0, 19) : '';

export async function attributeExport(db: Db, cipher: Cipher, channelId: string) {
  const form = await getRegistrationForm(db, channelId);
  const rows = await friendsWithResponses(db, channelId, form.id);
  const header = [
    '友だちID',
    '状態',
    'テスト友だち',
    '友だち追加日時',
    'ブロック日時',
    '登録状況',
    '登録日時',
    '更新日時',
    ...form.items.map((i) => (i.retired ? `${i.label}（廃止）` : i.label)),
  ];
  const cells = answerFormatter(form);
  const body = rows.map((r) => {
    const registered = r.submitted_at !== null;
    const answers = registered
      ? storedAnswers(cipher, {
          choice_ids: r.choice_ids ?? [],
          numbers: r.numbers ?? {},
          texts_enc: r.texts_enc,
        })
      : null;
    return [
      r.id,
      r.status === 'following' ? '友だち' : 'ブロック',
      r.is_test ? 'テスト' : '',
      tokyoTime(r.followed_at ?? r.first_followed_at),
      r.status === 'blocked' ? tokyoTime(r.unfollowed_at) : '',
      registered ? '登録済み' : '未登録',
      tokyoTime(r.submitted_at),
      tokyoTime(r.updated_at),
      ...(answers ? cells(answers) : form.items.map(() => '')),
    ];
  });
  return { header, rows: body };
}
