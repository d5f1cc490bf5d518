import type { FormView } from '@madoguchi/contracts/forms.ts';
import type {
  PublicSurvey,
  ResponsePage,
  SurveyAnswerAccepted,
  SurveyFileAccepted,
  SurveyView,
} from '@madoguchi/contracts/surveys.ts';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { citizenOf, expectJson } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { pruneSurveyFiles } from './survey-files.ts';

// File and photo answers of surveys (Q-01, issue 13) against a real server, PostgreSQL and the LINE
// simulator: staff add a file item (only to a survey), a friend signed in through LIFF uploads photos
// and a PDF (the bytes decide; not-images and too large files refused), answers naming them (another
// respondent's file refused), staff download them (audited; a file of another answer is 404), and
// uploads no answer took are pruned after a day.

let w: LineWorld;
type Client = Awaited<ReturnType<typeof staffClient>>;
let admin: Client;
let counselor: Client;

beforeAll(async () => {
  w = await startLineWorld('2400000513');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
});
afterAll(async () => w?.close());

const json = expectJson;

async function friend(name: string) {
  const c = await citizenOf(w, name);
  const cookie = c.cookie;
  return {
    userId: c.userId,
    read: (id: string) => json<PublicSurvey>(c.call('GET', `/api/citizen/surveys/${id}`), 200),
    send: (id: string, body: unknown) => c.call('POST', `/api/citizen/surveys/${id}/answers`, body),
    upload: (id: string, bytes: Buffer, name = '', type = 'application/octet-stream') =>
      fetch(`${w.server.url}/api/citizen/surveys/${id}/files`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': type,
          ...(name ? { 'x-file-name': encodeURIComponent(name) } : {}),
        },
        body: new Uint8Array(bytes),
      }),
    discard: (id: string, fileId: string) => c.call('DELETE', `/api/citizen/surveys/${id}/files/${fileId}`),
  };
}

const photo = (color: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: color } })
    .withExif({ IFD0: { Make: 'TestPhone', Model: 'X1' } })
    .jpeg()
    .toBuffer();
const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** An open survey with a photo item (image only, ≤ 2) and a document item (image or PDF, 1). */
async function fileSurvey(extra: Record<string, unknown> = {}) {
  const s = await json<SurveyView>(
    admin.request('POST', '/api/surveys', { channelId: w.channelId, title: '道路の写真募集', ...extra }),
    201,
  );
  await json(
    admin.request('POST', `/api/forms/${s.form.id}/items`, {
      key: 'photos',
      type: 'file',
      label: '現場の写真',
      required: true,
      config: { maxFiles: 2, accept: 'image' },
    }),
    201,
  );
  const form = await json<FormView>(
    admin.request('POST', `/api/forms/${s.form.id}/items`, {
      key: 'doc',
      type: 'file',
      label: '資料',
      config: { maxFiles: 1, accept: 'image_pdf' },
    }),
    201,
  );
  await json(admin.request('POST', `/api/surveys/${s.id}/open`), 200);
  return { survey: s, form };
}

const code = async (r: Promise<Response>, status: number) => (await json<{ code: string }>(r, status)).code;

describe('survey file answers (Q-01)', () => {
  it('Q-01: a file item takes only its settings and only on a survey form (registration and booking forms refuse it)', async () => {
    const s = await json<SurveyView>(
      admin.request('POST', '/api/surveys', { channelId: w.channelId, title: '設定の確認' }),
      201,
    );
    const add = (formId: string, body: Record<string, unknown>) =>
      admin.request('POST', `/api/forms/${formId}/items`, { type: 'file', label: '写真', ...body });
    expect(await code(add(s.form.id, { config: { maxFiles: 6 } }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(add(s.form.id, { config: { maxFiles: 0 } }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(add(s.form.id, { config: { accept: 'video' } }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(add(s.form.id, { config: { maxLength: 10 } }), 400)).toBe('FORM_CONFIG_INVALID');
    expect(await code(add(s.form.id, { config: { staffOnly: true } }), 400)).toBe('FORM_CONFIG_INVALID');
    const form = await json<FormView>(add(s.form.id, { config: { maxFiles: 3, accept: 'image_pdf' } }), 201);
    expect(form.items[0]).toMatchObject({ type: 'file', config: { maxFiles: 3, accept: 'image_pdf' } });

    const registration = await json<FormView>(
      admin.request('GET', `/api/forms/registration?channelId=${w.channelId}`),
      200,
    );
    expect(await code(add(registration.id, {}), 400)).toBe('FORM_ITEM_TYPE_NOT_HERE');
    const calendar = await json<{ form: FormView }>(
      admin.request('POST', '/api/booking-calendars', {
        channelId: w.channelId,
        category: '講座',
        name: '写真講座',
        openOnHolidays: true,
        templates: [{ weekday: 1, start: '10:00', end: '11:00', capacity: 5 }],
      }),
      201,
    );
    expect(await code(add(calendar.form.id, {}), 400)).toBe('FORM_ITEM_TYPE_NOT_HERE');
  });

  it('Q-01: uploads are decided by their bytes: photos re-encoded without metadata and sealed, a PDF kept; not-images, too large files, surveys without a file item and too many unsent files refused', async () => {
    const { survey } = await fileSurvey();
    const c = await friend('写真 花子');
    const jpeg = await photo('#cc3333');
    expect(jpeg.includes(Buffer.from('TestPhone'))).toBe(true);
    const up = await json<SurveyFileAccepted>(c.upload(survey.id, jpeg, '../現場<1>.jpg', 'text/plain'), 201);
    expect(up).toMatchObject({ contentType: 'image/jpeg', name: '_現場_1_.jpg' });
    const row = await w.server.db
      .selectFrom('survey_files')
      .selectAll()
      .where('id', '=', up.fileId)
      .executeTakeFirstOrThrow();
    expect(row.response_id).toBeNull();
    const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
    const stored = cipher.decryptBytes(row.bytes_enc);
    expect(stored.length).toBe(row.byte_size);
    expect(stored.includes(Buffer.from('TestPhone'))).toBe(false);
    expect((await sharp(stored).metadata()).format).toBe('jpeg');
    // Sealed: neither the bytes nor the name are in the row as they are.
    expect(row.bytes_enc.includes(stored.subarray(0, 64))).toBe(false);
    expect(row.name_enc.includes(Buffer.from('現場'))).toBe(false);

    expect((await json<SurveyFileAccepted>(c.upload(survey.id, PDF, '申請書.pdf'), 201)).contentType).toBe(
      'application/pdf',
    );
    expect((await json<SurveyFileAccepted>(c.upload(survey.id, await png()), 201)).name).toBe('写真.png');
    expect(
      await code(c.upload(survey.id, Buffer.from('これは画像ではありません'), 'a.jpg', 'image/jpeg'), 400),
    ).toBe('SURVEY_FILE_INVALID');
    expect(await code(c.upload(survey.id, jpeg.subarray(0, 300)), 400)).toBe('SURVEY_FILE_INVALID');
    expect(await code(c.upload(survey.id, Buffer.alloc(0)), 400)).toBe('SURVEY_FILE_INVALID');
    const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer();
    expect(await code(c.upload(survey.id, gif, 'a.gif', 'image/gif'), 400)).toBe('SURVEY_FILE_INVALID');
    const huge = Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]);
    const tooLarge = await json<{ code: string; message: string }>(c.upload(survey.id, huge), 413);
    expect(tooLarge).toMatchObject({
      code: 'SURVEY_FILE_TOO_LARGE',
      message: expect.stringContaining('10 MB'),
    });

    // A survey whose file items accept only images refuses a PDF at the upload.
    const images = await json<SurveyView>(
      admin.request('POST', '/api/surveys', { channelId: w.channelId, title: '写真だけ' }),
      201,
    );
    await json(
      admin.request('POST', `/api/forms/${images.form.id}/items`, { type: 'file', label: '写真' }),
      201,
    );
    await json(admin.request('POST', `/api/surveys/${images.id}/open`), 200);
    expect(await code(c.upload(images.id, PDF), 400)).toBe('SURVEY_FILE_INVALID');
    // Too many files not sent: room for twice what the answer may hold (1 file here).
    await json(c.upload(images.id, jpeg), 201);
    await json(c.upload(images.id, jpeg), 201);
    expect(await code(c.upload(images.id, jpeg), 429)).toBe('SURVEY_FILE_LIMIT');

    // No file item, not open, not this channel's or no session.
    const plain = await json<SurveyView>(
      admin.request('POST', '/api/surveys', { channelId: w.channelId, title: '文字だけ' }),
      201,
    );
    await json(
      admin.request('POST', `/api/forms/${plain.form.id}/items`, { type: 'text', label: 'ご意見' }),
      201,
    );
    expect(await code(c.upload(plain.id, jpeg), 404)).toBe('SURVEY_NOT_FOUND');
    await json(admin.request('POST', `/api/surveys/${plain.id}/open`), 200);
    expect(await code(c.upload(plain.id, jpeg), 409)).toBe('SURVEY_NO_FILE_ITEM');
    await json(admin.request('POST', `/api/surveys/${images.id}/close`), 200);
    expect(await code(c.upload(images.id, jpeg), 409)).toBe('SURVEY_CLOSED');
    expect(await code(c.upload('not-a-uuid', jpeg), 400)).toBe('VALIDATION_FAILED');
    const anonymous = await fetch(`${w.server.url}/api/citizen/surveys/${survey.id}/files`, {
      method: 'POST',
      body: new Uint8Array(jpeg),
    });
    expect(anonymous.status).toBe(401);
  });

  it('Q-01: an answer names its own uploads; another respondent’s file, too many files or a PDF in a photo item are refused; overwrite replaces the files', async () => {
    const { survey } = await fileSurvey();
    const a = await friend('回答 太郎');
    const b = await friend('回答 次郎');
    const [p1, p2, p3] = await Promise.all(
      ['#111111', '#222222', '#333333'].map(async (color) =>
        json<SurveyFileAccepted>(a.upload(survey.id, await photo(color), `${color}.jpg`), 201),
      ),
    );
    const pdf = await json<SurveyFileAccepted>(a.upload(survey.id, PDF, '資料.pdf'), 201);
    const theirs = await json<SurveyFileAccepted>(b.upload(survey.id, await photo('#444444')), 201);
    const problem = async (body: unknown) => {
      const r = await json<{ code: string; details: { path: string; code: string }[] }>(
        a.send(survey.id, body),
        400,
      );
      return [r.code, r.details[0]?.path, r.details[0]?.code];
    };
    expect(await problem({ answers: { photos: [theirs.fileId] } })).toEqual([
      'FORM_ANSWER_INVALID',
      'answers.photos',
      'SURVEY_FILE_UNKNOWN',
    ]);
    expect(await problem({ answers: { photos: [p1!.fileId, p2!.fileId, p3!.fileId] } })).toEqual([
      'FORM_ANSWER_INVALID',
      'answers.photos',
      'FORM_TOO_MANY_FILES',
    ]);
    expect(await problem({ answers: { photos: [pdf.fileId] } })).toEqual([
      'FORM_ANSWER_INVALID',
      'answers.photos',
      'SURVEY_FILE_TYPE',
    ]);
    expect(await problem({ answers: { photos: [p1!.fileId], doc: [p1!.fileId] } })).toEqual([
      'FORM_ANSWER_INVALID',
      expect.stringMatching(/^answers\./),
      'SURVEY_FILE_TWICE',
    ]);
    expect(await problem({ answers: { doc: [pdf.fileId] } })).toEqual([
      'FORM_ANSWER_INVALID',
      'answers.photos',
      'FORM_ANSWER_REQUIRED',
    ]);
    expect(await problem({ answers: { photos: ['1', '2'] } })).toEqual([
      'FORM_ANSWER_INVALID',
      'answers.photos',
      'FORM_ANSWER_TYPE',
    ]);
    const bad = await json<{ code: string }>(a.send(survey.id, { answers: { photos: ['x'] } }), 400);
    expect(bad.code).toBe('VALIDATION_FAILED');

    const first = await json<SurveyAnswerAccepted>(
      a.send(survey.id, { answers: { photos: [p1!.fileId, p2!.fileId], doc: [pdf.fileId] } }),
      201,
    );
    const linked = await w.server.db
      .selectFrom('survey_files')
      .select(['id', 'item_key', 'position'])
      .where('response_id', '=', first.responseId)
      .orderBy('item_key')
      .orderBy('position')
      .execute();
    expect(linked).toEqual([
      { id: pdf.fileId, item_key: 'doc', position: 0 },
      { id: p1!.fileId, item_key: 'photos', position: 0 },
      { id: p2!.fileId, item_key: 'photos', position: 1 },
    ]);
    const again = await a.read(survey.id);
    expect(again.answers).toEqual({ photos: [p1!.fileId, p2!.fileId], doc: [pdf.fileId] });
    expect(again.answerFiles.map((f) => f.name).sort()).toEqual(['#111111.jpg', '#222222.jpg', '資料.pdf']);
    // The other respondent cannot take them either.
    expect(
      (
        await json<{ details: { code: string }[] }>(
          b.send(survey.id, { answers: { photos: [p1!.fileId] } }),
          400,
        )
      ).details[0]!.code,
    ).toBe('SURVEY_FILE_UNKNOWN');

    // Overwrite: the answer now holds p3 only; the files it no longer names are gone.
    const second = await json<SurveyAnswerAccepted>(
      a.send(survey.id, { answers: { photos: [p3!.fileId], doc: null } }),
      201,
    );
    expect(second.responseId).toBe(first.responseId);
    const after = await w.server.db
      .selectFrom('survey_files')
      .select(['id', 'response_id'])
      .where('id', 'in', [p1!.fileId, p2!.fileId, p3!.fileId, pdf.fileId])
      .execute();
    expect(after).toEqual([{ id: p3!.fileId, response_id: first.responseId }]);
    // Sending the same answer back keeps it.
    await json(a.send(survey.id, { answers: (await a.read(survey.id)).answers }), 201);
    expect((await a.read(survey.id)).answers).toEqual({ photos: [p3!.fileId] });
  });

  it('Q-01/Q-02: staff see the files in the results and download them (attachment, no-store, nosniff, audited); a file of another answer is 404; the export names the files', async () => {
    const { survey } = await fileSurvey({ mode: 'append' });
    const c = await friend('提出 三郎');
    const jpeg = await photo('#55aa55');
    const mine = await json<SurveyFileAccepted>(c.upload(survey.id, jpeg, '歩道の段差.jpg'), 201);
    const one = await json<SurveyAnswerAccepted>(
      c.send(survey.id, { answers: { photos: [mine.fileId] } }),
      201,
    );
    // Append mode: a new answer cannot take a file another answer holds.
    expect(
      (
        await json<{ details: { code: string }[] }>(
          c.send(survey.id, { answers: { photos: [mine.fileId] } }),
          400,
        )
      ).details[0]!.code,
    ).toBe('SURVEY_FILE_UNKNOWN');
    const other = await json<SurveyFileAccepted>(c.upload(survey.id, await photo('#aa55aa'), '別.jpg'), 201);
    const two = await json<SurveyAnswerAccepted>(
      c.send(survey.id, { answers: { photos: [other.fileId] } }),
      201,
    );

    const page = await json<ResponsePage>(admin.request('GET', `/api/surveys/${survey.id}/responses`), 200);
    const listed = page.items.find((r) => r.id === one.responseId)!;
    expect(listed.answers).toEqual({ photos: [mine.fileId] });
    expect(listed.files).toEqual([
      {
        id: mine.fileId,
        itemKey: 'photos',
        name: '歩道の段差.jpg',
        contentType: 'image/jpeg',
        bytes: mine.bytes,
        url: `/api/surveys/${survey.id}/responses/${one.responseId}/files/${mine.fileId}`,
      },
    ]);

    const got = await admin.request('GET', listed.files[0]!.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('歩道の段差.jpg')}`,
    );
    expect(got.headers.get('cache-control')).toContain('no-store');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(bytes.length).toBe(mine.bytes);
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
    const audit = await w.server.db
      .selectFrom('audit_log')
      .select(['target_id', 'detail', 'result'])
      .where('action', '=', 'survey.response.file.view')
      .execute();
    expect(audit).toEqual([
      {
        target_id: survey.id,
        detail: expect.objectContaining({ responseId: one.responseId, fileId: mine.fileId, status: 200 }),
        result: 'success',
      },
    ]);

    // The file through another answer, another survey, an unknown ID, a bad ID, or without the permission.
    const base = `/api/surveys/${survey.id}/responses`;
    expect(await code(admin.request('GET', `${base}/${two.responseId}/files/${mine.fileId}`), 404)).toBe(
      'NOT_FOUND',
    );
    const { survey: another } = await fileSurvey();
    expect(
      await code(
        admin.request('GET', `/api/surveys/${another.id}/responses/${one.responseId}/files/${mine.fileId}`),
        404,
      ),
    ).toBe('NOT_FOUND');
    expect(
      await code(admin.request('GET', `${base}/${one.responseId}/files/${crypto.randomUUID()}`), 404),
    ).toBe('NOT_FOUND');
    expect(await code(admin.request('GET', `${base}/${one.responseId}/files/nope`), 400)).toBe(
      'VALIDATION_FAILED',
    );
    expect((await counselor.request('GET', listed.files[0]!.url)).status).toBe(403);

    const csv = await (await admin.request('GET', `${base}.csv`)).text();
    expect(csv).toContain('現場の写真');
    expect(csv).toContain('歩道の段差.jpg');
    expect(csv).toContain('別.jpg');
    const results = await json<{ questions: { key: string; answered: number }[] }>(
      admin.request('GET', `/api/surveys/${survey.id}/results`),
      200,
    );
    expect(results.questions.find((q) => q.key === 'photos')?.answered).toBe(2);
  });

  it('Q-01: the prune (the cron job’s handler) deletes uploads no answer took within a day and keeps the answers’ files', async () => {
    const { survey } = await fileSurvey();
    const c = await friend('整理 四郎');
    const used = await json<SurveyFileAccepted>(c.upload(survey.id, await photo('#123456')), 201);
    await json(c.send(survey.id, { answers: { photos: [used.fileId] } }), 201);
    const stale = await json<SurveyFileAccepted>(c.upload(survey.id, await photo('#654321')), 201);
    const fresh = await json<SurveyFileAccepted>(c.upload(survey.id, await photo('#abcdef')), 201);
    await sql`update survey_files set created_at = now() - interval '25 hours'
               where id in (${used.fileId}, ${stale.fileId})`.execute(w.server.db);
    expect(await pruneSurveyFiles(w.server.db)).toBeGreaterThanOrEqual(1);
    const left = await w.server.db
      .selectFrom('survey_files')
      .select('id')
      .where('id', 'in', [used.fileId, stale.fileId, fresh.fileId])
      .orderBy('id')
      .execute();
    expect(left.map((r) => r.id).sort()).toEqual([used.fileId, fresh.fileId].sort());
  });

  it('Q-01: 削除 on the page deletes the respondent’s unsent upload at once; another’s file, a sent answer’s file and bad IDs are refused', async () => {
    const { survey } = await fileSurvey();
    const c = await friend('削除 五郎');
    const other = await friend('削除 六郎');
    const sent = await json<SurveyFileAccepted>(c.upload(survey.id, await photo('#102030')), 201);
    await json(c.send(survey.id, { answers: { photos: [sent.fileId] } }), 201);
    const picked = await json<SurveyFileAccepted>(c.upload(survey.id, await photo('#302010')), 201);
    const exists = async (id: string) =>
      (await w.server.db.selectFrom('survey_files').select('id').where('id', '=', id).executeTakeFirst()) !==
      undefined;

    expect(await code(other.discard(survey.id, picked.fileId), 404)).toBe('SURVEY_FILE_UNKNOWN');
    expect(await exists(picked.fileId)).toBe(true);
    expect((await c.discard(survey.id, picked.fileId)).status).toBe(204);
    expect(await exists(picked.fileId)).toBe(false);
    expect(await code(c.discard(survey.id, picked.fileId), 404)).toBe('SURVEY_FILE_UNKNOWN');
    // The sent answer's file stays with the answer.
    expect(await code(c.discard(survey.id, sent.fileId), 404)).toBe('SURVEY_FILE_UNKNOWN');
    expect(await exists(sent.fileId)).toBe(true);
    expect(await code(c.discard(survey.id, 'not-a-uuid'), 400)).toBe('VALIDATION_FAILED');
    const anonymous = await fetch(`${w.server.url}/api/citizen/surveys/${survey.id}/files/${sent.fileId}`, {
      method: 'DELETE',
    });
    expect(anonymous.status).toBe(401);
  });
});
