import sharp from 'sharp';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { ChannelsService } from '../modules/channels/channels.service.ts';
import { loadCityBoundary } from '../modules/reports/city-boundary.ts';
import {
  createCategory,
  createReport,
  listCategories,
  type ReportDeps,
  uploadPhoto,
} from '../modules/reports/reports.service.ts';
import type { Cipher } from '../platform/crypto.ts';

// The demo's fault reports (R-01 … R-03): the report types 道路・公園・街灯 with example addresses, and
// one report with a photo from the first virtual friend at 市川市役所 (inside the default boundary),
// so the console's report pages have something to show. Its mails stay pending without SMTP_URL.

const CATEGORIES = [
  { name: '道路', emails: ['doro@demo-city.example.jp', 'doboku@demo-city.example.jp'] },
  { name: '公園', emails: ['koen@demo-city.example.jp'] },
  { name: '街灯', emails: ['gaito@demo-city.example.jp'] },
];

export async function seedDemoReports(opts: {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  config: Config;
  channelId: string;
}): Promise<string[]> {
  const deps: ReportDeps = {
    db: opts.db,
    cipher: opts.cipher,
    channels: opts.channels,
    boundary: loadCityBoundary(opts.config.CITY_BOUNDARY_FILE),
    publicUrl: opts.config.PUBLIC_URL,
    onMail: () => {},
    onOutbox: () => {},
  };
  if ((await listCategories(deps, opts.channelId)).length > 0) return [];
  const made = [];
  for (const [position, c] of CATEGORIES.entries())
    made.push(await createCategory(deps, { channelId: opts.channelId, ...c, active: true, position }));
  const friend = await opts.db
    .selectFrom('friends')
    .select('line_user_id')
    .where('channel_id', '=', opts.channelId)
    .where('status', '=', 'following')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!friend) return ['通報の種類（道路・公園・街灯）を登録しました'];
  const who = { channelId: opts.channelId, lineUserId: friend.line_user_id };
  const image = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8a7a66' } })
    .jpeg()
    .toBuffer();
  const photo = await uploadPhoto(deps, who, image);
  await createReport(deps, who, {
    categoryId: made[0]!.id,
    text: '市役所前の歩道の舗装がはがれて段差になっています。（デモの通報）',
    occurredAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    location: { lat: 35.7219, lng: 139.9311 },
    photoIds: [photo.photoId],
  });
  return ['通報の種類（道路・公園・街灯）とデモの通報を1件登録しました'];
}
