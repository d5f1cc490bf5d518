import { type FileAccept, FORM_LIMITS } from '@madoguchi/contracts/forms.ts';
import type { ResponseFileView, SurveyFileAccepted } from '@madoguchi/contracts/surveys.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import {
  cleanUploadedPhoto,
  IMAGE_TYPES,
  ImageRejected,
  photoSizeProblem,
} from '../../platform/images/image-normalise.ts';
import { type FormView, loadForm, type StoredAnswers, storedAnswers } from '../forms/forms.service.ts';
import {
  countUnusedFiles,
  deleteUnusedFile,
  findResponseFileRow,
  insertFileRow,
  lockFilesForAnswer,
  pruneUnusedFiles,
  type ResponseFileCell,
  responseFileRows,
} from './surveys.repository.ts';
import { requireAnswerable, type SurveyDeps } from './surveys.service.ts';

// File and photo answers (Q-01, issue 13): the respondent uploads each file of a file item first
// (the raw request body; the bytes decide the type: JPEG, PNG or WebP re-encoded without metadata,
// PDF where the item allows it, stored as sent), then the answer names the files by ID. Only the
// respondent's own uploads to this survey that no other answer took can be named; the answer takes
// them in its transaction. Bytes and names are sealed with the cipher; staff download them from the
// results. Uploads no answer took are deleted after a day.

const DAY_MS = 86_400_000;

export const fileTooLarge = () =>
  new AppError(
    413,
    'SURVEY_FILE_TOO_LARGE',
    `ファイルは1つ ${FORM_LIMITS.fileBytes / 1024 / 1024} MB までです。小さくしてから選んでください`,
  );

const KINDS: Record<FileAccept, string> = {
  image: '写真・画像（JPEG・PNG・WebP）',
  image_pdf: '写真・画像（JPEG・PNG・WebP）か PDF ファイル',
};

const fileInvalid = (accept: FileAccept, why = `${KINDS[accept]}を選んでください`) =>
  new AppError(400, 'SURVEY_FILE_INVALID', `ファイルを読み込めませんでした。${why}`);

/** The file items citizens answer (active, not staff-only). */
const fileItems = (form: FormView) =>
  form.items.filter((i) => i.type === 'file' && !i.retired && !i.config.staffOnly);

/** The bytes as they are kept: an image upright and re-encoded without metadata, a PDF as sent. */
async function normaliseFile(input: Buffer, accept: FileAccept) {
  if (input.length > FORM_LIMITS.fileBytes) throw fileTooLarge();
  if (input.length === 0) throw fileInvalid(accept);
  if (input.subarray(0, 5).toString('latin1') === '%PDF-') {
    if (accept !== 'image_pdf') throw fileInvalid(accept);
    return { contentType: 'application/pdf' as const, bytes: input };
  }
  try {
    const image = await cleanUploadedPhoto(input, IMAGE_TYPES);
    return { contentType: image.contentType, bytes: image.bytes };
  } catch (err) {
    if (!(err instanceof ImageRejected)) throw err;
    throw fileInvalid(accept, photoSizeProblem(err.rejection) ?? undefined);
  }
}

const EXTENSIONS: Record<SurveyFileAccepted['contentType'], string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
};

/**
 * The original file name as the page sent it (X-File-Name, URI-encoded): no control characters, path
 * separators or markup, at most 100 characters; a plain name when there is none.
 */
export function fileNameOf(header: unknown, contentType: SurveyFileAccepted['contentType']): string {
  let name = '';
  try {
    name = typeof header === 'string' ? decodeURIComponent(header) : '';
  } catch {
    name = '';
  }
  const clean = name
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  const short = [...clean].slice(0, FORM_LIMITS.fileName).join('');
  return short || `${contentType === 'application/pdf' ? 'ファイル' : '写真'}${EXTENSIONS[contentType]}`;
}

/** One file for a survey's file item, before the answer: kept unused for a day. */
export async function uploadSurveyFile(
  deps: SurveyDeps,
  who: { channelId: string; lineUserId: string },
  surveyId: string,
  input: { bytes: Buffer; name: unknown },
  now = new Date(),
): Promise<SurveyFileAccepted> {
  const { row } = await requireAnswerable(deps, who, surveyId, now);
  const items = fileItems(await loadForm(deps.db, row.form_id));
  if (items.length === 0)
    throw new AppError(409, 'SURVEY_NO_FILE_ITEM', 'このアンケートではファイルを受け付けていません');
  const key = deps.respondentKey(who.channelId, who.lineUserId, surveyId);
  // Room for every file the answer may hold, and as many picked again.
  const room = 2 * items.reduce((n, i) => n + (i.config.maxFiles ?? 1), 0);
  if ((await countUnusedFiles(deps.db, surveyId, key, new Date(now.getTime() - DAY_MS))) >= room)
    throw new AppError(
      429,
      'SURVEY_FILE_LIMIT',
      '送信していないファイルが多すぎます。回答を送信するか、しばらくしてからもう一度お試しください',
    );
  const accept: FileAccept = items.some((i) => i.config.accept === 'image_pdf') ? 'image_pdf' : 'image';
  const file = await normaliseFile(input.bytes, accept);
  const name = fileNameOf(input.name, file.contentType);
  const fileId = await insertFileRow(deps.db, {
    survey_id: surveyId,
    respondent_key: key,
    content_type: file.contentType,
    byte_size: file.bytes.length,
    name_enc: deps.cipher.encryptBytes(Buffer.from(name, 'utf8')),
    bytes_enc: deps.cipher.encryptBytes(file.bytes),
  });
  return { fileId, name, contentType: file.contentType, bytes: file.bytes.length };
}

/**
 * 削除 on the survey page: the respondent's upload that no answer took is deleted at once (not kept
 * until the prune). A file of a sent answer stays until the next answer leaves it out.
 */
export async function discardSurveyFile(
  deps: SurveyDeps,
  who: { channelId: string; lineUserId: string },
  surveyId: string,
  fileId: string,
): Promise<void> {
  const key = deps.respondentKey(who.channelId, who.lineUserId, surveyId);
  if (!(await deleteUnusedFile(deps.db, surveyId, key, fileId)))
    throw new AppError(404, 'SURVEY_FILE_UNKNOWN', '削除できるファイルが見つかりません');
}

const fileAnswerProblem = (key: string, code: string, message: string) =>
  new AppError(400, 'FORM_ANSWER_INVALID', message, [{ path: `answers.${key}`, code, message }]);

/**
 * Inside the answer's transaction, after the answers were checked against the form: every file they
 * name must be this respondent's upload to this survey, free or already this answer's, of a type its
 * item accepts, and named by one item only. Answers the files to link.
 */
export async function checkAnswerFiles(
  trx: Transaction<Database>,
  form: FormView,
  target: { surveyId: string; respondentKey: Buffer; responseId: string | null },
  answers: StoredAnswers,
): Promise<{ id: string; itemKey: string; position: number }[]> {
  const named = Object.entries(answers.files ?? {}).flatMap(([itemKey, files]) =>
    files.map((f, position) => ({ id: f.id, itemKey, position })),
  );
  const seen = new Set<string>();
  for (const f of named) {
    if (seen.has(f.id))
      throw fileAnswerProblem(
        f.itemKey,
        'SURVEY_FILE_TWICE',
        '同じファイルを2つの項目に使うことはできません',
      );
    seen.add(f.id);
  }
  const rows = await lockFilesForAnswer(
    trx,
    target.surveyId,
    target.respondentKey,
    named.map((f) => f.id),
    target.responseId,
  );
  const typeOf = new Map(rows.map((r) => [r.id, r.content_type]));
  for (const f of named) {
    const type = typeOf.get(f.id);
    if (!type)
      throw fileAnswerProblem(
        f.itemKey,
        'SURVEY_FILE_UNKNOWN',
        'ファイルが見つかりません。ファイルをもう一度選び直してください',
      );
    const item = form.items.find((i) => i.key === f.itemKey);
    if (type === 'application/pdf' && item?.config.accept !== 'image_pdf')
      throw fileAnswerProblem(
        f.itemKey,
        'SURVEY_FILE_TYPE',
        `「${item?.label ?? f.itemKey}」には写真・画像だけを選んでください`,
      );
  }
  return named;
}

/** The files of a listed answer (responseRows' `files`), names unsealed. */
export function filesOfCells(cipher: Cipher, cells: ResponseFileCell[]) {
  return cells.map((c) => ({
    id: c.id,
    itemKey: c.itemKey,
    name: cipher.decryptBytes(Buffer.from(c.nameEnc, 'base64')).toString('utf8'),
    contentType: c.contentType,
    bytes: c.bytes,
  }));
}

/** The files as staff see them, each with the URL that downloads it. */
export const responseFileViews = (
  surveyId: string,
  responseId: string,
  files: ReturnType<typeof filesOfCells>,
): ResponseFileView[] =>
  files.map((f) => ({ ...f, url: `/api/surveys/${surveyId}/responses/${responseId}/files/${f.id}` }));

/** A listed answer's stored answers with its files (the export's cells show their names). */
export const responseAnswers = (
  cipher: Cipher,
  r: Parameters<typeof storedAnswers>[1] & { files: ResponseFileCell[] },
) => withFiles(storedAnswers(cipher, r), filesOfCells(cipher, r.files));

/** The stored answers with the files (by item, in order) put in. */
export function withFiles(
  stored: StoredAnswers,
  files: { id: string; itemKey: string; name: string }[],
): StoredAnswers {
  const byItem: Record<string, { id: string; name: string }[]> = {};
  for (const f of files) {
    byItem[f.itemKey] ??= [];
    byItem[f.itemKey]!.push({ id: f.id, name: f.name });
  }
  return { ...stored, files: byItem };
}

/** The files one answer holds (names unsealed), read for changing it. */
export async function answerFiles(db: Db | Transaction<Database>, cipher: Cipher, responseId: string) {
  return (await responseFileRows(db, responseId)).map((r) => ({
    id: r.id,
    itemKey: r.item_key ?? '',
    name: cipher.decryptBytes(r.name_enc).toString('utf8'),
    contentType: r.content_type,
    bytes: r.byte_size,
  }));
}

/** One file of one answer of the survey, for staff (404 unless file ∈ answer ∈ survey). */
export async function readResponseFile(
  deps: SurveyDeps,
  surveyId: string,
  responseId: string,
  fileId: string,
) {
  const row = await findResponseFileRow(deps.db, surveyId, responseId, fileId);
  if (!row) throw notFound('ファイル');
  return {
    name: deps.cipher.decryptBytes(row.name_enc).toString('utf8'),
    contentType: row.content_type,
    bytes: deps.cipher.decryptBytes(row.bytes_enc),
  };
}

/** Uploads no answer took within a day are deleted (the prune job). */
export const pruneSurveyFiles = (db: Db, now = new Date()) =>
  pruneUnusedFiles(db, new Date(now.getTime() - DAY_MS));
