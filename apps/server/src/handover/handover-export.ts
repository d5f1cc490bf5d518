import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { ConsultationKeys } from '../modules/consultation/consultation-keys.ts';
import { recordAudit } from '../platform/audit/audit.service.ts';
import type { Cipher } from '../platform/crypto.ts';
import { type Cell, csvLines, csvStart } from '../platform/http/csv.ts';
import { sniffImageType } from '../platform/images/image-normalise.ts';
import {
  type CatalogCheck,
  type CatalogColumn,
  countRows,
  listPublicChecks,
  listPublicColumns,
  listPublicTables,
  readTablePages,
} from './handover.repository.ts';
import {
  CODE_LABELS,
  COLUMN_RULES,
  type ColumnRule,
  EXCLUDED_TABLES,
  exportedColumnName,
  needsRule,
} from './handover-tables.ts';

// `madoguchi export --out DIR` (C-16, D-10): every table of the city's data as one CSV (UTF-8 with
// BOM, CRLF, RFC 4180 quoting, data unchanged), sealed personal data decrypted, files under
// `files/<table>/<column>/<id>.<ext>`, and the data layout (README-データ仕様.md, schema.json)
// generated from the database's catalog and its COMMENTs. One snapshot (REPEATABLE READ): the row
// counts and the files agree with each other. Audited.

export class HandoverError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface HandoverDeps {
  db: Db;
  /** The master cipher (ENCRYPTION_KEY). */
  cipher: Cipher;
  keys: ConsultationKeys;
}

export type ExportedAs = 'plain' | 'decrypted' | 'file' | 'hex' | 'omitted';

export interface LayoutColumn {
  name: string;
  sourceColumn: string;
  type: string;
  nullable: boolean;
  meaning: string | null;
  exportedAs: ExportedAs;
  omittedBecause?: string;
  codes?: { code: string; meaning: string | null }[];
}

export interface LayoutTable {
  name: string;
  meaning: string | null;
  rows: number;
  file: string;
  columns: LayoutColumn[];
  constraints: string[];
}

export interface Layout {
  generatedAt: string;
  tables: LayoutTable[];
  excludedTables: { name: string; reason: string }[];
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** The tables a hand-over covers (export and purge): every table of `public` but the machinery. */
export async function dataTables(db: Db) {
  const tables = await listPublicTables(db);
  return tables.filter((t) => !Object.hasOwn(EXCLUDED_TABLES, t.name));
}

/** Columns that are binary or named as sealed but have no rule: the export refuses to guess. */
export function unclassifiedColumns(columns: CatalogColumn[]) {
  return columns
    .filter((c) => !Object.hasOwn(EXCLUDED_TABLES, c.table))
    .filter((c) => needsRule(c) && !COLUMN_RULES[`${c.table}.${c.name}`])
    .map((c) => `${c.table}.${c.name}`);
}

/** `col = ANY (ARRAY['a'::text, 'b'::text])` → codes per column; other checks as they are written. */
export function parseChecks(checks: CatalogCheck[]) {
  const codes = new Map<string, string[]>();
  const other = new Map<string, string[]>();
  for (const c of checks) {
    const m = /^CHECK \(\("?([a-z_]+)"? = ANY \(ARRAY\[(.*)\]\)\)\)$/.exec(c.definition);
    if (m) {
      const values = [...m[2]!.matchAll(/'((?:[^']|'')*)'(?:::[a-z ]+)?|(-?\d+)/g)].map(
        (v) => v[1]?.replace(/''/g, "'") ?? v[2]!,
      );
      codes.set(`${c.table}.${m[1]}`, values);
    } else {
      other.set(c.table, [...(other.get(c.table) ?? []), c.definition]);
    }
  }
  return { codes, other };
}

function prepareDir(dir: string) {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new HandoverError('out_not_directory', `${dir} is not a directory`);
    if (readdirSync(dir).length) throw new HandoverError('out_not_empty', `${dir} is not empty`);
  } else {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  }
  chmodSync(dir, DIR_MODE);
}

function mkdirPrivate(dir: string) {
  if (existsSync(dir)) return;
  mkdirPrivate(path.dirname(dir));
  mkdirSync(dir, { mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
}

const writePrivate = (file: string, data: string | Buffer) =>
  writeFileSync(file, data, { flag: 'wx', mode: FILE_MODE });

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

function extensionOf(bytes: Buffer, contentType: unknown, rule: ColumnRule) {
  if (rule.kind === 'sealed-file' && rule.ext) return rule.ext;
  const sniffed =
    sniffImageType(bytes) ?? (bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? 'application/pdf' : null);
  return EXT[sniffed ?? String(contentType)] ?? 'bin';
}

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision)/;

/** A `date` as node-postgres gives it (local midnight of that day) → `YYYY-MM-DD`. */
const dayOf = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * A plain value as a CSV cell: timestamps in ISO 8601 (UTC), dates as `YYYY-MM-DD`, JSON and arrays as
 * JSON text, bigint and numeric as PostgreSQL wrote them.
 */
export function plainCell(value: unknown, type: string): Cell {
  if (value === null || value === undefined) return null;
  if (type === 'date' && value instanceof Date) return dayOf(value);
  if (type === 'date[]' && Array.isArray(value))
    return JSON.stringify(value.map((d) => (d instanceof Date ? dayOf(d) : d)));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && NUMERIC.test(type)) return value; // bigint / numeric as pg wrote them
  return value as Cell;
}

function exportedAs(rule: ColumnRule | undefined): ExportedAs {
  if (!rule) return 'plain';
  switch (rule.kind) {
    case 'secret':
      return 'omitted';
    case 'file':
    case 'sealed-file':
    case 'file-sealed-when-flagged':
      return 'file';
    case 'hex':
      return 'hex';
    default:
      return 'decrypted';
  }
}

/** Builds one table's row → CSV cells, writing files as it goes. */
function rowWriter(deps: HandoverDeps, dir: string, table: string, columns: CatalogColumn[]) {
  const out = columns.filter((c) => COLUMN_RULES[`${table}.${c.name}`]?.kind !== 'secret');
  const header = out.map((c) => exportedColumnName(c.name, COLUMN_RULES[`${table}.${c.name}`]));
  let n = 0;
  const toCells = async (row: Record<string, unknown>): Promise<Cell[]> => {
    n += 1;
    const cells: Cell[] = [];
    for (const c of out) {
      const value = row[c.name];
      const rule = COLUMN_RULES[`${table}.${c.name}`];
      if (value === null || value === undefined || !rule) {
        cells.push(plainCell(value, c.type));
        continue;
      }
      switch (rule.kind) {
        case 'sealed-text':
          cells.push(deps.cipher.decrypt(value as string));
          break;
        case 'sealed-bytes-text':
          cells.push(deps.cipher.decryptBytes(value as Buffer).toString('utf8'));
          break;
        case 'consultation-sealed': {
          const key = await deps.keys.forConsultation(String(row[rule.consultationIdColumn]));
          cells.push(key.decryptBytes(value as Buffer).toString('utf8'));
          break;
        }
        case 'sealed-when-note':
          cells.push(
            row.field === 'note' && String(value).startsWith('v1.')
              ? deps.cipher.decrypt(value as string)
              : (value as string),
          );
          break;
        case 'hex':
          cells.push((value as Buffer).toString('hex'));
          break;
        case 'file':
        case 'sealed-file':
        case 'file-sealed-when-flagged': {
          const sealed =
            rule.kind === 'sealed-file' || (rule.kind === 'file-sealed-when-flagged' && row.sealed === true);
          const bytes = sealed ? deps.cipher.decryptBytes(value as Buffer) : (value as Buffer);
          const folder = path.join('files', table, exportedColumnName(c.name, rule));
          const name = `${String(row.id ?? n)}.${extensionOf(bytes, row.content_type, rule)}`;
          mkdirPrivate(path.join(dir, folder));
          writePrivate(path.join(dir, folder, name), bytes);
          cells.push(`${folder.split(path.sep).join('/')}/${name}`);
          break;
        }
        case 'secret':
          break;
      }
    }
    return cells;
  };
  return { header, toCells };
}

const FILE_BATCH = 20;

/** A row that does not decrypt (another ENCRYPTION_KEY, a damaged row) stops the export by name. */
async function cellsOrRefuse(
  toCells: (row: Record<string, unknown>) => Promise<Cell[]>,
  row: Record<string, unknown>,
  table: string,
) {
  try {
    return await toCells(row);
  } catch (err) {
    if (err instanceof HandoverError) throw err;
    const id = row.id ?? row.consultation_id ?? '?';
    throw new HandoverError(
      'cannot_decrypt',
      `${table} row ${String(id)} does not decrypt (${err instanceof Error ? err.message : String(err)}): is ENCRYPTION_KEY the one the data was sealed with? Remove the partly written directory before trying again`,
    );
  }
}

export interface ExportSummary {
  tables: number;
  rows: Record<string, number>;
  totalRows: number;
}

export async function exportAllData(
  deps: HandoverDeps,
  dir: string,
  operator = 'cli',
  batch = 1000,
): Promise<ExportSummary> {
  if (!operator.trim() || operator.length > 100)
    throw new HandoverError('bad_operator', 'the operator is 1–100 characters');
  const tables = await dataTables(deps.db);
  const columns = await listPublicColumns(deps.db);
  const unclassified = unclassifiedColumns(columns);
  if (unclassified.length)
    throw new HandoverError(
      'column_without_rule',
      `these columns are binary or sealed but have no hand-over rule (handover-tables.ts): ${unclassified.join(', ')}`,
    );
  prepareDir(dir);
  const { codes, other } = parseChecks(await listPublicChecks(deps.db));
  const layout: Layout = {
    generatedAt: new Date().toISOString(),
    tables: [],
    excludedTables: Object.entries(EXCLUDED_TABLES).map(([name, reason]) => ({ name, reason })),
  };
  await deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      for (const t of tables) {
        const cols = columns.filter((c) => c.table === t.name);
        const w = rowWriter(deps, dir, t.name, cols);
        // Rows with files (photos, documents, mails) are read a few at a time: a page stays small.
        const pageSize = cols.some((c) => c.type === 'bytea') ? Math.min(batch, FILE_BATCH) : batch;
        const file = `${t.name}.csv`;
        const fd = openSync(path.join(dir, file), 'wx', FILE_MODE);
        let rows = 0;
        try {
          writeSync(fd, csvStart(w.header));
          for await (const page of readTablePages(trx, t.name, pageSize)) {
            const lines: Cell[][] = [];
            for (const row of page) lines.push(await cellsOrRefuse(w.toCells, row, t.name));
            writeSync(fd, csvLines(lines, { guardFormulas: false }));
            rows += page.length;
          }
        } finally {
          closeSync(fd);
        }
        if (rows !== (await countRows(trx, t.name)))
          throw new HandoverError('count_mismatch', `${t.name}: rows written differ from the table's count`);
        layout.tables.push({
          name: t.name,
          meaning: t.comment,
          rows,
          file,
          constraints: other.get(t.name) ?? [],
          columns: cols.map((c) => {
            const key = `${t.name}.${c.name}`;
            const rule = COLUMN_RULES[key];
            const listed = codes.get(key);
            return {
              name: exportedColumnName(c.name, rule),
              sourceColumn: c.name,
              type: c.type,
              nullable: c.nullable,
              meaning: c.comment,
              exportedAs: exportedAs(rule),
              ...(rule?.kind === 'secret' ? { omittedBecause: rule.why } : {}),
              ...(listed
                ? { codes: listed.map((code) => ({ code, meaning: CODE_LABELS[key]?.[code] ?? null })) }
                : {}),
            };
          }),
        });
      }
    });
  writePrivate(path.join(dir, 'schema.json'), `${JSON.stringify(layout, null, 2)}\n`);
  writePrivate(path.join(dir, 'README-データ仕様.md'), layoutMarkdown(layout));
  const rows = Object.fromEntries(layout.tables.map((t) => [t.name, t.rows]));
  const totalRows = layout.tables.reduce((s, t) => s + t.rows, 0);
  await recordAudit(deps.db, {
    accountId: null,
    loginId: operator,
    ip: null,
    action: 'data.export',
    result: 'success',
    count: totalRows,
    detail: { tables: layout.tables.length, rows },
  });
  return { tables: layout.tables.length, rows, totalRows };
}

const EXPORTED_AS_JA: Record<ExportedAs, string> = {
  plain: 'そのまま',
  decrypted: '復号して平文',
  file: 'ファイル（列の値はファイルの相対パス）',
  hex: '16進数',
  omitted: '出力しない',
};

const md = (s: string | null | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The data layout for people: Japanese, one section per table. */
export function layoutMarkdown(layout: Layout): string {
  const lines = [
    '# データ仕様（契約終了時の引き渡しデータ）',
    '',
    `作成日時: ${layout.generatedAt}（UTC）`,
    '',
    '## ファイルの形式',
    '',
    '- 表ごとに 1 つの CSV（`<表名>.csv`）。文字コードは UTF-8（BOM 付き）、改行は CRLF、RFC 4180 の引用符付け。',
    "- 値は変えずに出力しています（Excel の数式よけの「'」も付けません）。日時は ISO 8601（UTC、末尾 Z）、日付は YYYY-MM-DD、JSON と配列は JSON の文字列です。空欄は NULL です。",
    '- 暗号化して保存している個人データは復号して平文で出力しています（列名の末尾 `_enc` を外した名前）。',
    '- 画像・PDF・メールの原文などのファイルは `files/<表名>/<列名>/<行のID>.<拡張子>` に出力し、CSV の列にはその相対パスを入れています。',
    '- パスワードのハッシュ、LINE チャネルの認証情報、二要素認証の秘密鍵、相談ごとのデータ鍵など、市のデータではない秘密情報は出力していません（各表の「出力」欄に「出力しない」と理由）。',
    '- 同じ内容を機械で読める形で `schema.json` に出力しています。',
    '',
    '## 表の一覧',
    '',
    '| 表 | 意味 | 行数 |',
    '| --- | --- | --- |',
    ...layout.tables.map((t) => `| [${t.name}](#${t.name}) | ${md(t.meaning)} | ${t.rows} |`),
    '',
    '## 出力していない表',
    '',
    '| 表 | 理由 |',
    '| --- | --- |',
    ...layout.excludedTables.map((t) => `| ${t.name} | ${md(t.reason)} |`),
    '',
  ];
  for (const t of layout.tables) {
    lines.push(
      `## ${t.name}`,
      '',
      `${md(t.meaning)}（${t.rows} 行、ファイル \`${t.file}\`）`,
      '',
      '| 列 | 型 | NULL | 意味 | 出力 | コード値 |',
      '| --- | --- | --- | --- | --- | --- |',
      ...t.columns.map((c) => {
        const out =
          c.exportedAs === 'omitted' ? `出力しない（${c.omittedBecause}）` : EXPORTED_AS_JA[c.exportedAs];
        const codes = (c.codes ?? []).map((v) =>
          v.meaning ? `\`${v.code}\` ${v.meaning}` : `\`${v.code}\``,
        );
        return `| ${c.name} | ${md(c.type)} | ${c.nullable ? '可' : '不可'} | ${md(c.meaning)} | ${out} | ${md(codes.join('、'))} |`;
      }),
      '',
    );
    if (t.constraints.length)
      lines.push('制約:', '', ...t.constraints.map((c) => `- \`${c.replace(/`/g, "'")}\``), '');
  }
  return lines.join('\n');
}
