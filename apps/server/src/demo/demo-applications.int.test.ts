import type { PublicProcedure } from '@madoguchi/contracts/applications.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { createCipher } from '../platform/crypto.ts';
import { citizenOf, expectJson } from '../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../testing/line-world.ts';
import { seedDemoApplications } from './demo-applications.ts';

// The demo's procedures: 住民票の写し and 印鑑登録証明書 open for citizens (300 円 per copy,
// identity basic), one sample application in 受付; seeding again adds nothing.

let w: LineWorld;
beforeAll(async () => {
  w = await startLineWorld('2400000181');
});
afterAll(async () => w?.close());

it('A-03: the demo procedures are open, with their fee rule, and a sample application is in 受付', async () => {
  const c = await citizenOf(w, 'デモ 住民');
  const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
  const channels = createChannelsService({ db: w.server.db, cipher, publicUrl: w.server.url });
  const lines = await seedDemoApplications(w.server.db, cipher, channels, w.channelId);
  expect(lines).toHaveLength(3);
  const list = await expectJson<PublicProcedure[]>(c.call('GET', '/api/citizen/procedures'), 200);
  expect(list.map((p) => [p.nameJa, p.unitFee, p.identityLevel])).toEqual([
    ['住民票の写し', 300, 'basic'],
    ['印鑑登録証明書', 300, 'basic'],
  ]);
  const sample = await w.server.db.selectFrom('applications').select(['status', 'amount']).execute();
  expect(sample).toEqual([{ status: 'received', amount: 300 }]);
  expect(await seedDemoApplications(w.server.db, cipher, channels, w.channelId)).toEqual([]);
});
