import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

// All SQL of the FAQ (B-04): faq_channels, faq_entries, faq_unanswered (modules/chatbot).

type Tx = Kysely<Database> | Transaction<Database>;

const ENTRY_COLUMNS = [
  'id',
  'row_no',
  'question',
  'answer',
  'category',
  'keywords',
  'link',
  'answered',
  'helpful',
  'not_helpful',
  'updated_at',
] as const;

export type FaqEntryRow = Awaited<ReturnType<typeof entriesOfChannel>>[number];

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
    : db
        .selectFrom('faq_entries')
        .select(ENTRY_COLUMNS)
        .where('channel_id', '=', channelId)
        .where('id', 'in', ids)
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
    query.select(ENTRY_COLUMNS).orderBy('row_no').limit(f.limit).offset(f.offset).execute(),
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

export const deleteEntries = (trx: Transaction<Database>, channelId: string, rowNos: number[]) =>
  rowNos.length === 0
    ? Promise.resolve()
    : trx
        .deleteFrom('faq_entries')
        .where('channel_id', '=', channelId)
        .where('row_no', 'in', rowNos)
        .execute();

/** Counts one use of a row: shown as the answer, or a helpful / not helpful tap. Answers whether it exists. */
export async function countEntry(
  trx: Tx,
  channelId: string,
  id: string,
  what: 'answered' | 'helpful' | 'not_helpful',
) {
  const row = await trx
    .updateTable('faq_entries')
    .set({ [what]: sql`${sql.ref(what)} + 1` })
    .where('channel_id', '=', channelId)
    .where('id', '=', id)
    .returning(ENTRY_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/** One more ask of an unanswered question (a dismissed one comes back, counted from one). */
export const recordUnanswered = (trx: Tx, channelId: string, text: string) =>
  trx
    .insertInto('faq_unanswered')
    .values({ channel_id: channelId, text })
    .onConflict((oc) =>
      oc.columns(['channel_id', 'text']).doUpdateSet({
        count: sql`case when faq_unanswered.dismissed_at is null then faq_unanswered.count + 1 else 1 end`,
        last_asked_at: new Date(),
        dismissed_at: null,
      }),
    )
    .execute();

export const listUnanswered = (db: Tx, channelId: string, limit: number) =>
  db
    .selectFrom('faq_unanswered')
    .select(['text', 'count', 'last_asked_at'])
    .where('channel_id', '=', channelId)
    .where('dismissed_at', 'is', null)
    .orderBy('count', 'desc')
    .orderBy('last_asked_at', 'desc')
    .limit(limit)
    .execute();

export const dismissUnanswered = async (db: Tx, channelId: string, text: string) =>
  (
    await db
      .updateTable('faq_unanswered')
      .set({ dismissed_at: new Date() })
      .where('channel_id', '=', channelId)
      .where('text', '=', text)
      .where('dismissed_at', 'is', null)
      .executeTakeFirst()
  ).numUpdatedRows > 0n;

export const faqStats = (db: Tx, channelId: string) =>
  db
    .selectFrom('faq_entries')
    .select(['row_no', 'question', 'category', 'answered', 'helpful', 'not_helpful'])
    .where('channel_id', '=', channelId)
    .orderBy('row_no')
    .execute();
