import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarios } from '../modules/chatbot/chatbot.service.ts';
import { listFaq } from '../modules/chatbot/faq.service.ts';
import { getRegistrationForm, saveRegistration } from '../modules/forms/forms.service.ts';
import { createCipher } from '../platform/crypto.ts';
import { addFriend, received, receivedAfter, say } from '../testing/line-chat.ts';
import { type LineWorld, startLineWorld } from '../testing/line-world.ts';
import { seedDemoChatbot } from './demo-chatbot.ts';
import { ensureDemoRegistrationForm } from './demo-registration.ts';

// The demo city's chatbot (B-01 … B-04), as `npm start` seeds it, answering on the virtual phone:
// 「ごみの日」 branches on the registered ward, an FAQ paraphrase gets its row, anything else the
// fallback. Running the seed again adds nothing.

let w: LineWorld;
const opts = { contact: 'デモ市 危機管理課', publicUrl: 'http://localhost' };

beforeAll(async () => {
  w = await startLineWorld('2600000001');
  await ensureDemoRegistrationForm(w.server.db, w.channelId);
});
afterAll(async () => w?.close());

const REPLY = ['reply'];
async function ask(userId: string, text: string) {
  const seen = (await received(w, userId, REPLY)).length;
  await say(w, userId, text);
  return (await receivedAfter(w, userId, seen, seen + 1, REPLY))[0]!.message;
}

describe('demo chatbot (B-01 … B-04)', () => {
  it('B-02, B-03, B-04: the seeded scenario branches on the ward, the FAQ answers, the fallback catches the rest; seeding again adds nothing', async () => {
    const lines = await seedDemoChatbot(w.server.db, w.channelId, opts);
    expect(lines).toEqual([
      'FAQ 50 件を登録しました',
      'チャットボットのシナリオ 2 件を公開しました（ごみの日・お答えできないとき）',
    ]);
    expect(await seedDemoChatbot(w.server.db, w.channelId, opts)).toEqual([]);
    expect((await listFaq(w.server.db, w.channelId, { limit: 1, offset: 0 })).total).toBe(50);
    expect((await listScenarios(w.server.db, w.channelId)).map((s) => [s.key, s.status])).toEqual(
      expect.arrayContaining([
        ['gomi', 'published'],
        ['fallback', 'published'],
      ]),
    );

    const form = await getRegistrationForm(w.server.db, w.channelId);
    const area = form.items.find((i) => i.key === 'area')!;
    const ward = (label: string) => area.choices.find((c) => c.label === label && c.parentId === null)!.id;
    const townOf = (wardId: string) => area.choices.find((c) => c.parentId === wardId)!.id;
    const chuo = await addFriend(w, '中央 太郎');
    const mihama = await addFriend(w, '美浜 花子');
    const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
    const birthYear = form.items.find((i) => i.key === 'birth_year')!;
    for (const [user, wardId] of [
      [chuo, ward('中央区')],
      [mihama, ward('美浜区')],
    ] as const) {
      await saveRegistration(w.server.db, cipher, w.channelId, user, {
        [birthYear.key]: 1980,
        [area.key]: { ward: wardId, town: townOf(wardId) },
      });
    }

    // Full-width and katakana variants of the keyword start the same scenario.
    expect((await ask(chuo, 'ゴミの日')).text).toBe('ごみの収集日をご案内します。');
    const chuoTurn = await receivedAfter(w, chuo, 0, 0, REPLY);
    expect(chuoTurn.map((m) => m.message.text)).toContain(
      '中央区の燃えるごみは 月曜日と木曜日、資源ごみは 水曜日です（朝8時30分まで）。',
    );
    await ask(mihama, 'ごみの日');
    const mihamaTurn = await received(w, mihama, REPLY);
    expect(mihamaTurn.at(-1)!.message.type).toBe('template');
    expect(mihamaTurn.at(-1)!.message.template?.actions?.[0]).toMatchObject({
      type: 'uri',
      label: 'ごみカレンダー',
    });

    const faq = await ask(chuo, '粗大ゴミはどうやって出すの');
    expect(faq.text).toContain('粗大ごみ受付センター');
    expect(faq.text).toMatch(/FAQ No\.\d+/);

    const fallback = await ask(mihama, '市長の好きな食べ物は');
    expect(fallback.type).toBe('template');
    expect(fallback.template?.text).toContain('お答えできませんでした');
  });
});
