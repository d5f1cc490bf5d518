// Writes the synthetic fixtures of this folder (see README.md): node make-fixtures.ts
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';

const DA_HEADER =
  '全国地方公共団体コード,ID,名称,名称_カナ,名称_英字,所在地_全国地方公共団体コード,町字ID,所在地_連結表記,所在地_都道府県,所在地_市区町村,所在地_町字,所在地_番地以下,建物名等(方書),緯度,経度,標高,電話番号,内線番号,連絡先メールアドレス,連絡先FormURL,連絡先備考（その他、SNSなど）,郵便番号,市区町村コード,地方公共団体名,災害種別_洪水,災害種別_崖崩れ、土石流及び地滑り,災害種別_高潮,災害種別_地震,災害種別_津波,災害種別_大規模な火事,災害種別_内水氾濫,災害種別_火山現象,指定避難所との重複,想定収容人数,対象となる町会・自治会,URL,画像,画像_ライセンス,備考';

/** One 39-column row of the municipal standard layout. */
function daRow(v: {
  id?: string;
  name: string;
  kana: string;
  address: string;
  lat: string;
  lon: string;
  phone?: string;
  flags: string; // 8 hazard flags + 重複, as "1" / "" joined by |
  capacity?: string;
}) {
  const flags = v.flags.split('|');
  const cells = [
    '122033',
    v.id ?? '',
    v.name,
    v.kana,
    '',
    '122033',
    '',
    v.address,
    '千葉県',
    '市川市',
    '',
    '',
    '',
    v.lat,
    v.lon,
    '',
    v.phone ?? '',
    '',
    '',
    '',
    '',
    '',
    '122033',
    '千葉県市川市',
    ...flags,
    v.capacity ?? '',
    '',
    '',
    '',
    '',
    '',
  ];
  if (cells.length !== 39) throw new Error(`row has ${cells.length} cells`);
  return cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

// Like 市川市's file: Shift_JIS (cp932), CRLF, no BOM, every ID empty, half-width kana, full-width digits.
const ichikawa = [
  DA_HEADER,
  daRow({
    name: 'テスト第一小学校',
    kana: 'ﾃｽﾄﾀﾞｲｲﾁｼｮｳｶﾞｯｺｳ',
    address: '千葉県市川市八幡１丁目１番１号',
    lat: '35.7219',
    lon: '139.9270',
    phone: '(047)371-6100',
    flags: '1|1||1||1|||1',
    capacity: '1,200 ',
  }),
  daRow({
    name: 'テスト中央公園',
    kana: 'ﾃｽﾄﾁｭｳｵｳｺｳｴﾝ',
    address: '千葉県市川市八幡２丁目２番',
    lat: '３５．７２５０',
    lon: '１３９．９３１０',
    flags: '|||1||1|||',
    capacity: '５００',
  }),
  daRow({
    name: 'テスト公民館',
    kana: 'ﾃｽﾄｺｳﾐﾝｶﾝ',
    address: '千葉県市川市本八幡３丁目３番',
    lat: '35.7300',
    lon: '139.9350',
    flags: '1||||||1||1',
  }),
];
writeFileSync(
  new URL('./ichikawa-style-cp932.csv', import.meta.url),
  iconv.encode(`${ichikawa.join('\r\n')}\r\n`, 'cp932'),
);

// The same rows in UTF-8 without a BOM, LF.
writeFileSync(new URL('./ichikawa-style-utf8.csv', import.meta.url), `${ichikawa.join('\n')}\n`);

// Broken rows (UTF-8 with BOM): line 3 has no name, 4 a bad latitude, 5 a bad capacity, 6 a bad flag,
// 7 is outside Japan (swapped), 8 repeats line 2's ID, 9 has an extra cell; lines 2 and 10 are fine.
const broken = [
  DA_HEADER,
  daRow({
    id: 'T-1',
    name: 'よい避難所',
    kana: '',
    address: '千葉市中央区1',
    lat: '35.60',
    lon: '140.10',
    flags: '1|||1|||||',
  }),
  daRow({
    id: 'T-2',
    name: '',
    kana: '',
    address: '千葉市中央区2',
    lat: '35.61',
    lon: '140.11',
    flags: '||||||||',
  }),
  daRow({
    id: 'T-3',
    name: '緯度が変',
    kana: '',
    address: '千葉市中央区3',
    lat: '北緯35度',
    lon: '140.12',
    flags: '||||||||',
  }),
  daRow({
    id: 'T-4',
    name: '人数が変',
    kana: '',
    address: '千葉市中央区4',
    lat: '35.62',
    lon: '140.13',
    flags: '||||||||',
    capacity: '多数',
  }),
  daRow({
    id: 'T-5',
    name: '印が変',
    kana: '',
    address: '千葉市中央区5',
    lat: '35.63',
    lon: '140.14',
    flags: 'はい||||||||',
  }),
  daRow({
    id: 'T-6',
    name: '入れ替わり',
    kana: '',
    address: '千葉市中央区6',
    lat: '140.15',
    lon: '35.64',
    flags: '||||||||',
  }),
  daRow({
    id: 'T-1',
    name: '重複',
    kana: '',
    address: '千葉市中央区7',
    lat: '35.65',
    lon: '140.16',
    flags: '||||||||',
  }),
  `${daRow({ id: 'T-8', name: '列が多い', kana: '', address: '千葉市中央区8', lat: '35.66', lon: '140.17', flags: '||||||||' })},余分`,
  daRow({
    id: 'T-9',
    name: 'もうひとつよい避難所',
    kana: '',
    address: '千葉市中央区9',
    lat: '35.67',
    lon: '140.18',
    flags: '||||1||||',
  }),
];
writeFileSync(new URL('./broken-rows.csv', import.meta.url), `\uFEFF${broken.join('\r\n')}\r\n`);

// The GSI 指定緊急避難場所 layout (nationwide file's columns), UTF-8 with BOM, CRLF.
const gsi = [
  'NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考',
  '1,E1210100001201,千葉県千葉市中央区,テスト第一公園,千葉県千葉市中央区１－１,,,,1,,1,,,,35.6100,140.1200,',
  '2,E1210100002201,千葉県千葉市中央区,テスト第二小学校,千葉県千葉市中央区２－２,1,1,1,1,1,1,1,,1,35.6150,140.1150,「洪水」では2階以上に避難',
  '3,,千葉県千葉市中央区,テスト第三広場,千葉県千葉市中央区３－３,,,,1,,,,,,35.6050,140.1250,',
];
writeFileSync(new URL('./gsi-emergency-style.csv', import.meta.url), `\uFEFF${gsi.join('\r\n')}\r\n`);

// Like 石川県's file: the header is right but in every row the cells between 標高 and 地方公共団体名
// sit one column to the left (電話番号 holds the town code, 内線番号 the prefecture, …).
const shiftedCells = (name: string, lat: string, lon: string) =>
  [
    '170003',
    '',
    name,
    '',
    '',
    '172014',
    '',
    '金沢市広坂1-1-1',
    '石川県',
    '金沢市',
    '',
    '',
    '',
    lat,
    lon,
    '',
    '172014',
    '石川県',
    '金沢市',
    '',
    '',
    '',
    '172014',
    '石川県金沢市',
    '1',
    '',
    '',
    '1',
    '',
    '',
    '',
    '',
    '',
    '100',
    '',
    '',
    '',
    '',
    '',
  ].join(',');
const shifted = [
  DA_HEADER,
  shiftedCells('テスト広坂広場', '36.5610', '136.6560'),
  shiftedCells('テスト兼六公園', '36.5620', '136.6620'),
];
writeFileSync(new URL('./ishikawa-style-shifted.csv', import.meta.url), `\uFEFF${shifted.join('\r\n')}\r\n`);
