import { FAQ_COLUMNS, FAQ_LIMITS, type FaqRowError } from '@madoguchi/contracts/chatbot.ts';
import type ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.ts';
import { decodeCsv, normalizeCell, readCsvRecords } from '../shelters/shelter-csv.ts';

// The city's FAQ sheet (B-04), from xlsx or CSV. The bytes decide the type, never the name: a zip
// (PK\x03\x04) is read as xlsx, text as CSV (UTF-8 with or without BOM, else cp932 — decodeCsv of
// the shelters import), anything else is refused (FAQ_FILE_NOT_SPREADSHEET). Columns are found by
// header (FAQ_COLUMNS; the header is the first non-blank row naming 質問 and 回答 — a title row may
// stand above it; other columns are ignored and listed); blank rows are skipped. Every cell is text: a formula is never evaluated — an xlsx
// formula cell imports its formula as written (「=A1&"…"」), a CSV cell starting with = stays as it
// is — and exports write it back as a text cell. Rich text and hyperlink cells give their text.
// Lines are the sheet's row numbers (what Excel shows; 1 when the header is on the first row); in a
// CSV, the line of the file a row ends on (they differ only after a cell with line breaks).

export type FaqFileType = 'xlsx' | 'csv';

export interface FaqSheetRow {
  line: number;
  /** The FAQ No. from the ID column; null: a new row. */
  rowNo: number | null;
  question: string;
  answer: string;
  category: string;
  keywords: string[];
  link: string | null;
}

export interface ParsedFaqSheet {
  type: FaqFileType;
  /** Data rows read (blank rows skipped). */
  rows: FaqSheetRow[];
  errors: FaqRowError[];
  ignoredColumns: string[];
}

type Column = keyof typeof FAQ_COLUMNS;

const COLUMN_LABELS: Record<Column, string> = {
  id: 'ID',
  question: '質問',
  answer: '回答',
  category: 'カテゴリ',
  keywords: 'キーワード',
  link: 'リンク',
};

/** The export's header: the first name of each column, ID first. */
export const FAQ_EXPORT_HEADER = (Object.keys(FAQ_COLUMNS) as Column[]).map((c) => FAQ_COLUMNS[c][0]);

const fileError = (code: string, message: string) => new AppError(400, code, message);
const notSpreadsheet = () =>
  fileError(
    'FAQ_FILE_NOT_SPREADSHEET',
    'Excel（.xlsx）または CSV のファイルではありません。Excel で「Excel ブック（.xlsx）」か「CSV」として保存したファイルを選んでください',
  );

/** The type of a file by its first bytes: xlsx (a zip), CSV (text), or refused. */
export function sniffFaqFile(bytes: Buffer): FaqFileType {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) return 'xlsx';
  // Old .xls (OLE), PDF, images and other binaries: a NUL byte in the first 8 KiB says "not text".
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw notSpreadsheet();
  const { text } = decodeCsv(head.length < bytes.length ? bytes.subarray(0, 8192) : bytes);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark a binary file
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f]/.test(text)) throw notSpreadsheet();
  return 'csv';
}

/** What an FAQ workbook may unpack to (5,000 rows of the longest cells fit well below it). */
export const FAQ_XLSX_MAX_UNPACKED = 200 * 1024 * 1024;

/**
 * The unpacked size of a zip by its central directory (read before exceljs unpacks anything, so
 * a small file that unpacks to gigabytes is refused); null when there is no directory.
 */
export function zipUnpackedSize(bytes: Buffer): number | null {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > bytes.length) return null;
  const count = bytes.readUInt16LE(end + 10);
  let p = bytes.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== 0x02014b50) return null;
    const size = bytes.readUInt32LE(p + 24);
    // ZIP64 (0xffffffff) is never what Excel writes for an FAQ sheet.
    total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
    p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return total;
}

let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
};

/** The text of one exceljs cell value: formulas as written, rich text and links as their text. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('formula' in value && typeof value.formula === 'string') return `=${value.formula}`;
    if ('sharedFormula' in value && typeof value.sharedFormula === 'string') {
      const result = (value as { result?: unknown }).result;
      return result === undefined || result === null ? '' : String(result);
    }
    if ('richText' in value && Array.isArray(value.richText))
      return value.richText.map((r) => r.text).join('');
    if ('text' in value) {
      const text = (value as { text: unknown }).text;
      if (typeof text === 'string') return text;
      if (text && typeof text === 'object' && 'richText' in text)
        return (text as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    }
    if ('error' in value) return '';
  }
  return String(value);
}

/** The sheet's rows as text cells, with their row numbers (first worksheet of an xlsx). */
async function readXlsx(bytes: Buffer): Promise<{ cells: string[]; line: number }[]> {
  const unpacked = zipUnpackedSize(bytes);
  if (unpacked === null)
    throw fileError(
      'FAQ_FILE_NOT_SPREADSHEET',
      'Excel ファイルとして読めません（壊れているか、xlsx ではありません）',
    );
  if (unpacked > FAQ_XLSX_MAX_UNPACKED)
    throw new AppError(
      413,
      'FAQ_FILE_TOO_LARGE',
      'ファイルの中身が大きすぎます。不要なシートや書式を削除してください',
    );
  const Excel = await loadExcel();
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileError(
      'FAQ_FILE_NOT_SPREADSHEET',
      'Excel ファイルとして読めません（壊れているか、xlsx ではありません）',
    );
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw fileError('FAQ_FILE_NO_HEADER', 'シートがありません');
  // Refused before reading cell by cell: the row count is known from the sheet.
  if (sheet.actualRowCount > FAQ_LIMITS.rows + 1) throw tooManyRows();
  const out: { cells: string[]; line: number }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    out.push({ cells: Array.from(cells, (c) => c ?? ''), line });
  });
  return out;
}

const tooManyRows = () =>
  fileError(
    'FAQ_FILE_TOO_MANY_ROWS',
    `行が多すぎます（${FAQ_LIMITS.rows.toLocaleString('ja-JP')} 行まで）。取り込みは FAQ 全体を置き換えるため、ファイルを分けずに不要な行を削除してください`,
  );

/** How many non-blank rows may stand above the header (a title, a date, a note). */
const HEADER_SEARCH_ROWS = 10;

const headerKey = (v: string) =>
  normalizeCell(v)
    .replace(/[\s_・]/g, '')
    .toLowerCase();

const COLUMN_OF = new Map<string, Column>(
  (Object.keys(FAQ_COLUMNS) as Column[]).flatMap((c) =>
    FAQ_COLUMNS[c].map((h) => [headerKey(h), c] as const),
  ),
);

/** Keywords as staff type them: separated by 、 , ; or new lines; trimmed, without repeats. */
export function splitKeywords(value: string): string[] {
  const out: string[] = [];
  for (const k of value.split(/[、,，;；\n]/)) {
    const v = normalizeCell(k);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** An answer keeps its line breaks; other control characters go, each line's end is trimmed. */
function answerText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trim()
  );
}

const isUrl = (v: string) => {
  if (!/^https?:\/\/[^\s]+$/.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
};

/**
 * The rows of a sheet checked (pure): header found, blank rows skipped, every problem as a row
 * error with its line. `existing` are the channel's FAQ numbers (an ID the FAQ does not have is an
 * error: IDs come from an export, new rows leave it empty).
 */
export function readFaqRows(
  records: { cells: string[]; line: number }[],
  existing: ReadonlySet<number>,
): Omit<ParsedFaqSheet, 'type'> {
  const nonBlank = records.filter((r) => r.cells.some((c) => normalizeCell(c) !== ''));
  // The header: the first non-blank row naming both 質問 and 回答 (a title row above it is allowed).
  const at = nonBlank.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => {
    const named = new Set(r.cells.map((h) => COLUMN_OF.get(headerKey(h))));
    return named.has('question') && named.has('answer');
  });
  const header = at < 0 ? undefined : nonBlank[at];
  const data = at < 0 ? [] : nonBlank.slice(at + 1);
  const columns = new Map<Column, number>();
  const ignoredColumns: string[] = [];
  header?.cells.forEach((h, i) => {
    const c = COLUMN_OF.get(headerKey(h));
    if (c && !columns.has(c)) columns.set(c, i);
    else if (normalizeCell(h)) ignoredColumns.push(normalizeCell(h));
  });
  if (!header || !columns.has('question') || !columns.has('answer'))
    throw fileError(
      'FAQ_FILE_NO_HEADER',
      '見出しの行が見つかりません。1行目に「質問」「回答」（と「カテゴリ」「キーワード」「リンク」「ID」）の見出しを入れてください',
    );
  if (data.length > FAQ_LIMITS.rows) throw tooManyRows();

  const rows: FaqSheetRow[] = [];
  const errors: FaqRowError[] = [];
  const seen = new Map<number, number>();
  for (const r of data) {
    const cell = (c: Column) => {
      const i = columns.get(c);
      return i === undefined ? '' : (r.cells[i] ?? '');
    };
    const error = (code: FaqRowError['code'], column: Column | null, message: string) =>
      errors.push({ line: r.line, code, column: column ? COLUMN_LABELS[column] : null, message });
    const question = normalizeCell(cell('question'));
    const answer = answerText(cell('answer'));
    const category = normalizeCell(cell('category'));
    const keywords = splitKeywords(cell('keywords'));
    const link = normalizeCell(cell('link'));
    const idText = normalizeCell(cell('id'));
    let ok = true;
    if (!question) ok = !error('FAQ_ROW_NO_QUESTION', 'question', '質問が空です');
    if (!answer) ok = !error('FAQ_ROW_NO_ANSWER', 'answer', '回答が空です');
    const tooLong = (c: Column, value: string, max: number) => {
      if ([...value].length > max)
        ok = !error('FAQ_ROW_TOO_LONG', c, `${COLUMN_LABELS[c]}は${max}文字以内にしてください`);
    };
    tooLong('question', question, FAQ_LIMITS.question);
    tooLong('answer', answer, FAQ_LIMITS.answer);
    tooLong('category', category, FAQ_LIMITS.category);
    tooLong('keywords', keywords.join('、'), FAQ_LIMITS.keywords);
    tooLong('link', link, FAQ_LIMITS.link);
    if (link && [...link].length <= FAQ_LIMITS.link && !isUrl(link))
      ok = !error('FAQ_ROW_BAD_LINK', 'link', 'リンクは https:// か http:// で始まる URL にしてください');
    let rowNo: number | null = null;
    if (idText) {
      const n = /^\d{1,9}$/.test(idText) ? Number(idText) : Number.NaN;
      if (!Number.isInteger(n) || !existing.has(n)) {
        ok = !error(
          'FAQ_ROW_UNKNOWN_ID',
          'id',
          `ID「${idText.slice(0, 20)}」の FAQ はありません。新しい行は ID を空にしてください`,
        );
      } else if (seen.has(n)) {
        ok = !error('FAQ_ROW_DUPLICATE_ID', 'id', `ID ${n} が ${seen.get(n)} 行目と重なっています`);
      } else {
        seen.set(n, r.line);
        rowNo = n;
      }
    }
    if (ok) rows.push({ line: r.line, rowNo, question, answer, category, keywords, link: link || null });
  }
  return { rows, errors, ignoredColumns };
}

/** Reads an FAQ file: its type by its bytes, its rows checked against the FAQ numbers there are. */
export async function parseFaqFile(
  bytes: Buffer,
  existing: ReadonlySet<number>,
): Promise<ParsedFaqSheet & { read: number }> {
  const type = sniffFaqFile(bytes);
  let records: { cells: string[]; line: number }[];
  if (type === 'xlsx') records = await readXlsx(bytes);
  else {
    const { text } = decodeCsv(bytes);
    records = readCsvRecords(text, 'FAQ_FILE_NOT_SPREADSHEET').map((r) => ({
      cells: r.record,
      line: r.line,
    }));
  }
  const parsed = readFaqRows(records, existing);
  return { type, ...parsed, read: parsed.rows.length + new Set(parsed.errors.map((e) => e.line)).size };
}
