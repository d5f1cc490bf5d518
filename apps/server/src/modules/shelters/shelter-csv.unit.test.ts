import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeCsv,
  derivedId,
  detectLayout,
  normalizeCell,
  parseCapacity,
  parseDegrees,
  parseShelterCsv,
} from './shelter-csv.ts';
import { degreeRadiusFor, formatDistance, haversineMeters } from './shelter-nearby.ts';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

describe('shelter CSV rules (X-04)', () => {
  it('X-04: tells UTF-8 with a BOM, UTF-8 without one and Shift_JIS (cp932) apart', () => {
    const text = '名称,緯度\r\nテスト,35.1\r\n';
    expect(decodeCsv(Buffer.from(`\uFEFF${text}`))).toEqual({ text, encoding: 'utf-8-bom' });
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(iconv.encode(text, 'cp932'))).toEqual({ text, encoding: 'shift_jis' });
    // cp932-only characters (NEC specials like ① and ㈱) come through too.
    expect(decodeCsv(iconv.encode('①㈱髙', 'cp932')).text).toBe('①㈱髙');
  });

  it('X-04: normalises full- and half-width forms (NFKC) and white space', () => {
    expect(normalizeCell('ﾃｽﾄｼｮｳｶﾞｯｺｳ')).toBe('テストショウガッコウ');
    expect(normalizeCell('　千葉市中央区１－１　')).toBe('千葉市中央区1-1');
    expect(normalizeCell('a\t\r\n b')).toBe('a b');
    expect(parseDegrees('３５．６１')).toBe(35.61);
    expect(parseDegrees('北緯35度')).toBeUndefined();
    expect(parseDegrees('')).toBeUndefined();
  });

  it('X-04: reads capacities like "1,400 ", １，２００人 and 約500; a dash is none; words are refused', () => {
    expect(parseCapacity('1,400 ')).toBe(1400);
    expect(parseCapacity('50,700 ')).toBe(50700);
    expect(parseCapacity('１，２００人')).toBe(1200);
    expect(parseCapacity('約500')).toBe(500);
    expect(parseCapacity('')).toBeNull();
    expect(parseCapacity('－')).toBeNull();
    expect(parseCapacity('多数')).toBeUndefined();
    expect(parseCapacity('-5')).toBeUndefined();
    expect(parseCapacity('99999999999')).toBeUndefined();
  });

  it('X-04: finds the columns by header name, so 松山市’s extra empty-headed column does not shift them', () => {
    const r = parseShelterCsv(fixture('matsuyama-382019_evacuation_space.csv'));
    expect(r).toMatchObject({ encoding: 'utf-8-bom', layout: 'municipal-standard', rowCount: 390 });
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      line: 2,
      externalId: 'E3820100602201',
      name: '城山公園',
      latitude: 33.84199297,
      longitude: 132.7618544,
      capacity: 50700,
      disasterTypes: ['storm_surge', 'earthquake', 'tsunami', 'large_fire'],
      kind: 'emergency_site',
    });
    expect(r.rows.find((x) => x.name === '八坂公園')?.capacity).toBe(1400);
  });

  it('X-04: Shift_JIS with empty IDs and half-width kana reads the same as its UTF-8 copy; IDs are derived and stable', () => {
    const sjis = parseShelterCsv(fixture('ichikawa-style-cp932.csv'));
    const utf8 = parseShelterCsv(fixture('ichikawa-style-utf8.csv'));
    expect(sjis.encoding).toBe('shift_jis');
    expect(utf8.encoding).toBe('utf-8');
    expect(sjis.problems).toEqual([]);
    expect(sjis.rows).toEqual(utf8.rows);
    expect(sjis.rows[0]).toMatchObject({
      externalId: derivedId('122033', 'テスト第一小学校'),
      nameKana: 'テストダイイチショウガッコウ',
      address: '千葉県市川市八幡1丁目1番1号',
      capacity: 1200,
      kind: 'both',
      phone: '(047)371-6100',
    });
    expect(sjis.rows[1]).toMatchObject({ latitude: 35.725, longitude: 139.931, capacity: 500 });
    expect(derivedId('122033', 'テスト第一小学校')).toMatch(/^auto-122033-[0-9a-f]{16}$/);
  });

  it('X-04: in a file whose cells between 標高 and 地方公共団体名 are shifted, the named columns still read right and the phone is dropped', () => {
    const r = parseShelterCsv(fixture('ishikawa-style-shifted.csv'));
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      name: 'テスト広坂広場',
      latitude: 36.561,
      longitude: 136.656,
      phone: '',
      capacity: 100,
      disasterTypes: ['flood', 'earthquake'],
    });
  });

  it('X-04: reads the GSI 指定緊急避難場所 layout (共通ID, hazards without prefix, 住所同一)', () => {
    const r = parseShelterCsv(fixture('gsi-emergency-style.csv'));
    expect(r.layout).toBe('gsi-emergency');
    expect(r.rows.map((x) => [x.externalId.slice(0, 5), x.kind])).toEqual([
      ['E1210', 'emergency_site'],
      ['E1210', 'both'],
      ['auto-', 'emergency_site'],
    ]);
    expect(r.rows[1]!.disasterTypes).toHaveLength(7);
    expect(r.rows[1]!.note).toBe('「洪水」では2階以上に避難');
  });

  it('X-04: dry run lists every bad row with its line number, a stable code and a Japanese reason', () => {
    const r = parseShelterCsv(fixture('broken-rows.csv'));
    expect(r.rows.map((x) => x.line)).toEqual([2, 10]);
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'NAME_MISSING'],
      [4, 'LATITUDE_INVALID'],
      [5, 'CAPACITY_INVALID'],
      [6, 'FLAG_INVALID'],
      [7, 'LOCATION_OUTSIDE_JAPAN'],
      [8, 'DUPLICATE_ID'],
      [9, 'COLUMN_COUNT'],
    ]);
    for (const p of r.problems) expect(p.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(r.problems[4]!.message).toContain('入れ替わって');
  });

  it('X-04: a file that is no shelter list, or lacks a needed column, is refused as a whole with a stable code', () => {
    expect(() => parseShelterCsv(Buffer.from('a,b,c\n1,2,3\n'))).toThrow(
      expect.objectContaining({ status: 400, code: 'SHELTER_CSV_UNKNOWN_LAYOUT' }),
    );
    expect(() => parseShelterCsv(Buffer.from('名称,住所,災害種別_洪水\nA,B,1\n'))).toThrow(
      expect.objectContaining({ code: 'SHELTER_CSV_MISSING_COLUMNS' }),
    );
    expect(() => parseShelterCsv(Buffer.alloc(0))).toThrow(
      expect.objectContaining({ code: 'SHELTER_CSV_EMPTY' }),
    );
    expect(() => parseShelterCsv(Buffer.from('名称,緯度,経度,災害種別_洪水\n"A,35,140,1\n'))).toThrow(
      expect.objectContaining({ code: 'SHELTER_CSV_MALFORMED' }),
    );
    expect(detectLayout(['NO', '共通ID', '施設・場所名', '住所', '受入対象者', '緯度', '経度'])).toBe(
      'gsi-shelter',
    );
  });
});

describe('nearest-search geometry (X-03)', () => {
  it('X-03: haversine distances are right for known pairs', () => {
    // 東京駅 → 千葉駅 is about 31.6 km.
    expect(haversineMeters(35.6812, 139.7671, 35.6131, 140.1134) / 1000).toBeCloseTo(32.2, 0);
    expect(haversineMeters(35, 140, 35, 140)).toBe(0);
    expect(formatDistance(348)).toBe('350 m');
    expect(formatDistance(1234)).toBe('1.2 km');
  });

  it('X-03: the second step’s planar circle holds every point within the true distance (the bound of shelter-nearby.ts)', () => {
    // Random points around random centres in Japan: whenever the true distance is within D, the
    // planar degree distance is within degreeRadiusFor(lat, D).
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const lat = 20 + rnd() * 26;
      const lon = 122 + rnd() * 32;
      const lat2 = lat + (rnd() - 0.5) * 2;
      const lon2 = lon + (rnd() - 0.5) * 2;
      const d = haversineMeters(lat, lon, lat2, lon2);
      const planar = Math.hypot(lat2 - lat, lon2 - lon);
      expect(planar).toBeLessThanOrEqual(degreeRadiusFor(lat, d));
    }
  });
});
