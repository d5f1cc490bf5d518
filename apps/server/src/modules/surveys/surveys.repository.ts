import { randomUUID } from 'node:crypto';
import { type Insertable, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, SurveyFilesTable, SurveyResponsesTable, SurveysTable } from '../../db/schema.ts';

// All SQL of surveys and public comment (Q-01 … Q-05): surveys, their document, the answers, their
// files and who changed them. The survey's form (items, choices) is the form engine's (forms module).

type Tx = Db | Transaction<Database>;

export type SurveyRow = Selectable<SurveysTable>;
export type ResponseRow = Selectable<SurveyResponsesTable>;

const SURVEY_COLUMNS = [
  's.id',
  's.channel_id',
  's.form_id',
  's.kind',
  's.status',
  's.mode',
  's.anonymous',
  's.opens_at',
  's.closes_at',
  's.audience_segment_id',
  's.results_published',
  's.results_summary',
  's.created_by',
  's.created_at',
  's.updated_at',
] as const;

/** A survey row with its form's title and description, its answer count and its document's size. */
const surveyWithCounts = (db: Tx) =>
  db
    .selectFrom('surveys as s')
    .innerJoin('forms as f', 'f.id', 's.form_id')
    .leftJoin('survey_documents as d', 'd.survey_id', 's.id')
    .select([
      ...SURVEY_COLUMNS,
      'f.title',
      'f.description',
      'd.file_name as document_name',
      sql<number | null>`octet_length(d.bytes)`.as('document_bytes'),
      (eb) =>
        eb
          .selectFrom('survey_responses as r')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('r.survey_id', '=', 's.id')
          .as('responses'),
    ]);

export type SurveyListRow = Awaited<ReturnType<typeof listSurveyRows>>[number];

export const listSurveyRows = (db: Tx, channelId: string) =>
  surveyWithCounts(db).where('s.channel_id', '=', channelId).orderBy('s.created_at', 'desc').execute();

export const findSurveyRow = (db: Tx, id: string) =>
  surveyWithCounts(db).where('s.id', '=', id).executeTakeFirst();

/** Locks the survey row: changes of one survey's settings, and answers in overwrite mode, in turn. */
export const lockSurveyRow = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('surveys').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function insertSurveyRow(trx: Tx, values: Insertable<SurveysTable>): Promise<string> {
  const row = await trx.insertInto('surveys').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSurveyRow(trx: Tx, id: string, change: Updateable<SurveysTable>) {
  await trx
    .updateTable('surveys')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Deletes a draft survey (its form is the forms module's to delete). */
export async function deleteSurveyRow(trx: Transaction<Database>, id: string) {
  await trx.deleteFrom('surveys').where('id', '=', id).execute();
}

export const hasResponses = async (db: Tx, surveyId: string) =>
  (await db
    .selectFrom('survey_responses')
    .select('id')
    .where('survey_id', '=', surveyId)
    .limit(1)
    .executeTakeFirst()) !== undefined;

export const findResponseIdRow = (db: Tx, surveyId: string, id: string) =>
  db
    .selectFrom('survey_responses')
    .select('id')
    .where('survey_id', '=', surveyId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findDocumentRow = (db: Tx, surveyId: string) =>
  db.selectFrom('survey_documents').selectAll().where('survey_id', '=', surveyId).executeTakeFirst();

export async function putDocumentRow(
  db: Tx,
  d: { surveyId: string; fileName: string; contentType: string; bytes: Buffer },
) {
  const values = { file_name: d.fileName, content_type: d.contentType, bytes: d.bytes };
  await db
    .insertInto('survey_documents')
    .values({ survey_id: d.surveyId, ...values })
    .onConflict((oc) => oc.column('survey_id').doUpdateSet({ ...values, uploaded_at: new Date() }))
    .execute();
}

export const deleteDocumentRow = (db: Tx, surveyId: string) =>
  db.deleteFrom('survey_documents').where('survey_id', '=', surveyId).executeTakeFirst();

// ---------------------------------------------------------------------------------------------
// Answers

/** The respondent's answer in overwrite mode (slot 'only'), locked. */
export const lockOnlyResponseRow = (trx: Transaction<Database>, surveyId: string, respondentKey: Buffer) =>
  trx
    .selectFrom('survey_responses')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('respondent_key', '=', respondentKey)
    .where('slot', '=', 'only')
    .forUpdate()
    .executeTakeFirst();

export const findOnlyResponseRow = (db: Tx, surveyId: string, respondentKey: Buffer) =>
  db
    .selectFrom('survey_responses')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('respondent_key', '=', respondentKey)
    .where('slot', '=', 'only')
    .executeTakeFirst();

/** The answer an earlier send with this request key made (a retried send). */
export const findResponseByRequest = (db: Tx, surveyId: string, respondentKey: Buffer, requestKey: string) =>
  db
    .selectFrom('survey_responses')
    .select(['id', 'submitted_at'])
    .where('survey_id', '=', surveyId)
    .where('respondent_key', '=', respondentKey)
    .where('request_key', '=', requestKey)
    .executeTakeFirst();

export interface ResponseWrite {
  surveyId: string;
  respondentKey: Buffer;
  friendId: string | null;
  requestKey: string | null;
  choiceIds: string[];
  numbers: Record<string, number>;
  textsEnc: Buffer | null;
  /** Keys of the text answers present (their content stays sealed). */
  textKeys: string[];
}

/** A new answer: slot 'only' (overwrite mode) or its own ID (append mode). */
export async function insertResponseRow(db: Tx, r: ResponseWrite, slot: 'only' | 'own') {
  const id = randomUUID();
  return db
    .insertInto('survey_responses')
    .values({
      id,
      survey_id: r.surveyId,
      respondent_key: r.respondentKey,
      slot: slot === 'only' ? 'only' : id,
      friend_id: r.friendId,
      request_key: r.requestKey,
      choice_ids: r.choiceIds,
      numbers: JSON.stringify(r.numbers),
      texts_enc: r.textsEnc,
      text_keys: r.textKeys,
    })
    .returning(['id', 'submitted_at'])
    .executeTakeFirstOrThrow();
}

/** Replaces an answer's answers (overwrite mode, or staff-only items). */
export async function updateResponseAnswers(
  db: Tx,
  id: string,
  a: Pick<ResponseWrite, 'choiceIds' | 'numbers' | 'textsEnc' | 'textKeys'> & { requestKey?: string | null },
) {
  return db
    .updateTable('survey_responses')
    .set({
      choice_ids: a.choiceIds,
      numbers: JSON.stringify(a.numbers),
      texts_enc: a.textsEnc,
      text_keys: a.textKeys,
      ...(a.requestKey !== undefined ? { request_key: a.requestKey } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(['id', 'submitted_at', 'updated_at'])
    .executeTakeFirstOrThrow();
}

export const lockResponseRow = (trx: Transaction<Database>, surveyId: string, id: string) =>
  trx
    .selectFrom('survey_responses')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export async function setResponseStatus(
  trx: Tx,
  id: string,
  status: ResponseRow['status'],
  staffId: string | null,
) {
  await trx
    .updateTable('survey_responses')
    .set({ status, status_changed_at: new Date(), status_changed_by: staffId })
    .where('id', '=', id)
    .execute();
}

export async function insertChangeRow(
  trx: Tx,
  c: {
    responseId: string;
    staffId: string | null;
    field: 'status' | 'staff_answers';
    from: string;
    to: string;
  },
) {
  await trx
    .insertInto('survey_response_changes')
    .values({
      response_id: c.responseId,
      staff_id: c.staffId,
      field: c.field,
      from_value: c.from,
      to_value: c.to,
    })
    .execute();
}

export const listChangeRows = (db: Tx, responseId: string) =>
  db
    .selectFrom('survey_response_changes as c')
    .leftJoin('staff_accounts as a', 'a.id', 'c.staff_id')
    .select(['c.at', 'c.field', 'c.from_value', 'c.to_value', 'a.display_name as staff'])
    .where('c.response_id', '=', responseId)
    .orderBy('c.at')
    .orderBy('c.id')
    .execute();

export interface ResponseFilter {
  status?: ResponseRow['status'];
  from?: Date;
  to?: Date;
  choice?: string;
  /** Page key: answers older than this (submitted_at as PostgreSQL wrote it, to the microsecond; id). */
  before?: { at: string; id: string };
}

/**
 * Answers of the survey, newest first, with the friend's name (named surveys) and who set the status.
 * With `limit`, the page is taken from the list index first and only its rows are joined: joining
 * before the limit made PostgreSQL read and hash every answer after the page key for each page, so
 * an export of 200,000 answers took time growing with the square of their number.
 */
export function responseRows(db: Tx, surveyId: string, f: ResponseFilter, limit?: number) {
  let page = db
    .selectFrom('survey_responses as r')
    .select([
      'r.id',
      'r.survey_id',
      'r.friend_id',
      'r.choice_ids',
      'r.numbers',
      'r.texts_enc',
      'r.status',
      'r.status_changed_at',
      'r.status_changed_by as status_changed_by_id',
      'r.submitted_at',
      'r.updated_at',
      // The page key keeps the microseconds a JavaScript Date would drop.
      sql<string>`r.submitted_at::text`.as('page_at'),
    ])
    .where('r.survey_id', '=', surveyId);
  if (f.status) page = page.where('r.status', '=', f.status);
  if (f.from) page = page.where('r.submitted_at', '>=', f.from);
  if (f.to) page = page.where('r.submitted_at', '<', f.to);
  if (f.choice) page = page.where(sql<boolean>`r.choice_ids @> array[${f.choice}]::bigint[]`);
  if (f.before) {
    const b = f.before;
    page = page.where(sql<boolean>`(r.submitted_at, r.id) < (${b.at}::timestamptz, ${b.id}::uuid)`);
  }
  page = page.orderBy('r.submitted_at', 'desc').orderBy('r.id', 'desc');
  if (limit !== undefined) page = page.limit(limit);
  return db
    .selectFrom(page.as('r'))
    .leftJoin('friends as fr', 'fr.id', 'r.friend_id')
    .leftJoin('staff_accounts as a', 'a.id', 'r.status_changed_by_id')
    .selectAll('r')
    .select([
      'fr.display_name',
      'a.display_name as status_changed_by',
      // The answer's files (file items), names still sealed: one list per row, no query per row.
      sql<ResponseFileCell[]>`(
        select coalesce(jsonb_agg(jsonb_build_object(
                 'id', f.id, 'itemKey', f.item_key, 'nameEnc', encode(f.name_enc, 'base64'),
                 'contentType', f.content_type, 'bytes', f.byte_size) order by f.item_key, f.position), '[]')
          from survey_files f where f.response_id = r.id)`.as('files'),
    ])
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id', 'desc');
}

export async function countResponses(db: Tx, surveyId: string, f: Omit<ResponseFilter, 'before'>) {
  let q = db
    .selectFrom('survey_responses as r')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('r.survey_id', '=', surveyId);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.from) q = q.where('r.submitted_at', '>=', f.from);
  if (f.to) q = q.where('r.submitted_at', '<', f.to);
  if (f.choice) q = q.where(sql<boolean>`r.choice_ids @> array[${f.choice}]::bigint[]`);
  return (await q.executeTakeFirstOrThrow()).n;
}

/** Answers per status, and per chosen choice (the results' charts): counted in the database. */
export async function responseCounts(db: Tx, surveyId: string) {
  const [byStatus, byChoice] = await Promise.all([
    db
      .selectFrom('survey_responses')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('survey_id', '=', surveyId)
      .groupBy('status')
      .execute(),
    sql<{ choice_id: string; n: number }>`
      select c.choice_id::text as choice_id, count(*)::int as n
        from survey_responses r, unnest(r.choice_ids) as c (choice_id)
       where r.survey_id = ${surveyId}
       group by c.choice_id
    `.execute(db),
  ]);
  return { byStatus, byChoice: byChoice.rows };
}

/** Per choice item: how many answers hold at least one of its choices. */
export async function choiceItemsAnswered(db: Tx, surveyId: string, items: { key: string; ids: string[] }[]) {
  if (items.length === 0) return [];
  const r = await sql<{ key: string; n: number }>`
    select j.key, (select count(*)::int from survey_responses r
                    where r.survey_id = ${surveyId} and r.choice_ids && j.ids::bigint[]) as n
      from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as j (key text, ids text[])
  `.execute(db);
  return r.rows;
}

/** Per text item: how many answered (from the keys kept beside the sealed texts). */
export async function textCounts(db: Tx, surveyId: string) {
  const r = await sql<{ key: string; n: number }>`
    select k.key, count(*)::int as n
      from survey_responses r, unnest(r.text_keys) as k (key)
     where r.survey_id = ${surveyId}
     group by k.key
  `.execute(db);
  return r.rows;
}

/** Per number item: how many answered, min, max, mean (keys are the form's number items). */
export async function numberStats(db: Tx, surveyId: string, keys: string[]) {
  if (keys.length === 0) return [];
  const r = await sql<{
    key: string;
    answered: number;
    min: number | null;
    max: number | null;
    mean: number | null;
  }>`
    select k.key, count(v.n)::int as answered, min(v.n) as min, max(v.n) as max, avg(v.n)::float8 as mean
      from unnest(${keys}::text[]) as k (key)
      left join lateral (
        select (r.numbers ->> k.key)::float8 as n
          from survey_responses r
         where r.survey_id = ${surveyId} and r.numbers ? k.key
      ) v on true
     group by k.key
  `.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------------------------------------
// Files of answers (file items, Q-01): uploaded first, taken by the answer that names them

/** One file of an answer as responseRows lists it (the name sealed, base64). */
export interface ResponseFileCell {
  id: string;
  itemKey: string;
  nameEnc: string;
  contentType: SurveyFilesTable['content_type'];
  bytes: number;
}

export const insertFileRow = async (db: Tx, values: Insertable<SurveyFilesTable>) =>
  (await db.insertInto('survey_files').values(values).returning('id').executeTakeFirstOrThrow()).id;

/** Uploads of this respondent to this survey since `since` that no answer took (a bound on strays). */
export const countUnusedFiles = async (db: Tx, surveyId: string, respondentKey: Buffer, since: Date) =>
  (
    await db
      .selectFrom('survey_files')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('survey_id', '=', surveyId)
      .where('respondent_key', '=', respondentKey)
      .where('response_id', 'is', null)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow()
  ).n;

/** Deletes this respondent's upload to this survey if no answer took it; answers whether it did. */
export const deleteUnusedFile = async (db: Tx, surveyId: string, respondentKey: Buffer, fileId: string) =>
  Number(
    (
      await db
        .deleteFrom('survey_files')
        .where('id', '=', fileId)
        .where('survey_id', '=', surveyId)
        .where('respondent_key', '=', respondentKey)
        .where('response_id', 'is', null)
        .executeTakeFirst()
    ).numDeletedRows,
  ) > 0;

/**
 * The files among `ids` this respondent uploaded to this survey that are free or already this
 * answer's (`responseId`), locked: an answer takes them.
 */
export const lockFilesForAnswer = (
  trx: Transaction<Database>,
  surveyId: string,
  respondentKey: Buffer,
  ids: string[],
  responseId: string | null,
) =>
  ids.length === 0
    ? Promise.resolve([])
    : trx
        .selectFrom('survey_files')
        .select(['id', 'content_type'])
        .where('id', 'in', ids)
        .where('survey_id', '=', surveyId)
        .where('respondent_key', '=', respondentKey)
        .where((eb) =>
          responseId
            ? eb.or([eb('response_id', 'is', null), eb('response_id', '=', responseId)])
            : eb('response_id', 'is', null),
        )
        .orderBy('id')
        .forUpdate()
        .execute();

/** The answer's files become exactly these (item, place); its other files are deleted. */
export async function setResponseFiles(
  trx: Transaction<Database>,
  responseId: string,
  files: { id: string; itemKey: string; position: number }[],
) {
  let drop = trx.deleteFrom('survey_files').where('response_id', '=', responseId);
  if (files.length > 0)
    drop = drop.where(
      'id',
      'not in',
      files.map((f) => f.id),
    );
  await drop.execute();
  for (const f of files)
    await trx
      .updateTable('survey_files')
      .set({ response_id: responseId, item_key: f.itemKey, position: f.position })
      .where('id', '=', f.id)
      .execute();
}

/** The files an answer holds (names sealed), by item and place. */
export const responseFileRows = (db: Tx, responseId: string) =>
  db
    .selectFrom('survey_files')
    .select(['id', 'item_key', 'name_enc', 'content_type', 'byte_size'])
    .where('response_id', '=', responseId)
    .orderBy('item_key')
    .orderBy('position')
    .execute();

/** One file with its bytes, only when it is this answer's and the answer is this survey's. */
export const findResponseFileRow = (db: Tx, surveyId: string, responseId: string, fileId: string) =>
  db
    .selectFrom('survey_files as f')
    .innerJoin('survey_responses as r', 'r.id', 'f.response_id')
    .select(['f.id', 'f.item_key', 'f.name_enc', 'f.content_type', 'f.byte_size', 'f.bytes_enc'])
    .where('f.id', '=', fileId)
    .where('f.response_id', '=', responseId)
    .where('f.survey_id', '=', surveyId)
    .where('r.survey_id', '=', surveyId)
    .executeTakeFirst();

/** Uploads no answer took, made before `before`, are deleted; answers how many. */
export const pruneUnusedFiles = async (db: Tx, before: Date) =>
  Number(
    (
      await db
        .deleteFrom('survey_files')
        .where('response_id', 'is', null)
        .where('created_at', '<', before)
        .executeTakeFirst()
    ).numDeletedRows,
  );
