import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { countChannelFriends } from '../friends/friends.service.ts';
import { type FriendPageKey, friendsWithResponsesPage } from './forms.repository.ts';
import { answerFormatter } from './forms.rules.ts';
import { getRegistrationForm, storedAnswers } from './forms.service.ts';

// Citizens' attribute data for analysis (D-08): one row per friend of the channel with the follow
// state, when they registered, and one column per registration item (retired items and choices
// included, so older answers stay readable). Times are Asia/Tokyo.

const PAGE = 2000;

/**
 * The export's header, the number of friends, and its rows page by page (2,000 friends at a time,
 * with a turn of the event loop between pages), so 200,000 friends neither fill the memory nor
 * hold up the requests the server answers meanwhile.
 */
export async function attributeExport(db: Db, cipher: Cipher, channelId: string) {
  const form = await getRegistrationForm(db, channelId);
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
  const total = await countChannelFriends(db, channelId);
  async function* pages() {
    let after: FriendPageKey | null = null;
    for (;;) {
      const rows = await friendsWithResponsesPage(db, channelId, form.id, after, PAGE);
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = { followedAt: last.first_followed_at, id: last.id };
      yield rows.map((r) => {
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
          tokyoDateTime(r.followed_at ?? r.first_followed_at),
          r.status === 'blocked' ? tokyoDateTime(r.unfollowed_at) : '',
          registered ? '登録済み' : '未登録',
          tokyoDateTime(r.submitted_at),
          tokyoDateTime(r.updated_at),
          ...(answers ? cells(answers) : form.items.map(() => '')),
        ];
      });
      if (rows.length < PAGE) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { header, total, pages };
}
