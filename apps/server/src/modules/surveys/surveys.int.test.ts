import type { FormView } from '@madoguchi/contracts/forms.ts';
import type {
  PublicSurvey,
  ResponseChangeView,
  ResponsePage,
  SurveyResults,
  SurveyView,
} from '@madoguchi/contracts/surveys.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import { citizenOf, expectJson } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';

// Surveys and public comment (Q-01 … Q-05) against a real server, PostgreSQL and the LINE simulator:
// staff design a survey with every item type on the one form engine, friends signed in through LIFF
// answer it (bad values first), staff triage and export the answers.

let w: LineWorld;
type Client = Awaited<ReturnType<typeof staffClient>>;
let admin: Client;
let counselor: Client;

beforeAll(async () => {
  w = await startLineWorld('2400000013');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
});
afterAll(async () => w?.close());

const json = expectJson;

async function friend(name: string) {
  const c = await citizenOf(w, name);
  return {
    userId: c.userId,
    read: (id: string) => c.call('GET', `/api/citizen/surveys/${id}`),
    send: (id: string, body: unknown) => c.call('POST', `/api/citizen/surveys/${id}/answers`, body),
  };
}

const createSurvey = (body: Record<string, unknown>) =>
  json<SurveyView>(admin.request('POST', '/api/surveys', { channelId: w.channelId, ...body }), 201);

const addItem = async (formId: string, body: Record<string, unknown>) =>
  json<FormView>(admin.request('POST', `/api/forms/${formId}/items`, body), 201);

const itemOf = (form: FormView, key: string) => form.items.find((i) => i.key === key)!;
const choiceOf = (form: FormView, key: string, label: string) =>
  itemOf(form, key).choices.find((c) => c.label === label)!.id;

/** A survey with every item type, a condition and a staff-only item. */
async function everyTypeSurvey(extra: Record<string, unknown> = {}) {
  const s = await createSurvey({ title: '市民満足度調査', description: '所要時間は約3分です。', ...extra });
  const f = s.form.id;
  await addItem(f, { type: 'description', label: 'ご協力をお願いします' });
  await addItem(f, {
    key: 'name',
    type: 'text',
    label: 'お名前（カナ）',
    required: true,
    config: { charset: 'katakana', minLength: 2, maxLength: 20 },
  });
  await addItem(f, {
    key: 'age',
    type: 'number',
    label: '年齢',
    required: true,
    config: { minValue: 0, maxValue: 120, integer: true },
  });
  await addItem(f, { key: 'visit', type: 'date', label: '来庁日' });
  await addItem(f, { key: 'zip', type: 'postal_code', label: '郵便番号' });
  await addItem(f, { key: 'addr', type: 'address', label: '住所' });
  await addItem(f, { key: 'tel', type: 'phone', label: '電話番号' });
  await addItem(f, { key: 'mail', type: 'email', label: 'メール' });
  await addItem(f, {
    key: 'used',
    type: 'single',
    label: '窓口を利用しましたか',
    required: true,
    choices: [{ label: 'はい' }, { label: 'いいえ' }],
  });
  let form = await addItem(f, {
    key: 'topics',
    type: 'multiple',
    label: '関心のある分野',
    config: { minSelections: 2, maxSelections: 3 },
    choices: [{ label: '子育て' }, { label: '防災' }, { label: '福祉' }, { label: '道路' }],
  });
  form = await addItem(f, {
    key: 'why',
    type: 'textarea',
    label: '利用した理由',
    required: true,
    config: { showIf: { item: 'used', choices: [choiceOf(form, 'used', 'はい')] } },
  });
  await addItem(f, {
    key: 'ward',
    type: 'select',
    label: 'お住まいの区',
    choices: [{ label: '中央区' }, { label: '北区' }],
  });
  form = await addItem(f, { key: 'memo', type: 'text', label: '担当メモ', config: { staffOnly: true } });
  return { survey: s, form };
}

describe('surveys (Q-01 … Q-04)', () => {
  it('Q-01/Q-03: every item type, a condition, a staff-only item; bad values refused per item; a retried send counts once; overwrite replaces', async () => {
    const { survey, form } = await everyTypeSurvey();
    // A condition must name an earlier choice item.
    const bad = await json<{ code: string }>(
      admin.request('POST', `/api/forms/${form.id}/items`, {
        type: 'text',
        label: 'x',
        config: { showIf: { item: 'age', choices: ['1'] } },
      }),
      400,
    );
    expect(bad.code).toBe('FORM_CONDITION_INVALID');
    const citizen = await friend('回答 一郎');
    // A draft is not there for citizens.
    expect((await json<{ code: string }>(citizen.read(survey.id), 404)).code).toBe('SURVEY_NOT_FOUND');
    await json(admin.request('POST', `/api/surveys/${survey.id}/open`), 200);

    const view = await json<PublicSurvey>(citizen.read(survey.id), 200);
    expect(view.availability).toBe('open');
    expect(view.form.items.map((i) => i.key)).not.toContain('memo');
    expect(view.form.items.find((i) => i.key === 'name')!.config).toMatchObject({
      charset: 'katakana',
      minLength: 2,
    });

    const yes = choiceOf(form, 'used', 'はい');
    const no = choiceOf(form, 'used', 'いいえ');
    const [kosodate, bousai] = ['子育て', '防災'].map((l) => choiceOf(form, 'topics', l));
    const wrong = await json<{ code: string; details: { path: string; code: string }[] }>(
      citizen.send(survey.id, {
        answers: {
          name: 'Taro',
          age: 12.5,
          visit: '2026-02-30',
          zip: '27200',
          tel: '12345',
          mail: 'taro@',
          used: yes,
          topics: [kosodate],
          memo: 'x',
        },
      }),
      400,
    );
    expect(wrong.code).toBe('FORM_ANSWER_INVALID');
    expect(Object.fromEntries(wrong.details.map((d) => [d.path, d.code]))).toEqual({
      'answers.name': 'FORM_TEXT_CHARSET',
      'answers.age': 'FORM_NUMBER_NOT_INTEGER',
      'answers.visit': 'FORM_DATE_INVALID',
      'answers.zip': 'FORM_POSTAL_CODE_INVALID',
      'answers.tel': 'FORM_PHONE_INVALID',
      'answers.mail': 'FORM_EMAIL_INVALID',
      'answers.topics': 'FORM_TOO_FEW_CHOICES',
      'answers.memo': 'FORM_ITEM_UNKNOWN',
      'answers.why': 'FORM_ANSWER_REQUIRED',
    });

    const good = {
      name: 'イチカワ タロウ',
      age: 42,
      visit: '2026-04-01',
      zip: '２７２－００２１',
      addr: '千葉県市川市八幡1-1-1',
      tel: '047-334-1111',
      mail: 'taro@example.jp',
      used: yes,
      topics: [kosodate, bousai],
      why: '住民票の写しを取りに',
    };
    const requestKey = 'k'.repeat(24);
    const first = await json<{ responseId: string; repeated: boolean }>(
      citizen.send(survey.id, { answers: good, requestKey }),
      201,
    );
    expect(first.repeated).toBe(false);
    const again = await json<{ responseId: string; repeated: boolean }>(
      citizen.send(survey.id, { answers: good, requestKey }),
      200,
    );
    expect(again).toMatchObject({ responseId: first.responseId, repeated: true });

    // Overwrite mode: the friend reads their answer back and changes it; the hidden item's answer goes.
    const mine = await json<PublicSurvey>(citizen.read(survey.id), 200);
    expect(mine.answers).toMatchObject({ zip: '2720021', age: 42, why: '住民票の写しを取りに' });
    await json(citizen.send(survey.id, { answers: { used: no }, requestKey: 'm'.repeat(24) }), 201);
    const rows = await w.server.db
      .selectFrom('survey_responses')
      .selectAll()
      .where('survey_id', '=', survey.id)
      .execute();
    expect(rows).toHaveLength(1);
    // Sealed: the free text is not in the database in the clear.
    expect(rows[0]!.texts_enc!.toString('utf8')).not.toContain('イチカワ');
    expect(rows[0]!.friend_id).not.toBeNull();
    const after = await json<PublicSurvey>(citizen.read(survey.id), 200);
    expect(after.answers?.why).toBeUndefined();
    expect(after.answers?.used).toBe(no);

    // Postal code lookup, offline (Japan Post data).
    expect(await json(fetch(`${w.server.url}/api/citizen/postal-codes/272-0021`), 200)).toEqual([
      { prefecture: '千葉県', city: '市川市', town: '八幡' },
    ]);
    expect(await json(fetch(`${w.server.url}/api/citizen/postal-codes/0000000`), 200)).toEqual([]);
    expect((await fetch(`${w.server.url}/api/citizen/postal-codes/12ab`)).status).toBe(400);
  });

  it('Q-02: append mode adds an answer per send; anonymous answers keep no friend; period and audience', async () => {
    const s = await createSurvey({ title: '道路の意見', mode: 'append', anonymous: true });
    await addItem(s.form.id, { key: 'opinion', type: 'textarea', label: 'ご意見', required: true });
    await json(admin.request('POST', `/api/surveys/${s.id}/open`), 200);
    const citizen = await friend('匿名 希望');
    await json(citizen.send(s.id, { answers: { opinion: '歩道を広げてほしい' } }), 201);
    await json(citizen.send(s.id, { answers: { opinion: '街灯を増やしてほしい' } }), 201);
    const page = await json<ResponsePage>(admin.request('GET', `/api/surveys/${s.id}/responses`), 200);
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.respondent)).toEqual([null, null]);
    expect(page.items.map((i) => i.answers.opinion)).toEqual(['街灯を増やしてほしい', '歩道を広げてほしい']);
    const friendIds = await w.server.db
      .selectFrom('survey_responses')
      .select('friend_id')
      .where('survey_id', '=', s.id)
      .execute();
    expect(friendIds.every((r) => r.friend_id === null)).toBe(true);
    // Anonymity cannot change once answers are accepted.
    expect(
      (
        await json<{ code: string }>(
          admin.request('PATCH', `/api/surveys/${s.id}`, { anonymous: false }),
          409,
        )
      ).code,
    ).toBe('SURVEY_ANONYMITY_FIXED');

    // Period: not yet open, then over.
    const later = await createSurvey({
      title: '来月の調査',
      opensAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await addItem(later.form.id, { key: 'q', type: 'text', label: '質問' });
    await json(admin.request('POST', `/api/surveys/${later.id}/open`), 200);
    expect((await json<PublicSurvey>(citizen.read(later.id), 200)).availability).toBe('not_open');
    expect((await json<{ code: string }>(citizen.send(later.id, { answers: { q: 'a' } }), 409)).code).toBe(
      'SURVEY_NOT_OPEN',
    );
    await json(admin.request('POST', `/api/surveys/${later.id}/close`), 200);
    expect((await json<{ code: string }>(citizen.send(later.id, { answers: { q: 'a' } }), 409)).code).toBe(
      'SURVEY_CLOSED',
    );

    // Audience: a segment this friend is not in (test friends only), and one they are in.
    const segment = async (name: string, value: boolean) =>
      json<{ id: string }>(
        admin.request('POST', '/api/segments', {
          channelId: w.channelId,
          name,
          tree: { type: 'test', value },
        }),
        201,
      );
    const only = await createSurvey({
      title: '対象者限定',
      audienceSegmentId: (await segment('テスト友だち', true)).id,
    });
    await addItem(only.form.id, { key: 'q', type: 'text', label: '質問' });
    await json(admin.request('POST', `/api/surveys/${only.id}/open`), 200);
    expect((await json<PublicSurvey>(citizen.read(only.id), 200)).availability).toBe('not_in_audience');
    expect((await json<{ code: string }>(citizen.send(only.id, { answers: { q: 'a' } }), 409)).code).toBe(
      'SURVEY_NOT_FOR_YOU',
    );
    const all = await createSurvey({
      title: '一般向け',
      audienceSegmentId: (await segment('一般', false)).id,
    });
    await addItem(all.form.id, { key: 'q', type: 'text', label: '質問' });
    await json(admin.request('POST', `/api/surveys/${all.id}/open`), 200);
    expect((await json<PublicSurvey>(citizen.read(all.id), 200)).availability).toBe('open');
  });

  it('Q-04: results per question and status; triage with history; staff-only items; export CSV and xlsx of 10,000 answers', async () => {
    const { survey, form } = await everyTypeSurvey({ mode: 'append' });
    await json(admin.request('POST', `/api/surveys/${survey.id}/open`), 200);
    const a = await friend('集計 花子');
    const yes = choiceOf(form, 'used', 'はい');
    const no = choiceOf(form, 'used', 'いいえ');
    const base = { name: 'ハナコ', age: 30, used: no };
    await json(a.send(survey.id, { answers: { ...base, age: 20 } }), 201);
    await json(a.send(survey.id, { answers: { ...base, used: yes, why: '相談', age: 40 } }), 201);
    const results = await json<SurveyResults>(admin.request('GET', `/api/surveys/${survey.id}/results`), 200);
    expect(results.total).toBe(2);
    expect(results.byStatus).toEqual({ new: 2, in_progress: 0, done: 0 });
    const q = Object.fromEntries(results.questions.map((x) => [x.key, x]));
    expect(q.used).toMatchObject({ kind: 'choices', answered: 2 });
    expect((q.used as { counts: { label: string; n: number }[] }).counts.map((c) => [c.label, c.n])).toEqual([
      ['はい', 1],
      ['いいえ', 1],
    ]);
    expect(q.age).toMatchObject({ kind: 'number', answered: 2, min: 20, max: 40, mean: 30 });
    expect(q.why).toMatchObject({ kind: 'text', answered: 1 });

    const page = await json<ResponsePage>(
      admin.request('GET', `/api/surveys/${survey.id}/responses?limit=1`),
      200,
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.respondent).toBe('集計 花子');
    const second = await json<ResponsePage>(
      admin.request('GET', `/api/surveys/${survey.id}/responses?limit=1&before=${page.next}`),
      200,
    );
    expect(second.items[0]!.id).not.toBe(page.items[0]!.id);
    expect(second.next).toBeNull();
    const onlyYes = await json<ResponsePage>(
      admin.request('GET', `/api/surveys/${survey.id}/responses?choice=${yes}`),
      200,
    );
    expect(onlyYes.total).toBe(1);

    const id = page.items[0]!.id;
    const changed = await json<{ status: string; answers: Record<string, unknown>; statusChangedBy: string }>(
      admin.request('PATCH', `/api/surveys/${survey.id}/responses/${id}`, {
        status: 'in_progress',
        staffAnswers: { memo: '折り返し電話済み' },
      }),
      200,
    );
    expect(changed).toMatchObject({
      status: 'in_progress',
      answers: { memo: '折り返し電話済み' },
      statusChangedBy: 'admin さん',
    });
    // Staff cannot change what the citizen answered.
    expect(
      (
        await json<{ details: { code: string }[] }>(
          admin.request('PATCH', `/api/surveys/${survey.id}/responses/${id}`, { staffAnswers: { age: 1 } }),
          400,
        )
      ).details[0]!.code,
    ).toBe('FORM_ITEM_NOT_STAFF');
    await json(admin.request('PATCH', `/api/surveys/${survey.id}/responses/${id}`, { status: 'done' }), 200);
    const history = await json<ResponseChangeView[]>(
      admin.request('GET', `/api/surveys/${survey.id}/responses/${id}/changes`),
      200,
    );
    expect(history.map((h) => [h.field, h.from, h.to, h.staff])).toEqual([
      ['status', '未対応', '対応中', 'admin さん'],
      ['staff_answers', '担当メモ: （なし）', '担当メモ: 折り返し電話済み', 'admin さん'],
      ['status', '対応中', '完了', 'admin さん'],
    ]);
    // The citizen never sees the staff-only item's answer.
    const mine = await json<PublicSurvey>(a.read(survey.id), 200);
    expect(mine.form.items.some((i) => i.key === 'memo')).toBe(false);

    // 10,000 answers at once (written directly: the export is what is measured here).
    const respondent = Buffer.alloc(32, 7);
    await sql`
      insert into survey_responses (survey_id, respondent_key, slot, choice_ids, numbers)
      select ${survey.id}::uuid, ${respondent}, g::text, array[${no}]::bigint[], jsonb_build_object('age', g % 100)
        from generate_series(1, 10000) g
    `.execute(w.server.db);
    const csv = await admin.request('GET', `/api/surveys/${survey.id}/responses.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + 10_002);
    expect(lines[0]).toContain('担当メモ（管理項目）');
    expect(lines[0]).not.toContain('ご協力をお願いします');
    const xlsx = await admin.request('GET', `/api/surveys/${survey.id}/responses.xlsx?status=done`);
    expect(xlsx.status).toBe(200);
    const sheet = await readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet.rows).toHaveLength(2);
    expect(sheet.rows[1]).toContain('折り返し電話済み');
  });

  it('Q-05: public comment with its PDF document and the published summary', async () => {
    const s = await createSurvey({ kind: 'public_comment', title: '第3次総合計画（案）への意見募集' });
    const put = (body: Buffer, name = '計画案.pdf') =>
      fetch(`${w.server.url}/api/surveys/${s.id}/document`, {
        method: 'PUT',
        headers: {
          cookie: admin.cookie,
          'x-csrf-token': admin.csrfToken,
          'content-type': 'application/pdf',
          'x-file-name': encodeURIComponent(name),
        },
        body: new Uint8Array(body),
      });
    expect((await json<{ code: string }>(put(Buffer.from('not a pdf')), 400)).code).toBe(
      'SURVEY_DOCUMENT_NOT_PDF',
    );
    expect((await put(Buffer.alloc(11 * 1024 * 1024, 0x25))).status).toBe(413);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const withDoc = await json<SurveyView>(put(pdf), 200);
    expect(withDoc.document).toEqual({ fileName: '計画案.pdf', bytes: pdf.length });
    await addItem(s.form.id, { key: 'opinion', type: 'textarea', label: 'ご意見', required: true });
    // The document of a draft is not public yet.
    expect((await fetch(`${w.server.url}/api/citizen/surveys/${s.id}/document`)).status).toBe(404);
    await json(admin.request('POST', `/api/surveys/${s.id}/open`), 200);
    const doc = await fetch(`${w.server.url}/api/citizen/surveys/${s.id}/document`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await doc.arrayBuffer()).equals(pdf)).toBe(true);
    const citizen = await friend('意見 三郎');
    const before = await json<PublicSurvey>(citizen.read(s.id), 200);
    expect(before).toMatchObject({
      kind: 'public_comment',
      documentUrl: `/api/citizen/surveys/${s.id}/document`,
      resultsSummary: null,
    });
    await json(citizen.send(s.id, { answers: { opinion: '公共交通の計画をもっと具体的に' } }), 201);
    await json(
      admin.request('PATCH', `/api/surveys/${s.id}`, {
        resultsPublished: true,
        resultsSummary: '意見 1件。公共交通の計画を具体化します。',
      }),
      200,
    );
    expect((await json<PublicSurvey>(citizen.read(s.id), 200)).resultsSummary).toBe(
      '意見 1件。公共交通の計画を具体化します。',
    );
  });

  it('bad input and permissions: 400 with codes, 404 for unknown IDs, 403 without the permission; designs are audited', async () => {
    expect((await admin.request('POST', '/api/surveys', { channelId: w.channelId, title: '' })).status).toBe(
      400,
    );
    expect(
      (await admin.request('POST', '/api/surveys', { channelId: w.channelId, title: 'x', mode: 'both' }))
        .status,
    ).toBe(400);
    const period = await json<{ code: string }>(
      admin.request('POST', '/api/surveys', {
        channelId: w.channelId,
        title: '期間が逆',
        opensAt: '2026-05-01T00:00:00+09:00',
        closesAt: '2026-04-01T00:00:00+09:00',
      }),
      400,
    );
    expect(period.code).toBe('SURVEY_PERIOD_INVALID');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin.request('GET', `/api/surveys/${unknown}`)).status).toBe(404);
    expect((await admin.request('GET', '/api/surveys/not-a-uuid')).status).toBe(400);
    expect((await admin.request('GET', `/api/surveys?channelId=${unknown}`)).status).toBe(404);
    const s = await createSurvey({ title: '空のアンケート' });
    expect((await json<{ code: string }>(admin.request('POST', `/api/surveys/${s.id}/open`), 409)).code).toBe(
      'SURVEY_NO_ITEMS',
    );
    expect((await admin.request('GET', `/api/surveys/${s.id}/responses?before=zzz`)).status).toBe(400);
    expect((await admin.request('GET', `/api/surveys/${s.id}/responses/${unknown}/changes`)).status).toBe(
      404,
    );
    expect(
      (await admin.request('PATCH', `/api/surveys/${s.id}/responses/${unknown}`, { status: 'done' })).status,
    ).toBe(404);
    // The registration form's designer permission does not reach a survey's form, nor the reverse.
    for (const [method, path, body] of [
      ['GET', `/api/surveys?channelId=${w.channelId}`, undefined],
      ['POST', '/api/surveys', { channelId: w.channelId, title: 'x' }],
      ['GET', `/api/surveys/${s.id}`, undefined],
      ['PATCH', `/api/surveys/${s.id}`, { title: 'y' }],
      ['POST', `/api/surveys/${s.id}/open`, undefined],
      ['DELETE', `/api/surveys/${s.id}`, undefined],
      ['GET', `/api/surveys/${s.id}/results`, undefined],
      ['GET', `/api/surveys/${s.id}/responses`, undefined],
      ['GET', `/api/surveys/${s.id}/responses.csv`, undefined],
      ['POST', `/api/forms/${s.form.id}/items`, { type: 'text', label: 'x' }],
    ] as const) {
      expect([path, (await counselor.request(method, path, body)).status]).toEqual([path, 403]);
    }
    const role = await json<{ id: string }>(
      admin.request('POST', '/api/roles', { name: '登録フォーム担当', permissions: ['forms.manage'] }),
      201,
    );
    const designer = await createStaff(w.server.db, 'admin');
    await w.server.db
      .updateTable('staff_accounts')
      .set({ role_id: role.id })
      .where('id', '=', designer.id)
      .execute();
    const formsOnly = await staffClient(w.server, designer.loginId);
    expect(
      (await formsOnly.request('POST', `/api/forms/${s.form.id}/items`, { type: 'text', label: 'x' })).status,
    ).toBe(404);
    // A draft without answers can be deleted, with its form.
    expect((await admin.request('DELETE', `/api/surveys/${s.id}`)).status).toBe(204);
    expect(
      await w.server.db.selectFrom('forms').select('id').where('id', '=', s.form.id).executeTakeFirst(),
    ).toBeUndefined();
    const audited = await w.server.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'survey.%')
      .execute();
    expect(new Set(audited.map((a) => a.action))).toEqual(
      new Set([
        'survey.create',
        'survey.open',
        'survey.close',
        'survey.update',
        'survey.delete',
        'survey.document.put',
        'survey.responses.view',
        'survey.response.update',
        'survey.export',
      ]),
    );
  });
});
