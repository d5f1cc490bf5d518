import type { Db } from '../db/database.ts';
import { changeShelterStatus, importShelters, listShelters } from '../modules/shelters/shelters.service.ts';

// Demo shelters (X-03 … X-05) in 千葉市中央区, in the 国土地理院 指定緊急避難場所 CSV layout, imported
// through the same service as a city's file. Positions are approximate and the list is made up for
// the demo: it is not the city's designation. Safe to run again: the import updates by 共通ID, and the
// first run opens two of them so that the LINE and citizen search have something to show.

const HEADER =
  'NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考';
const NOTE = 'デモ用データ（位置は概略。市の正式な指定ではありません）';
export const DEMO_SHELTERS = [
  [
    'E1210100901201',
    '千葉公園（デモ）',
    '千葉県千葉市中央区弁天3丁目',
    '1,,,1,,1,1,,',
    '35.6226',
    '140.1157',
  ],
  [
    'E1210100902201',
    '千葉中央公園（デモ）',
    '千葉県千葉市中央区中央2丁目',
    ',,,1,,1,,,',
    '35.6105',
    '140.1178',
  ],
  [
    'E1210100903201',
    '亥鼻公園（デモ）',
    '千葉県千葉市中央区亥鼻1丁目',
    '1,,1,1,1,1,1,,',
    '35.6040',
    '140.1290',
  ],
  [
    'E1210100904201',
    '中央コミュニティセンター（デモ）',
    '千葉県千葉市中央区中央4丁目',
    '1,1,1,1,1,1,1,,1',
    '35.6096',
    '140.1207',
  ],
  [
    'E1210100905201',
    '千葉ポートパーク（デモ）',
    '千葉県千葉市中央区中央港1丁目',
    ',,,1,,1,,,',
    '35.5944',
    '140.0960',
  ],
] as const;

export function demoSheltersCsv(): string {
  const rows = DEMO_SHELTERS.map(
    ([id, name, address, flags, lat, lon], i) =>
      `${i + 1},${id},千葉県千葉市中央区,${name},${address},${flags},${lat},${lon},${NOTE}`,
  );
  return `\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`;
}

export async function seedDemoShelters(db: Db): Promise<string[]> {
  const r = await importShelters(db, Buffer.from(demoSheltersCsv()), { dryRun: false });
  if (r.created === 0) return [];
  const { items } = await listShelters(db, { limit: 500, offset: 0 });
  for (const name of ['千葉公園（デモ）', '中央コミュニティセンター（デモ）']) {
    const shelter = items.find((s) => s.name === name.normalize('NFKC'));
    if (shelter && shelter.statusChangedAt === null) await changeShelterStatus(db, shelter.id, 'open', null);
  }
  return [`避難所 ${r.created} か所を登録しました（うち2か所を「開設」にしました）`];
}
