import { createHash } from 'node:crypto';
import {
  DISASTER_TYPES,
  type DisasterType,
  JAPAN_BOUNDS,
  type ShelterImportProblem,
  type ShelterKind,
  type ShelterLayout,
} from '@madoguchi/contracts/shelters.ts';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.ts';

// Shelter CSV files as cities publish them (X-04), read by header name, never by position:
// - デジタル庁 自治体標準オープンデータセット「指定緊急避難場所一覧」(39 columns; real files add an
//   empty-headed column or shift a few columns, see testdata/README.md),
// - 国土地理院 指定緊急避難場所データ (NO, 共通ID, …, 洪水 … 火山現象, 緯度, 経度, 備考),
// - 国土地理院 指定避難所データ (no hazards, no capacity).
// Bytes: UTF-8 with or without BOM, else Shift_JIS (cp932, what Excel writes). Every cell is NFKC
// normalised (full-width digits and letters to half width, half-width kana to full width) and trimmed.
//
// Rows without an ID: the ID is derived from the publisher's code and the normalised name
// (`auto-<code>-<16 hex>`), so re-importing the same file updates the same sites. Renaming such a site
// in the file makes it a new site (the old one is then listed as missing from the file); two rows of
// one file with the same derived ID are refused (DUPLICATE_ID): give them IDs.

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

export interface ShelterRow {
  line: number;
  externalId: string;
  name: string;
  nameKana: string;
  address: string;
  latitude: number;
  longitude: number;
  capacity: number | null;
  disasterTypes: DisasterType[];
  kind: ShelterKind;
  phone: string;
  note: string;
}

export interface ParsedShelterCsv {
  encoding: CsvEncoding;
  layout: ShelterLayout;
  /** Data rows (not counting the header and empty lines). */
  rowCount: number;
  rows: ShelterRow[];
  problems: ShelterImportProblem[];
}

export const SHELTER_CSV_MAX_BYTES = 20 * 1024 * 1024;
export const SHELTER_CSV_MAX_ROWS = 50_000;
const MAX_CAPACITY = 10_000_000;

const fileError = (code: string, message: string) => new AppError(400, code, message);

/** The text of the file and the encoding it was in. */
export function decodeCsv(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'cp932'), encoding: 'shift_jis' };
  }
}

/** NFKC, no control characters, runs of white space as one space, trimmed. */
export function normalizeCell(value: string | undefined): string {
  return (value ?? '')
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Header names compared without spaces, the 災害種別_ prefix's variants and punctuation variants. */
export function headerKey(value: string): string {
  return normalizeCell(value).replace(/[\s_・、,]/g, '');
}

/** `"1,400 "`, `１，４００人`, `約500` → 1400, 1400, 500; empty or a dash → null; else undefined. */
export function parseCapacity(value: string): number | null | undefined {
  const v = normalizeCell(value)
    .replace(/^約/, '')
    .replace(/(人|名)$/, '')
    .replace(/[,\s]/g, '');
  if (v === '' || /^[-ー－―]$/.test(v) || v === '不明' || v === 'なし') return null;
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n <= MAX_CAPACITY ? n : undefined;
}

/** A decimal degree (`35.6`, `３５．６`); undefined when it is not one. */
export function parseDegrees(value: string): number | undefined {
  const v = normalizeCell(value).replace(/\s/g, '');
  if (!/^-?\d{1,3}(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** Flags: `1` designated, empty (or 0) not; undefined for anything else. */
function parseFlag(value: string): boolean | undefined {
  const v = normalizeCell(value);
  if (v === '' || v === '0') return false;
  if (v === '1' || v === '○' || v === '◯') return true;
  return undefined;
}

const HAZARD_HEADERS: Record<DisasterType, string> = {
  flood: '洪水',
  landslide: '崖崩れ土石流及び地滑り',
  storm_surge: '高潮',
  earthquake: '地震',
  tsunami: '津波',
  large_fire: '大規模な火事',
  inland_flooding: '内水氾濫',
  volcano: '火山現象',
};

interface LayoutSpec {
  /** Columns that must be in the header (by headerKey), with the names shown to people. */
  required: Record<string, string>;
  id: string[];
  name: string[];
  kana: string[];
  address: string[];
  code: string[];
  capacity: string[];
  phone: string[];
  note: string[];
  hazardPrefix: string | null;
  /** The "also the other kind" flag and the kind it makes. */
  both: string[];
  kind: ShelterKind;
}

const LAYOUTS: Record<ShelterLayout, LayoutSpec> = {
  'municipal-standard': {
    required: { 名称: '名称', 緯度: '緯度', 経度: '経度' },
    id: ['ID'],
    name: ['名称'],
    kana: ['名称カナ'],
    address: ['所在地連結表記', '住所'],
    code: ['全国地方公共団体コード', '市区町村コード'],
    capacity: ['想定収容人数'],
    phone: ['電話番号'],
    note: ['備考'],
    hazardPrefix: '災害種別',
    both: ['指定避難所との重複', '指定避難所との住所同一'],
    kind: 'emergency_site',
  },
  'gsi-emergency': {
    required: { 施設場所名: '施設・場所名', 緯度: '緯度', 経度: '経度' },
    id: ['共通ID'],
    name: ['施設場所名'],
    kana: [],
    address: ['住所'],
    code: [],
    capacity: [],
    phone: [],
    note: ['備考'],
    hazardPrefix: '',
    both: ['指定避難所との住所同一'],
    kind: 'emergency_site',
  },
  'gsi-shelter': {
    required: { 施設場所名: '施設・場所名', 緯度: '緯度', 経度: '経度' },
    id: ['共通ID'],
    name: ['施設場所名'],
    kana: [],
    address: ['住所'],
    code: [],
    capacity: [],
    phone: [],
    note: ['備考'],
    hazardPrefix: null,
    both: ['指定緊急避難場所との住所同一'],
    kind: 'shelter',
  },
};

/** Which layout a header row is; null when it is none of them. */
export function detectLayout(header: string[]): ShelterLayout | null {
  const keys = new Set(header.map(headerKey));
  if (keys.has('名称') && [...keys].some((k) => k.startsWith('災害種別'))) return 'municipal-standard';
  if (keys.has('施設場所名') && keys.has('洪水')) return 'gsi-emergency';
  if (keys.has('施設場所名')) return 'gsi-shelter';
  if (keys.has('名称') && (keys.has('所在地連結表記') || keys.has('住所'))) return 'municipal-standard';
  return null;
}

const LAYOUT_NAMES: Record<ShelterLayout, string> = {
  'municipal-standard': '自治体標準オープンデータセット（指定緊急避難場所一覧）',
  'gsi-emergency': '国土地理院 指定緊急避難場所データ',
  'gsi-shelter': '国土地理院 指定避難所データ',
};

/**
 * The records of a CSV text with the line each ends on (empty lines skipped); a broken file is a 400
 * with `code` (also read by the chatbot's FAQ import).
 */
export function readCsvRecords(
  text: string,
  code = 'SHELTER_CSV_MALFORMED',
): { record: string[]; line: number }[] {
  try {
    const out = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return out.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? err.lines : null;
      throw fileError(
        code,
        `CSV として読めません${line ? `（${line}行目付近。引用符 " の閉じ忘れなど）` : ''}`,
      );
    }
    throw err;
  }
}

/** Reads a shelter CSV: the valid rows and, for every bad row, its line, a stable code and a reason. */
export function parseShelterCsv(
  bytes: Buffer,
  opts: { layout?: ShelterLayout | 'auto' } = {},
): ParsedShelterCsv {
  if (bytes.length === 0) throw fileError('SHELTER_CSV_EMPTY', 'ファイルが空です');
  if (bytes.length > SHELTER_CSV_MAX_BYTES)
    throw fileError('SHELTER_CSV_TOO_LARGE', 'ファイルが大きすぎます（20 MB まで）');
  const { text, encoding } = decodeCsv(bytes);
  const records = readCsvRecords(text);
  const headerRecord = records[0];
  if (!headerRecord) throw fileError('SHELTER_CSV_EMPTY', 'ファイルが空です');
  const header = headerRecord.record;
  const detected = detectLayout(header);
  const layout = opts.layout && opts.layout !== 'auto' ? opts.layout : detected;
  if (!layout) {
    throw fileError(
      'SHELTER_CSV_UNKNOWN_LAYOUT',
      '1行目の見出しから形式を判別できません。自治体標準オープンデータセット（指定緊急避難場所一覧）か国土地理院の避難場所データの CSV を選んでください',
    );
  }
  if (records.length - 1 > SHELTER_CSV_MAX_ROWS)
    throw fileError('SHELTER_CSV_TOO_MANY_ROWS', `行が多すぎます（${SHELTER_CSV_MAX_ROWS}行まで）`);
  const spec = LAYOUTS[layout];

  // Header name → first column holding it (empty headers, e.g. 松山市's extra column, are skipped).
  const columns = new Map<string, number>();
  header.forEach((h, i) => {
    const key = headerKey(h);
    if (key && !columns.has(key)) columns.set(key, i);
  });
  const missing = Object.entries(spec.required)
    .filter(([key]) => !columns.has(key))
    .map(([, shown]) => shown);
  if (missing.length) {
    throw fileError(
      'SHELTER_CSV_MISSING_COLUMNS',
      `${LAYOUT_NAMES[layout]}の必要な列がありません: ${missing.join('、')}`,
    );
  }
  const hazardColumns = new Map<DisasterType, number>();
  if (spec.hazardPrefix !== null) {
    for (const t of DISASTER_TYPES) {
      const i = columns.get(`${spec.hazardPrefix}${HAZARD_HEADERS[t]}`);
      if (i !== undefined) hazardColumns.set(t, i);
    }
  }
  const first = (keys: string[]) => keys.map((k) => columns.get(k)).find((i) => i !== undefined);
  const at = (record: string[], i: number | undefined) => (i === undefined ? '' : normalizeCell(record[i]));
  const col = {
    id: first(spec.id),
    name: first(spec.name),
    kana: first(spec.kana),
    address: first(spec.address),
    code: first(spec.code),
    capacity: first(spec.capacity),
    phone: first(spec.phone),
    note: first(spec.note),
    both: first(spec.both),
    lat: columns.get('緯度'),
    lon: columns.get('経度'),
  };
  const shownHeader = (i: number | undefined) => (i === undefined ? null : normalizeCell(header[i]));

  const rows: ShelterRow[] = [];
  const problems: ShelterImportProblem[] = [];
  const seen = new Map<string, number>();
  for (const { record, line } of records.slice(1)) {
    const bad = (code: string, message: string, column: number | undefined = undefined) =>
      problems.push({ line, code, message, column: shownHeader(column) });
    const before = problems.length;
    // Extra cells past the header, or fewer: the row's columns would not be under their headings.
    const trailingEmpty = record.slice(header.length).every((c) => normalizeCell(c) === '');
    if (record.length < header.length || !trailingEmpty) {
      bad(
        'COLUMN_COUNT',
        `列の数（${record.length}列）が見出し（${header.length}列）と合いません。列がずれていないか確かめてください`,
      );
      continue;
    }
    const name = at(record, col.name);
    if (!name) bad('NAME_MISSING', '名称が空です', col.name);
    else if (name.length > 200) bad('NAME_TOO_LONG', '名称が長すぎます（200文字まで）', col.name);
    const address = at(record, col.address);
    if (address.length > 300) bad('ADDRESS_TOO_LONG', '住所が長すぎます（300文字まで）', col.address);
    const latText = at(record, col.lat);
    const lonText = at(record, col.lon);
    const lat = parseDegrees(latText);
    const lon = parseDegrees(lonText);
    if (!latText) bad('LATITUDE_MISSING', '緯度が空です', col.lat);
    else if (lat === undefined) bad('LATITUDE_INVALID', `緯度「${latText}」が数値ではありません`, col.lat);
    if (!lonText) bad('LONGITUDE_MISSING', '経度が空です', col.lon);
    else if (lon === undefined) bad('LONGITUDE_INVALID', `経度「${lonText}」が数値ではありません`, col.lon);
    if (lat !== undefined && lon !== undefined && !insideJapan(lat, lon)) {
      bad(
        'LOCATION_OUTSIDE_JAPAN',
        insideJapan(lon, lat)
          ? '緯度と経度が入れ替わっているようです'
          : `緯度・経度（${lat}, ${lon}）が日本の範囲外です`,
        col.lat,
      );
    }
    let capacity: number | null = null;
    if (col.capacity !== undefined) {
      const parsed = parseCapacity(record[col.capacity] ?? '');
      if (parsed === undefined) {
        bad(
          'CAPACITY_INVALID',
          `想定収容人数「${at(record, col.capacity)}」が人数として読めません`,
          col.capacity,
        );
      } else capacity = parsed;
    }
    const disasterTypes: DisasterType[] = [];
    for (const [t, i] of hazardColumns) {
      const flag = parseFlag(record[i] ?? '');
      if (flag === undefined) bad('FLAG_INVALID', `${normalizeCell(header[i])}は 1 か空欄にしてください`, i);
      else if (flag) disasterTypes.push(t);
    }
    const alsoOther = col.both === undefined ? false : parseFlag(record[col.both] ?? '');
    if (alsoOther === undefined) {
      bad('FLAG_INVALID', `${normalizeCell(header[col.both!])}は 1 か空欄にしてください`, col.both);
    }
    let externalId = at(record, col.id);
    if (externalId.length > 100) bad('ID_TOO_LONG', 'ID が長すぎます（100文字まで）', col.id);
    if (!externalId && name) externalId = derivedId(at(record, col.code), name);
    if (externalId) {
      const other = seen.get(externalId);
      if (other !== undefined) {
        bad(
          'DUPLICATE_ID',
          at(record, col.id)
            ? `ID「${externalId}」が${other}行目と重複しています`
            : `ID が空で、名称が${other}行目と同じです。ID を入れてください`,
          col.id ?? col.name,
        );
      } else seen.set(externalId, line);
    }
    if (problems.length > before) continue;
    rows.push({
      line,
      externalId,
      name,
      nameKana: at(record, col.kana),
      address,
      latitude: lat!,
      longitude: lon!,
      capacity,
      disasterTypes,
      kind: alsoOther ? 'both' : spec.kind,
      phone: phoneOrEmpty(at(record, col.phone)),
      note: at(record, col.note).slice(0, 1000),
    });
  }
  return { encoding, layout, rowCount: records.length - 1, rows, problems };
}

export const insideJapan = (lat: number, lon: number) =>
  lat >= JAPAN_BOUNDS.minLat &&
  lat <= JAPAN_BOUNDS.maxLat &&
  lon >= JAPAN_BOUNDS.minLon &&
  lon <= JAPAN_BOUNDS.maxLon;

/** A stable ID for a row without one: the publisher's code and the normalised name. */
export function derivedId(code: string, name: string): string {
  const digest = createHash('sha256').update(`${code}\u0000${name}`).digest('hex').slice(0, 16);
  return `auto-${code || 'x'}-${digest}`;
}

/** Only a value that looks like a phone number (in shifted files the column holds other things). */
function phoneOrEmpty(value: string): string {
  const digits = value.replace(/\D/g, '').length;
  return /^[0-9()+\- ]+$/.test(value) && digits >= 10 && digits <= 11 ? value : '';
}
