import {
  type FaqEntryView,
  type FaqImportResult,
  type FaqMatch,
  normalizeForMatch,
  type UnansweredView,
} from '@madoguchi/contracts/chatbot.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { XlsxCell } from '../../platform/http/xlsx.ts';
import { findChannelRow } from '../channels/channels.service.ts';
import type { FaqStatsRow } from './chatbot-stats.ts';
import {
  bumpFaqChannel,
  countEntry,
  deleteEntries,
  dismissUnanswered,
  entriesById,
  entriesOfChannel,
  type FaqCountedEntryRow,
  type FaqEntryInput,
  type FaqEntryRow,
  type FaqListFilter,
  faqRevision,
  faqStats,
  insertEntries,
  insertUnansweredRows,
  listEntries,
  listUnanswered,
  lockFaqChannel,
  rowNosOfChannel,
  updateEntry,
} from './faq.repository.ts';
import { parseFaqFile } from './faq-import.ts';
import {
  buildFaqIndexSliced,
  type FaqDoc,
  type FaqIndex,
  type FaqSearchResult,
  searchFaq,
} from './faq-search.ts';

// The FAQ (B-04): import / export of the city's sheet, the search LINE answers with, the counts and
// the unanswered list. The search index of a channel is kept in this process (the one state of
// this service) and follows faq_channels.revision: each lookup reads the revision (one index
// lookup; LINE's lookups read it once per dispatch batch, faq-line.ts) and rebuilds the index when
// an import — on any server node — moved it.

type Tx = Kysely<Database> | Transaction<Database>;

export type { FaqStatsRow };

export const toFaqView = (r: FaqCountedEntryRow): FaqEntryView<Date> => ({
  id: r.id,
  rowNo: r.row_no,
  question: r.question,
  answer: r.answer,
  category: r.category,
  keywords: r.keywords,
  link: r.link,
  answered: r.answered,
  helpful: r.helpful,
  notHelpful: r.not_helpful,
  updatedAt: r.updated_at,
});

export async function requireFaqChannel(db: Tx, channelId: string): Promise<void> {
  if (!(await findChannelRow(db as Db, channelId))) throw notFound('チャネル');
}

// ---------------------------------------------------------------------------------------------
// The search index, per channel and revision.

interface CachedIndex {
  revision: string;
  index: Promise<FaqIndex>;
}

const indexes = new Map<string, CachedIndex>();

const docOf = (r: FaqEntryRow): FaqDoc => ({
  id: r.id,
  rowNo: r.row_no,
  question: r.question,
  answer: r.answer,
  category: r.category,
  keywords: r.keywords,
  link: r.link,
});

/** The FAQ's current revision (null: the channel never had an FAQ). */
export const faqRevisionOf = (db: Tx, channelId: string): Promise<string | null> =>
  faqRevision(db, channelId);

/**
 * The channel's index at its current revision (null: no FAQ). Concurrent lookups share one build.
 * `revision`: the revision the caller read already in this transaction (else it is read here).
 */
export async function faqIndexOf(db: Tx, channelId: string, known?: string | null): Promise<FaqIndex | null> {
  const revision = known === undefined ? await faqRevision(db, channelId) : known;
  if (revision === null) return null;
  const cached = indexes.get(channelId);
  if (cached?.revision === revision) return cached.index;
  // Rows read after the revision are at least that new; a newer import moves the revision again.
  // Built in slices (the event loop is given back every few milliseconds); lookups arriving
  // meanwhile wait for this one build.
  const index = entriesOfChannel(db, channelId).then((rows) => buildFaqIndexSliced(rows.map(docOf)));
  const entry = { revision, index };
  indexes.set(channelId, entry);
  index.catch(() => {
    if (indexes.get(channelId) === entry) indexes.delete(channelId);
  });
  return index;
}

const docsById = new WeakMap<FaqIndex, Map<string, FaqDoc>>();

/** One row of the channel's FAQ as in the index (null: no such row at this revision). */
export async function faqDocOf(
  db: Tx,
  channelId: string,
  id: string,
  revision?: string | null,
): Promise<FaqDoc | null> {
  const index = await faqIndexOf(db, channelId, revision);
  if (!index) return null;
  let byId = docsById.get(index);
  if (!byId) {
    byId = new Map(index.docs.map((d) => [d.id, d]));
    docsById.set(index, byId);
  }
  return byId.get(id) ?? null;
}

/** What the FAQ answers to `text` (the rows as in the index); `revision` as for faqIndexOf. */
export async function matchFaq(
  db: Tx,
  channelId: string,
  text: string,
  revision?: string | null,
): Promise<FaqSearchResult> {
  const index = await faqIndexOf(db, channelId, revision);
  return index ? searchFaq(index, text) : { kind: 'none' };
}

/** The search as staff test it (POST /api/chatbot/faq/search): the rows with their counts. */
export async function searchFaqForStaff(db: Db, channelId: string, text: string): Promise<FaqMatch> {
  await requireFaqChannel(db, channelId);
  const r = await matchFaq(db, channelId, text);
  if (r.kind === 'none') return r;
  const ids = r.kind === 'answer' ? [r.doc.id] : r.docs.map((d) => d.doc.id);
  const rows = new Map((await entriesById(db, channelId, ids)).map((e) => [e.id, e]));
  const view = (id: string) => {
    const row = rows.get(id);
    return row ? (toFaqView(row) as unknown as FaqEntryView) : null;
  };
  if (r.kind === 'answer') {
    const entry = view(r.doc.id);
    return entry ? { kind: 'answer', entry, score: r.score } : { kind: 'none' };
  }
  const entries = r.docs.flatMap((d) => {
    const entry = view(d.doc.id);
    return entry ? [{ entry, score: d.score }] : [];
  });
  return entries.length ? { kind: 'suggestions', entries } : { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Counts and the unanswered list.

/** how the text of an unanswered question is kept: normalised, numbers of 5+ characters (phone numbers) and e-mail addresses masked, ≤ 200. */
export function unansweredText(text: string): string {
  return [
    ...normalizeForMatch(text)
      .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+/gu, '＊')
      .replace(/\d[\d-]{3,}\d/g, '＊'),
  ]
    .slice(0, 200)
    .join('');
}

export async function countUnanswered(db: Tx, channelId: string, text: string): Promise<void> {
  const kept = unansweredText(text);
  if (kept) await insertUnansweredRows(db, [{ channel_id: channelId, text: kept }]);
}

export const countFaqUse = countEntry;

export async function unansweredOf(
  db: Db,
  channelId: string,
  limit: number,
): Promise<UnansweredView<Date>[]> {
  await requireFaqChannel(db, channelId);
  return (await listUnanswered(db, channelId, limit)).map((r) => ({
    text: r.text,
    count: r.count,
    lastAskedAt: r.last_asked_at,
  }));
}

export async function dismissUnansweredQuestion(db: Db, channelId: string, text: string): Promise<void> {
  await requireFaqChannel(db, channelId);
  if (!(await dismissUnanswered(db, channelId, text))) throw notFound('未回答の質問');
}

/** Per FAQ row: times answered and "was this helpful" taps, by FAQ No. (for the statistics export). */
export async function faqStatsRows(db: Db, channelId: string): Promise<FaqStatsRow[]> {
  return (await faqStats(db, channelId)).map((r) => ({
    rowNo: r.row_no,
    question: r.question,
    category: r.category,
    answered: r.answered,
    helpful: r.helpful,
    notHelpful: r.not_helpful,
  }));
}

// ---------------------------------------------------------------------------------------------
// The list, the import and the export.

export async function listFaq(db: Db, channelId: string, filter: FaqListFilter) {
  await requireFaqChannel(db, channelId);
  const { items, total } = await listEntries(db, channelId, filter);
  return { items: items.map(toFaqView), total };
}

const sameEntry = (a: FaqEntryInput, b: FaqEntryInput) =>
  a.question === b.question &&
  a.answer === b.answer &&
  a.category === b.category &&
  a.link === b.link &&
  a.keywords.length === b.keywords.length &&
  a.keywords.every((k, i) => k === b.keywords[i]);

/**
 * Imports the city's sheet. Dry run: only the report. Otherwise one transaction: rows with an ID
 * update that row (counted only when something changed), rows without one get the next numbers,
 * the rows the file no longer has are removed; any row error refuses the whole file.
 */
export async function importFaq(
  db: Db,
  channelId: string,
  bytes: Buffer,
  dryRun: boolean,
): Promise<FaqImportResult & { type: string }> {
  await requireFaqChannel(db, channelId);
  if (bytes.length === 0) throw new AppError(400, 'FAQ_FILE_NOT_SPREADSHEET', 'ファイルが空です');
  const parsed = await parseFaqFile(bytes, await rowNosOfChannel(db, channelId));
  const report = (counts: { created: number; updated: number; removed: number }) => ({
    dryRun,
    type: parsed.type,
    rows: parsed.read,
    ...counts,
    errors: parsed.errors,
    ignoredColumns: parsed.ignoredColumns,
  });
  const plan = async (trx: Tx) => {
    const current = new Map((await entriesOfChannel(trx, channelId)).map((r) => [r.row_no, r]));
    const kept = new Set(parsed.rows.flatMap((r) => (r.rowNo === null ? [] : [r.rowNo])));
    const updates = parsed.rows.filter((r) => {
      const before = r.rowNo === null ? undefined : current.get(r.rowNo);
      return before !== undefined && !sameEntry(before, r);
    });
    const creates = parsed.rows.filter((r) => r.rowNo === null);
    const removed = [...current.keys()].filter((n) => !kept.has(n));
    // An ID that another import removed meanwhile is refused like any unknown ID.
    const vanished = parsed.rows.filter((r) => r.rowNo !== null && !current.has(r.rowNo));
    return { updates, creates, removed, vanished };
  };
  if (dryRun || parsed.errors.length > 0) {
    const p = await plan(db);
    const result = report({
      created: p.creates.length,
      updated: p.updates.length,
      removed: p.removed.length,
    });
    if (!dryRun) {
      throw new AppError(
        400,
        'FAQ_IMPORT_INVALID',
        `問題のある行が ${new Set(parsed.errors.map((e) => e.line)).size} 行あるため、取り込みませんでした（何も変わっていません）`,
        parsed.errors.slice(0, 200).map((e) => ({
          path: `${e.line}行目${e.column ? `・${e.column}` : ''}`,
          message: e.message,
          code: e.code,
        })),
      );
    }
    return result;
  }
  return db.transaction().execute(async (trx) => {
    const head = await lockFaqChannel(trx, channelId);
    const p = await plan(trx);
    if (p.vanished.length > 0)
      throw new AppError(
        409,
        'FAQ_IMPORT_CONFLICT',
        '同時に別の取り込みがありました。もう一度お試しください',
      );
    await deleteEntries(trx, channelId, p.removed);
    for (const r of p.updates) await updateEntry(trx, channelId, r.rowNo as number, r);
    let next = head.next_row_no;
    await insertEntries(
      trx,
      channelId,
      p.creates.map((r) => ({ ...r, rowNo: next++ })),
    );
    const changed = p.removed.length + p.updates.length + p.creates.length > 0;
    if (changed) await bumpFaqChannel(trx, channelId, next);
    return report({ created: p.creates.length, updated: p.updates.length, removed: p.removed.length });
  });
}

/** The rows of the export, in the columns of FAQ_EXPORT_HEADER (ID first). */
export async function faqExportRows(db: Db, channelId: string): Promise<XlsxCell[][]> {
  await requireFaqChannel(db, channelId);
  return (await entriesOfChannel(db, channelId)).map((r) => [
    r.row_no,
    r.question,
    r.answer,
    r.category,
    r.keywords.join('、'),
    r.link,
  ]);
}
