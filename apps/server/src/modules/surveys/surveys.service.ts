import type { Answers } from '@madoguchi/contracts/forms.ts';
import type {
  PublicSurvey as PublicSurveyOf,
  ResponseChangeView,
  ResponsePage,
  ResponseStatus,
  ResponseView,
  SurveyAnswerAccepted,
  SurveyAvailability,
  SurveySummary,
  SurveyView as SurveyViewOf,
} from '@madoguchi/contracts/surveys.ts';
import { RESPONSE_STATUS_LABELS, SURVEY_LIMITS } from '@madoguchi/contracts/surveys.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { decodePageKey, encodePageKey } from '../../platform/http/page-key.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import {
  answerFormatter,
  answerProblems,
  answersOf,
  applyAnswers,
  createForm,
  deleteForm,
  type FormView,
  loadForm,
  publicForm,
  type StoredAnswers,
  sealTexts,
  setFormText,
  storedAnswers,
  textKeysOf,
} from '../forms/forms.service.ts';
import { findFriendByLineUser } from '../friends/friends.service.ts';
import { friendInSegment, getSegment } from '../segments/segments.service.ts';
import { answerFiles, checkAnswerFiles, filesOfCells, responseFileViews, withFiles } from './survey-files.ts';
import {
  countResponses,
  deleteDocumentRow,
  deleteSurveyRow,
  findDocumentRow,
  findOnlyResponseRow,
  findResponseByRequest,
  findResponseIdRow,
  findSurveyRow,
  hasResponses,
  insertChangeRow,
  insertResponseRow,
  insertSurveyRow,
  listChangeRows,
  listSurveyRows,
  lockOnlyResponseRow,
  lockResponseRow,
  lockSurveyRow,
  putDocumentRow,
  type ResponseFilter,
  responseRows,
  type SurveyListRow,
  setResponseFiles,
  setResponseStatus,
  updateResponseAnswers,
  updateSurveyRow,
} from './surveys.repository.ts';
import type { SurveyCreate, SurveyUpdate } from './surveys.schema.ts';

// Surveys and public comment (Q-01 … Q-05): staff design a survey (its settings here, its items with
// the form engine's designer), open and close it; friends answer from LINE within its period and
// audience, once (overwrite mode: sending again replaces the answer) or as often as they like
// (append mode); staff read the results, triage each answer (未対応 / 対応中 / 完了, with who changed
// what) and export them. An anonymous survey keeps who answered only as a keyed hash.

export type SurveyView = SurveyViewOf<Date>;
export type PublicSurvey = PublicSurveyOf<Date>;

export interface SurveyDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  /** The respondent's key: an HMAC of channel, LINE user and survey (never the user ID itself). */
  respondentKey(channelId: string, lineUserId: string, surveyId: string): Buffer;
}

const surveyLink = (liffId: string | null, id: string) =>
  liffId ? `https://liff.line.me/${liffId}?page=survey&id=${id}` : null;

function summaryOf(r: SurveyListRow): SurveySummary<Date> {
  return {
    id: r.id,
    channelId: r.channel_id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    mode: r.mode,
    anonymous: r.anonymous,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    responses: r.responses ?? 0,
    updatedAt: r.updated_at,
  };
}

async function requireSurvey(db: Db | Transaction<Database>, id: string) {
  const row = await findSurveyRow(db, id);
  if (!row) throw notFound('アンケート');
  return row;
}

export async function listSurveys(deps: SurveyDeps, channelId: string): Promise<SurveySummary<Date>[]> {
  await deps.channels.get(channelId);
  return (await listSurveyRows(deps.db, channelId)).map(summaryOf);
}

export async function getSurvey(deps: SurveyDeps, id: string): Promise<SurveyView> {
  const row = await requireSurvey(deps.db, id);
  const [form, channel] = await Promise.all([
    loadForm(deps.db, row.form_id),
    deps.channels.get(row.channel_id),
  ]);
  return {
    ...summaryOf(row),
    description: row.description,
    audienceSegmentId: row.audience_segment_id,
    document: row.document_name ? { fileName: row.document_name, bytes: row.document_bytes ?? 0 } : null,
    resultsPublished: row.results_published,
    resultsSummary: row.results_summary,
    form,
    link: surveyLink(channel.liffId, row.id),
  };
}

function checkPeriod(opensAt: Date | null, closesAt: Date | null) {
  if (opensAt && closesAt && opensAt >= closesAt)
    throw badRequest('SURVEY_PERIOD_INVALID', '受付終了は受付開始より後の日時にしてください', [
      { path: 'closesAt', message: '受付終了は受付開始より後の日時にしてください' },
    ]);
}

const dateOrNull = (v: string | null | undefined) => (v ? new Date(v) : null);

async function checkSegment(deps: SurveyDeps, channelId: string, segmentId: string | null | undefined) {
  if (!segmentId) return;
  const segment = await getSegment(deps.db, segmentId).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  });
  if (segment?.channelId !== channelId)
    throw badRequest('SURVEY_SEGMENT_UNKNOWN', '対象のセグメントがこのチャネルにありません', [
      { path: 'audienceSegmentId', message: '対象のセグメントがこのチャネルにありません' },
    ]);
}

export async function createSurvey(deps: SurveyDeps, input: SurveyCreate, staffId: string | null) {
  await deps.channels.get(input.channelId);
  const opensAt = dateOrNull(input.opensAt);
  const closesAt = dateOrNull(input.closesAt);
  checkPeriod(opensAt, closesAt);
  await checkSegment(deps, input.channelId, input.audienceSegmentId);
  const id = await deps.db.transaction().execute(async (trx) =>
    insertSurveyRow(trx, {
      channel_id: input.channelId,
      form_id: await createForm(trx, {
        channelId: input.channelId,
        purpose: 'survey',
        title: input.title,
        description: input.description,
      }),
      kind: input.kind,
      mode: input.mode,
      anonymous: input.anonymous,
      opens_at: opensAt,
      closes_at: closesAt,
      audience_segment_id: input.audienceSegmentId,
      created_by: staffId,
    }),
  );
  return getSurvey(deps, id);
}

export async function updateSurvey(deps: SurveyDeps, id: string, change: SurveyUpdate) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockSurveyRow(trx, id);
    if (!row) throw notFound('アンケート');
    const opensAt = change.opensAt !== undefined ? dateOrNull(change.opensAt) : row.opens_at;
    const closesAt = change.closesAt !== undefined ? dateOrNull(change.closesAt) : row.closes_at;
    checkPeriod(opensAt, closesAt);
    if (change.audienceSegmentId !== undefined)
      await checkSegment(deps, row.channel_id, change.audienceSegmentId);
    if (row.status !== 'draft' && change.anonymous !== undefined && change.anonymous !== row.anonymous)
      throw conflict('SURVEY_ANONYMITY_FIXED', '受付を始めたアンケートの匿名・記名は変更できません');
    if (change.mode !== undefined && change.mode !== row.mode && row.status !== 'draft')
      throw conflict(
        'SURVEY_MODE_FIXED',
        '受付を始めたアンケートの回答の扱い（上書き・追加）は変更できません',
      );
    const { title, description, ...rest } = change;
    if (title !== undefined || description !== undefined)
      await setFormText(trx, row.form_id, {
        ...(title !== undefined ? { title } : {}),
        ...(description !== undefined ? { description } : {}),
      });
    await updateSurveyRow(trx, id, {
      ...(rest.mode !== undefined ? { mode: rest.mode } : {}),
      ...(rest.anonymous !== undefined ? { anonymous: rest.anonymous } : {}),
      ...(change.opensAt !== undefined ? { opens_at: opensAt } : {}),
      ...(change.closesAt !== undefined ? { closes_at: closesAt } : {}),
      ...(rest.audienceSegmentId !== undefined ? { audience_segment_id: rest.audienceSegmentId } : {}),
      ...(rest.resultsPublished !== undefined ? { results_published: rest.resultsPublished } : {}),
      ...(rest.resultsSummary !== undefined ? { results_summary: rest.resultsSummary } : {}),
    });
  });
  return getSurvey(deps, id);
}

/** Opens (accepting answers within the period) or closes a survey. */
export async function setSurveyStatus(deps: SurveyDeps, id: string, status: 'open' | 'closed') {
  const row = await requireSurvey(deps.db, id);
  if (status === 'open') {
    const form = await loadForm(deps.db, row.form_id);
    if (!form.items.some((i) => !i.retired && i.type !== 'description' && !i.config.staffOnly))
      throw conflict(
        'SURVEY_NO_ITEMS',
        '回答する項目が1つもありません。項目を追加してから受付を始めてください',
      );
  }
  await updateSurveyRow(deps.db, id, { status });
  return getSurvey(deps, id);
}

export async function deleteSurvey(deps: SurveyDeps, id: string) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockSurveyRow(trx, id);
    if (!row) throw notFound('アンケート');
    if (row.status !== 'draft' || (await hasResponses(trx, id)))
      throw conflict('SURVEY_NOT_DRAFT', '受付を始めたアンケートは削除できません。終了にしてください');
    await deleteSurveyRow(trx, id);
    await deleteForm(trx, row.form_id);
  });
}

/** The public comment's document: a PDF (checked by its first bytes), at most 10 MB. */
export async function putDocument(deps: SurveyDeps, id: string, fileName: string, bytes: Buffer) {
  await requireSurvey(deps.db, id);
  if (bytes.length === 0 || bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw badRequest('SURVEY_DOCUMENT_NOT_PDF', '資料は PDF ファイルを選んでください');
  const name = fileName.trim().slice(0, 200) || '資料.pdf';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f<>"\\/]/.test(name))
    throw badRequest('SURVEY_DOCUMENT_NAME', 'ファイル名に使えない文字が含まれています');
  await deps.db.transaction().execute(async (trx) => {
    await lockSurveyRow(trx, id);
    await putDocumentRow(trx, { surveyId: id, fileName: name, contentType: 'application/pdf', bytes });
  });
  return getSurvey(deps, id);
}

export async function removeDocument(deps: SurveyDeps, id: string) {
  await requireSurvey(deps.db, id);
  await deleteDocumentRow(deps.db, id);
  return getSurvey(deps, id);
}

export async function readDocument(deps: SurveyDeps, id: string) {
  const row = await requireSurvey(deps.db, id);
  const doc = row.status === 'draft' ? undefined : await findDocumentRow(deps.db, id);
  if (!doc) throw notFound('資料');
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Citizens

/** The channel's surveys open now (マイページ lists them; the audience is checked when one is opened). */
export async function openSurveys(db: Db, channelId: string, now = new Date()) {
  return (await listSurveyRows(db, channelId))
    .filter((r) => availabilityOf(r, now) === 'open' && r.status === 'open')
    .map((r) => ({ id: r.id, kind: r.kind, title: r.title }));
}

function availabilityOf(row: { status: string; opens_at: Date | null; closes_at: Date | null }, now: Date) {
  if (row.status === 'closed' || (row.closes_at && now >= row.closes_at)) return 'closed' as const;
  if (row.opens_at && now < row.opens_at) return 'not_open' as const;
  return 'open' as const;
}

type Who = { channelId: string; lineUserId: string };

/** The survey row as this friend may open it, and whether they may answer it now. */
async function citizenSurvey(deps: SurveyDeps, who: Who, id: string, now: Date) {
  const row = await findSurveyRow(deps.db, id);
  // A draft, or another channel's survey, is not there for this friend.
  if (!row || row.status === 'draft' || row.channel_id !== who.channelId)
    throw new AppError(
      404,
      'SURVEY_NOT_FOUND',
      'アンケートが見つかりません。LINE のメッセージから開き直してください',
    );
  let availability: SurveyAvailability = availabilityOf(row, now);
  if (availability === 'open' && row.audience_segment_id) {
    const inside = await friendInSegment(deps.db, row.channel_id, row.audience_segment_id, {
      lineUserId: who.lineUserId,
    });
    if (!inside) availability = 'not_in_audience';
  }
  return { row, availability };
}

/** The survey row when this friend may answer it now (sending answers, uploading their files). */
export async function requireAnswerable(deps: SurveyDeps, who: Who, id: string, now = new Date()) {
  const { row, availability } = await citizenSurvey(deps, who, id, now);
  if (availability === 'not_open')
    throw conflict('SURVEY_NOT_OPEN', 'このアンケートはまだ受付を始めていません');
  if (availability === 'closed') throw conflict('SURVEY_CLOSED', 'このアンケートの受付は終了しました');
  if (availability === 'not_in_audience')
    throw conflict('SURVEY_NOT_FOR_YOU', 'このアンケートは対象の方だけが回答できます');
  return { row };
}

/** The survey as the friend sees it, with their current answer in overwrite mode. */
export async function readSurveyForCitizen(
  deps: SurveyDeps,
  who: Who,
  id: string,
  now = new Date(),
): Promise<PublicSurvey> {
  const { row, availability } = await citizenSurvey(deps, who, id, now);
  const form = await loadForm(deps.db, row.form_id);
  const mine =
    row.mode === 'overwrite'
      ? await findOnlyResponseRow(deps.db, id, deps.respondentKey(who.channelId, who.lineUserId, id))
      : undefined;
  const files = mine ? await answerFiles(deps.db, deps.cipher, mine.id) : [];
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    mode: row.mode,
    anonymous: row.anonymous,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    availability,
    form: publicForm(form),
    answers: mine ? citizenAnswers(form, withFiles(storedAnswers(deps.cipher, mine), files)) : null,
    answerFiles: files.map((f) => ({
      fileId: f.id,
      name: f.name,
      contentType: f.contentType,
      bytes: f.bytes,
    })),
    answeredAt: mine?.updated_at ?? null,
    documentUrl: row.document_name ? `/api/citizen/surveys/${row.id}/document` : null,
    resultsSummary: row.results_published && row.results_summary ? row.results_summary : null,
  };
}

/** The answers a citizen may see again: their own items, not the staff-only ones. */
function citizenAnswers(form: FormView, stored: StoredAnswers): Answers {
  const all = answersOf(form, stored, { includeRetired: false });
  for (const item of form.items) if (item.config.staffOnly) delete all[item.key];
  return all;
}

/**
 * A friend's answers. Overwrite mode: the first send creates the answer, later sends replace the
 * items they name (the staff-only items and the status stay). Append mode: every send is a new
 * answer. The same request key again answers the first outcome and changes nothing.
 */
export async function answerSurvey(
  deps: SurveyDeps,
  who: { channelId: string; lineUserId: string },
  id: string,
  input: { answers: Answers; requestKey?: string },
  now = new Date(),
): Promise<SurveyAnswerAccepted<Date>> {
  await requireAnswerable(deps, who, id, now);
  const friend = await findFriendByLineUser(deps.db, who.channelId, who.lineUserId);
  if (!friend) throw conflict('NOT_A_FRIEND', 'LINE 公式アカウントを友だち追加してから回答してください');
  const key = deps.respondentKey(who.channelId, who.lineUserId, id);
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockSurveyRow(trx, id);
    if (!row) throw notFound('アンケート');
    if (input.requestKey) {
      const earlier = await findResponseByRequest(trx, id, key, input.requestKey);
      if (earlier) return { responseId: earlier.id, submittedAt: earlier.submitted_at, repeated: true };
    }
    const form = await loadForm(trx, row.form_id);
    const previous = row.mode === 'overwrite' ? await lockOnlyResponseRow(trx, id, key) : undefined;
    const { answers, problems } = applyAnswers(
      form,
      previous
        ? withFiles(storedAnswers(deps.cipher, previous), await answerFiles(trx, deps.cipher, previous.id))
        : null,
      input.answers,
      now,
    );
    if (problems.length > 0) throw answerProblems(problems);
    const files = await checkAnswerFiles(
      trx,
      form,
      { surveyId: id, respondentKey: key, responseId: previous?.id ?? null },
      answers,
    );
    const write = {
      choiceIds: answers.choiceIds,
      numbers: answers.numbers,
      textsEnc: sealTexts(deps.cipher, answers.texts),
      textKeys: textKeysOf(form, answers),
    };
    if (previous) {
      const done = await updateResponseAnswers(trx, previous.id, {
        ...write,
        requestKey: input.requestKey ?? null,
      });
      await setResponseFiles(trx, done.id, files);
      return { responseId: done.id, submittedAt: done.updated_at, repeated: false };
    }
    const made = await insertResponseRow(
      trx,
      {
        surveyId: id,
        respondentKey: key,
        friendId: row.anonymous ? null : friend.id,
        requestKey: input.requestKey ?? null,
        ...write,
      },
      row.mode === 'overwrite' ? 'only' : 'own',
    );
    await setResponseFiles(trx, made.id, files);
    return { responseId: made.id, submittedAt: made.submitted_at, repeated: false };
  });
}

// ---------------------------------------------------------------------------------------------
// Results (staff)

export interface ResponseQuery {
  status?: ResponseStatus;
  from?: string;
  to?: string;
  choice?: string;
  before?: string;
  limit: number;
}

const pageKey = (r: { page_at: string; id: string }) => encodePageKey([r.page_at, r.id]);

function parsePageKey(before: string | undefined): ResponseFilter['before'] {
  if (!before) return undefined;
  const parts = decodePageKey(before, ['stamp', 'uuid']);
  if (!parts)
    throw badRequest('SURVEY_PAGE_KEY', '続きの指定（before）が正しくありません', [
      { path: 'before', message: '続きの指定（before）が正しくありません' },
    ]);
  return { at: parts[0]!, id: parts[1]! };
}

export function filterOf(q: Omit<ResponseQuery, 'limit'>): ResponseFilter {
  return {
    ...(q.status ? { status: q.status } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    ...(q.choice ? { choice: q.choice } : {}),
    before: parsePageKey(q.before),
  };
}

type ListedRow = Awaited<ReturnType<ReturnType<typeof responseRows>['execute']>>[number];

export function responseViewOf(
  cipher: Cipher,
  form: FormView,
  anonymous: boolean,
  r: ListedRow,
): ResponseView<Date> {
  const files = filesOfCells(cipher, r.files);
  return {
    id: r.id,
    respondent: anonymous ? null : (r.display_name ?? null),
    status: r.status,
    answers: answersOf(form, withFiles(storedAnswers(cipher, r), files), { includeRetired: true }),
    files: responseFileViews(r.survey_id, r.id, files),
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
    statusChangedAt: r.status_changed_at,
    statusChangedBy: r.status_changed_by,
  };
}

export async function listResponses(
  deps: SurveyDeps,
  surveyId: string,
  q: ResponseQuery,
): Promise<ResponsePage<Date>> {
  const row = await requireSurvey(deps.db, surveyId);
  const form = await loadForm(deps.db, row.form_id);
  const filter = filterOf(q);
  const { before: _before, ...counted } = filter;
  const [rows, total] = await Promise.all([
    responseRows(deps.db, surveyId, filter, q.limit + 1).execute(),
    countResponses(deps.db, surveyId, counted),
  ]);
  const page = rows.slice(0, q.limit);
  return {
    total,
    items: page.map((r) => responseViewOf(deps.cipher, form, row.anonymous, r)),
    next: rows.length > q.limit ? pageKey(page.at(-1)!) : null,
  };
}

/** Staff change an answer's status and/or its staff-only items; both are recorded with who and when. */
export async function updateResponse(
  deps: SurveyDeps,
  surveyId: string,
  responseId: string,
  change: { status?: ResponseStatus; staffAnswers?: Answers },
  staffId: string | null,
): Promise<ResponseView<Date>> {
  const survey = await requireSurvey(deps.db, surveyId);
  const form = await loadForm(deps.db, survey.form_id);
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockResponseRow(trx, surveyId, responseId);
    if (!row) throw notFound('回答');
    if (change.status && change.status !== row.status) {
      await setResponseStatus(trx, responseId, change.status, staffId);
      await insertChangeRow(trx, {
        responseId,
        staffId,
        field: 'status',
        from: RESPONSE_STATUS_LABELS[row.status],
        to: RESPONSE_STATUS_LABELS[change.status],
      });
    }
    if (change.staffAnswers && Object.keys(change.staffAnswers).length > 0) {
      const before = withFiles(storedAnswers(deps.cipher, row), await answerFiles(trx, deps.cipher, row.id));
      const { answers, problems } = applyAnswers(form, before, change.staffAnswers, new Date(), 'staff');
      if (problems.length > 0) throw answerProblems(problems);
      await updateResponseAnswers(trx, responseId, {
        choiceIds: answers.choiceIds,
        numbers: answers.numbers,
        textsEnc: sealTexts(deps.cipher, answers.texts),
        textKeys: textKeysOf(form, answers),
      });
      // Read as staff see it: 「担当メモ: （なし）」 → 「担当メモ: 窓口で案内済み」.
      const changed = form.items.filter((i) => change.staffAnswers![i.key] !== undefined);
      const cells = answerFormatter({ ...form, items: changed });
      const shown = (a: StoredAnswers) =>
        cells(a)
          .map((v, n) => `${changed[n]!.label}: ${v === '' ? '（なし）' : v}`)
          .join('、');
      await insertChangeRow(trx, {
        responseId,
        staffId,
        field: 'staff_answers',
        from: shown(before),
        to: shown(answers),
      });
    }
  });
  const [updated] = await responseRows(deps.db, surveyId, {}).where('r.id', '=', responseId).execute();
  return responseViewOf(deps.cipher, form, survey.anonymous, updated!);
}

export async function responseChanges(
  deps: SurveyDeps,
  surveyId: string,
  responseId: string,
): Promise<ResponseChangeView<Date>[]> {
  if (!(await findResponseIdRow(deps.db, surveyId, responseId))) throw notFound('回答');
  return (await listChangeRows(deps.db, responseId)).map((c) => ({
    at: c.at,
    staff: c.staff ?? null,
    field: c.field,
    from: c.from_value,
    to: c.to_value,
  }));
}

export { requireSurvey, SURVEY_LIMITS };
