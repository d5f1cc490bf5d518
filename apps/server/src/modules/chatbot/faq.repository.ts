import { type Insertable, type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { Database, FaqUnansweredAsksTable, FaqUsesTable } from '../../db/schema.ts';

// All SQL of the FAQ (B-04): faq_channels, faq_entries, faq_uses, faq_unanswered_asks,
// faq_unanswered_dismissals (modules/chatbot). The counts are append-only rows (INSERT only, inside
// the LINE dispatch transaction: no shared row to wait on), summed when staff read them.

type Tx = Kysely<Database> | Transaction<Database>;

const ENTRY_COLUMNS = [
  'id',
  'row_no',
  'question',
  'answer',
  'category',
  'keywords',
  'link',
  'updated_at',
] as const;

export type FaqEntryRow = Awaited<ReturnType<typeof entriesOfChannel>>[number];
export type FaqCountedEntryRow = Awaited<ReturnType<typeof entriesById>>[number];

/** The uses of each row, summed (one probe of faq_uses_entry per row). */
const withCounts = <O>(query: SelectQueryBuilder<Database, 'faq_entries', O>) =>
  query
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('faq_uses')
          .select([
            sql<number>`(count(*) filter (where kind = 'answered'))::int`.as('answered'),
            sql<number>`(count(*) filter (where kind = 'helpful'))::int`.as('helpful'),
            sql<number>`(count(*) filter (where kind = 'not_helpful'))::int`.as('not_helpful'),
          ])
          .whereRef('faq_uses.entry_id', '=', 'faq_entries.id')
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['c.answered', 'c.helpful', 'c.not_helpful']);

/** The FAQ's revision (null: the channel never had an FAQ). One index lookup per question. */
export const faqRevision = async (db: Tx, channelId: string): Promise<string | null> =>
  (
    await db
      .selectFrom('faq_channels')
      .select('revision')
      .where('channel_id', '=', channelId)
      .executeTakeFirst()
  )?.revision ?? null;

/** The channel's FAQ head row, created if missing, locked for the import's transaction. */
export async function lockFaqChannel(trx: Transaction<Database>, channelId: string) {
  await trx
    .insertInto('faq_channels')
    .values({ channel_id: channelId })
    .onConflict((oc) => oc.column('channel_id').doNothing())
    .execute();
  return trx
    .selectFrom('faq_channels')
    .select(['revision', 'next_row_no'])
    .where('channel_id', '=', channelId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export const bumpFaqChannel = (trx: Transaction<Database>, channelId: string, nextRowNo: number) =>
  trx
    .updateTable('faq_channels')
    .set({ revision: sql`revision + 1`, next_row_no: nextRowNo, updated_at: new Date() })
    .where('channel_id', '=', channelId)
    .execute();

export const entriesOfChannel = (db: Tx, channelId: string) =>
  db
    .selectFrom('faq_entries')
    .select(ENTRY_COLUMNS)
    .where('channel_id', '=', channelId)
    .orderBy('row_no')
    .execute();

/** The revision and the rows read in one snapshot (the index is built from what that revision had). */
export async function entriesWithRevision(db: Kysely<Database>, channelId: string) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({
      revision: await faqRevision(trx, channelId),
      rows: await entriesOfChannel(trx, channelId),
    }));
}

export const rowNosOfChannel = async (db: Tx, channelId: string): Promise<Set<number>> =>
  new Set(
    (await db.selectFrom('faq_entries').select('row_no').where('channel_id', '=', channelId).execute()).map(
      (r) => r.row_no,
    ),
  );

export const entriesById = (db: Tx, channelId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : withCounts(db.selectFrom('faq_entries').select(ENTRY_COLUMNS))
        .where('faq_entries.channel_id', '=', channelId)
        .where('faq_entries.id', 'in', ids)
        .execute();

export interface FaqListFilter {
  q?: string;
  category?: string;
  limit: number;
  offset: number;
}

export async function listEntries(db: Tx, channelId: string, f: FaqListFilter) {
  let query = db.selectFrom('faq_entries').where('channel_id', '=', channelId);
  if (f.category !== undefined) query = query.where('category', '=', f.category);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('question', 'ilike', like),
        eb('answer', 'ilike', like),
        eb(sql<string>`array_to_string(keywords, ' ')`, 'ilike', like),
      ]),
    );
  }
  const [items, total] = await Promise.all([
    withCounts(query.select(ENTRY_COLUMNS)).orderBy('row_no').limit(f.limit).offset(f.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export interface FaqEntryInput {
  question: string;
  answer: string;
  category: string;
  keywords: string[];
  link: string | null;
}

export const insertEntries = (
  trx: Transaction<Database>,
  channelId: string,
  rows: (FaqEntryInput & { rowNo: number })[],
) =>
  rows.length === 0
    ? Promise.resolve()
    : trx
        .insertInto('faq_entries')
        .values(
          rows.map((r) => ({
            channel_id: channelId,
            row_no: r.rowNo,
            question: r.question,
            answer: r.answer,
            category: r.category,
            keywords: r.keywords,
            link: r.link,
          })),
        )
        .execute();

export const updateEntry = (trx: Transaction<Database>, channelId: string, rowNo: number, r: FaqEntryInput) =>
  trx
    .updateTable('faq_entries')
    .set({
      question: r.question,
      answer: r.answer,
      category: r.category,
      keywords: r.keywords,
      link: r.link,
      updated_at: new Date(),
    })
    .where('channel_id', '=', channelId)
    .where('row_no', '=', rowNo)
    .execute();

/** Removes rows and their uses (faq_uses has no foreign key: see migration 2026120303). */
export const deleteEntries = (trx: Transaction<Database>, channelId: string, rowNos: number[]) =>
  rowNos.length === 0
    ? Promise.resolve()
    : trx
        .with('gone', (db) =>
          db
            .deleteFrom('faq_entries')
            .where('channel_id', '=', channelId)
            .where('row_no', 'in', rowNos)
            .returning('id'),
        )
        .deleteFrom('faq_uses')
        .where('channel_id', '=', channelId)
        .where('entry_id', 'in', (eb) => eb.selectFrom('gone').select('id'))
        .execute();

/**
 * Counts one use of a row: shown as the answer, or a helpful / not helpful tap — one INSERT of a
 * faq_uses row (no shared row is updated). Answers the row (null: no such row in the channel).
 */
export const countEntry = async (
  trx: Tx,
  channelId: string,
  id: string,
  what: 'answered' | 'helpful' | 'not_helpful',
) =>
  (await trx
    .with('e', (db) =>
      db
        .selectFrom('faq_entries')
        .select([...ENTRY_COLUMNS, 'channel_id'])
        .where('channel_id', '=', channelId)
        .where('id', '=', id),
    )
    .with('u', (db) =>
      db
        .insertInto('faq_uses')
        .columns(['channel_id', 'entry_id', 'kind'])
        .expression((eb) =>
          eb.selectFrom('e').select(['channel_id', 'id', sql<string>`${what}::text`.as('kind')]),
        ),
    )
    .selectFrom('e')
    .selectAll()
    .executeTakeFirst()) ?? null;

/**
 * Counts uses of rows (a dispatch batch's, in one INSERT): rows no longer in their channel (deleted
 * meanwhile) are skipped.
 */
export async function insertUseRows(trx: Tx, rows: Insertable<FaqUsesTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into faq_uses (channel_id, entry_id, kind)
    select e.channel_id, e.id, v.kind
      from unnest(${rows.map((r) => r.channel_id)}::uuid[], ${rows.map((r) => r.entry_id)}::uuid[],
                  ${rows.map((r) => r.kind)}::text[]) with ordinality as v (channel_id, entry_id, kind, n)
      join faq_entries e on e.id = v.entry_id and e.channel_id = v.channel_id
     order by v.n
  `.execute(trx);
}

/** More asks of unanswered questions: one INSERT (a dismissed one comes back, counted from one). */
export async function insertUnansweredRows(trx: Tx, rows: Insertable<FaqUnansweredAsksTable>[]) {
  if (rows.length > 0) await trx.insertInto('faq_unanswered_asks').values(rows).execute();
}

/** The asks after the text's last dismissal, per text: most asked first, then the latest. */
export const listUnanswered = (db: Tx, channelId: string, limit: number) =>
  db
    .selectFrom('faq_unanswered_asks as a')
    .leftJoin('faq_unanswered_dismissals as d', (join) =>
      join.onRef('d.channel_id', '=', 'a.channel_id').onRef('d.text', '=', 'a.text'),
    )
    .where('a.channel_id', '=', channelId)
    .where((eb) => eb.or([eb('d.dismissed_at', 'is', null), eb('a.at', '>', eb.ref('d.dismissed_at'))]))
    .groupBy('a.text')
    .select(['a.text', sql<number>`count(*)::int`.as('count'), sql<Date>`max(a.at)`.as('last_asked_at')])
    .orderBy('count', 'desc')
    .orderBy('last_asked_at', 'desc')
    .limit(limit)
    .execute();

/** Dismisses the text's asks so far (a staff action); false when it has none since its last dismissal. */
export async function dismissUnanswered(db: Tx, channelId: string, text: string): Promise<boolean> {
  const r = await sql`
    insert into faq_unanswered_dismissals (channel_id, text)
    select ${channelId}, ${text}
     where exists (
       select 1 from faq_unanswered_asks a
        where a.channel_id = ${channelId} and a.text = ${text}
          and a.at > coalesce(
            (select d.dismissed_at from faq_unanswered_dismissals d
              where d.channel_id = ${channelId} and d.text = ${text}),
            '-infinity')
     )
    on conflict (channel_id, text) do update set dismissed_at = excluded.dismissed_at
  `.execute(db);
  return (r.numAffectedRows ?? 0n) > 0n;
}

export const faqStats = (db: Tx, channelId: string) =>
  withCounts(db.selectFrom('faq_entries').select(['row_no', 'question', 'category']))
    .where('faq_entries.channel_id', '=', channelId)
    .orderBy('row_no')
    .execute();
