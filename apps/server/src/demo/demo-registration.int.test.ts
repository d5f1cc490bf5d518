import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { getRegistrationForm, readRegistration } from '../modules/forms/forms.service.ts';
import { createCipher } from '../platform/crypto.ts';
import { startTestServer, TEST_ENCRYPTION_KEY, type TestServer } from '../testing/test-server.ts';
import { ensureDemoRegistrationForm, seedDemoRegistrations } from './demo-registration.ts';

// The demo city's registration form and answers (G-01): created once, safe to run again.

let server: TestServer;
let channelId: string;
const cipher = createCipher(TEST_ENCRYPTION_KEY);

beforeAll(async () => {
  server = await startTestServer();
  channelId = (
    await createChannelsService({ db: server.db, cipher, publicUrl: server.url }).create({
      name: 'デモ市',
      lineChannelId: '2500000001',
      channelSecret: 's',
      accessToken: 't',
      environment: 'production',
    })
  ).id;
  for (let i = 0; i < 10; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, i));
    await server.db
      .insertInto('friends')
      .values({
        channel_id: channelId,
        line_user_id: `U${String(i).padStart(32, '0')}`,
        status: 'following',
        status_changed_at: at,
        first_followed_at: at,
        followed_at: at,
      })
      .execute();
  }
});
afterAll(async () => server?.close());

describe('demo registration (G-01)', () => {
  it('G-01: the demo form has Chiba-style items, and running the seed again changes nothing', async () => {
    expect(await ensureDemoRegistrationForm(server.db, channelId)).toHaveLength(1);
    expect(await ensureDemoRegistrationForm(server.db, channelId)).toEqual([]);
    const form = await getRegistrationForm(server.db, channelId);
    expect(form.items.map((i) => [i.key, i.label, i.type])).toEqual([
      ['birth_year', '生年', 'birth_year'],
      ['gender', '性別', 'single'],
      ['area', '区・町丁', 'area'],
      ['lifestyle', 'ライフスタイル', 'multiple'],
      ['topics', '受け取りたい情報', 'multiple'],
    ]);
    const area = form.items[2]!;
    expect(area.choices.filter((c) => c.parentId === null).map((c) => c.label)).toEqual([
      '中央区',
      '花見川区',
      '稲毛区',
      '若葉区',
      '緑区',
      '美浜区',
    ]);
    expect(form.items[4]!.choices).toHaveLength(15);
  });

  it('G-01: four in five friends get valid, deterministic answers; a second run adds none', async () => {
    expect(await seedDemoRegistrations(server.db, cipher, channelId)).toBe(8);
    expect(await seedDemoRegistrations(server.db, cipher, channelId)).toBe(0);
    const first = await readRegistration(server.db, cipher, channelId, `U${'0'.repeat(32)}`);
    expect(first.registered).toBe(true);
    expect(first.answers).toMatchObject({
      birth_year: expect.any(Number),
      area: { ward: expect.any(String), town: expect.any(String) },
      topics: expect.any(Array),
    });
    const fifth = await readRegistration(server.db, cipher, channelId, `U${'4'.padStart(32, '0')}`);
    expect(fifth.registered).toBe(false);
  });
});
