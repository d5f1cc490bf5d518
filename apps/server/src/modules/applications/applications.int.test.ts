import type {
  ApplicationPage,
  ApplicationView,
  CitizenApplicationSummary,
  CitizenApplicationView,
  NextStep,
  ProcedureDetail,
  PublicProcedure,
} from '@madoguchi/contracts/applications.ts';
import type { FormView } from '@madoguchi/contracts/forms.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenOf, expectJson as json } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, insertTestChannel, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';

// Procedures and applications against a real server, PostgreSQL and the LINE simulator: staff
// configure a procedure (its form, fee rule) through the API; a friend signed in through LIFF applies;
// another friend can neither read nor change it; staff without the permission get 403 and an
// application of another channel is 404; every status change pushes "申請の状況が更新されました" with a
// link and nothing of the applicant's; 差戻し lets the citizen correct and send again.

let w: LineWorld;
type Client = Awaited<ReturnType<typeof staffClient>>;
let admin: Client;
let counselor: Client;

beforeAll(async () => {
  w = await startLineWorld('2400000151');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
});
afterAll(async () => {
  await w?.close();
});

const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: { message: { type: string; text?: string } }[];
    }
  ).messages
    .map((m) => m.message.text ?? '')
    .filter((t) => t.startsWith('申請の状況'));

const ADDRESS = '千葉県デモ市中央1-2-3 テストハイツ101';
let procedure: ProcedureDetail;
let post: string;
let counter: string;

describe('procedures (A-03)', () => {
  it('staff create a procedure with its form; bad fee rules and an empty form are refused', async () => {
    // Bad input per field.
    for (const bad of [
      { slug: 'Bad Slug' },
      { nameJa: '' },
      { identityLevel: 'strong' },
      { fee: { unitFee: -1 } },
      { fee: { unitFee: 1.5 } },
    ])
      await json(
        admin.request('POST', '/api/procedures', {
          channelId: w.channelId,
          slug: 'x',
          nameJa: 'x',
          identityLevel: 'none',
          fee: { unitFee: 0 },
          ...bad,
        }),
        400,
      );
    await json(
      admin.request('POST', '/api/procedures', {
        channelId: w.channelId,
        slug: 'x',
        nameJa: 'x',
        identityLevel: 'none',
        fee: { unitFee: 0, deliveryItemKey: 'delivery', postage: [] },
      }),
      400,
    );
    procedure = await json<ProcedureDetail>(
      admin.request('POST', '/api/procedures', {
        channelId: w.channelId,
        slug: 'kofu',
        nameJa: '納税証明書',
        identityLevel: 'none',
        fee: { unitFee: 0 },
      }),
      201,
    );
    expect(procedure).toMatchObject({
      slug: 'kofu',
      active: false,
      form: { purpose: 'application', items: [] },
    });
    await json(
      admin.request('POST', '/api/procedures', {
        channelId: w.channelId,
        slug: 'kofu',
        nameJa: '別の手続',
        identityLevel: 'none',
        fee: { unitFee: 0 },
      }),
      409,
    );
    // Nothing to fill in yet: it cannot be opened.
    await json(admin.request('PATCH', `/api/procedures/${procedure.id}`, { active: true }), 409);

    const items = `/api/forms/${procedure.formId}/items`;
    await json(
      admin.request('POST', items, {
        key: 'copies',
        type: 'number',
        label: '通数',
        required: true,
        config: { minValue: 1, maxValue: 10, integer: true },
      }),
      201,
    );
    const form = await json<FormView>(
      admin.request('POST', items, {
        key: 'delivery',
        type: 'single',
        label: '受け取り方法',
        required: true,
        choices: [{ label: '窓口で受け取る' }, { label: '郵送' }],
      }),
      201,
    );
    const delivery = form.items.find((i) => i.key === 'delivery')!;
    counter = delivery.choices[0]!.id;
    post = delivery.choices[1]!.id;
    await json(
      admin.request('POST', items, {
        key: 'mail_to',
        type: 'address',
        label: '送付先',
        required: true,
        config: { showIf: { item: 'delivery', choices: [post] } },
      }),
      201,
    );
    // The copies item must be a number item, the delivery item a choice item with these choices.
    await json(
      admin.request('PATCH', `/api/procedures/${procedure.id}`, {
        fee: { unitFee: 0, copiesItemKey: 'delivery', deliveryItemKey: null, postage: [] },
      }),
      400,
    );
    await json(
      admin.request('PATCH', `/api/procedures/${procedure.id}`, {
        fee: {
          unitFee: 0,
          copiesItemKey: 'copies',
          deliveryItemKey: 'delivery',
          postage: [{ choiceId: '999999', amount: 1 }],
        },
      }),
      400,
    );
    procedure = await json<ProcedureDetail>(
      admin.request('PATCH', `/api/procedures/${procedure.id}`, {
        fee: {
          unitFee: 0,
          copiesItemKey: 'copies',
          deliveryItemKey: 'delivery',
          postage: [
            { choiceId: counter, amount: 0 },
            { choiceId: post, amount: 0 },
          ],
        },
        active: true,
      }),
      200,
    );
    expect(procedure.active).toBe(true);
    expect(procedure.link).toBe(`https://liff.line.me/${w.line.liffId}?page=procedure&id=${procedure.id}`);
    // A counselor may not design procedures, nor read the queue.
    await json(counselor.request('GET', `/api/procedures?channelId=${w.channelId}`), 403);
    await json(counselor.request('GET', `/api/applications?channelId=${w.channelId}`), 403);
  });
});

describe('applications (A-03)', () => {
  let mine: CitizenApplicationView;
  let a: Awaited<ReturnType<typeof citizenOf>>;
  let b: Awaited<ReturnType<typeof citizenOf>>;

  it('a friend applies: the form, the fee computed by the server, 受付 with a reference number and a LINE message', async () => {
    a = await citizenOf(w, '申請 花子');
    b = await citizenOf(w, '他人 次郎');
    const list = await json<PublicProcedure[]>(a.call('GET', '/api/citizen/procedures'), 200);
    expect(list.map((p) => p.nameJa)).toEqual(['納税証明書']);

    // Bad input: not a UUID, an unknown procedure, no session.
    await json(a.call('POST', '/api/citizen/applications', { procedureId: 'nope' }), 400);
    await json(
      a.call('POST', '/api/citizen/applications', { procedureId: '00000000-0000-4000-8000-000000000000' }),
      404,
    );
    await json(
      fetch(`${w.server.url}/api/citizen/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ procedureId: procedure.id }),
      }),
      401,
    );

    const requestKey = 'apply-key-0123456789';
    mine = await json<CitizenApplicationView>(
      a.call('POST', '/api/citizen/applications', { procedureId: procedure.id, requestKey }),
      201,
    );
    // A retried tap: the same application.
    const again = await json<CitizenApplicationView>(
      a.call('POST', '/api/citizen/applications', { procedureId: procedure.id, requestKey }),
      201,
    );
    expect(again.id).toBe(mine.id);
    expect(mine).toMatchObject({ status: 'identity', answers: null, fee: null });
    expect(mine.number).toMatch(/^R\d+-\d{6}$/);

    // Sending before the required answers: refused.
    await json(a.call('POST', `/api/citizen/applications/${mine.id}/submit`, {}), 400);
    // Out of the copies item's range; an unknown item; a bad body.
    await json(
      a.call('PUT', `/api/citizen/applications/${mine.id}/answers`, { answers: { copies: 25 } }),
      400,
    );
    await json(
      a.call('PUT', `/api/citizen/applications/${mine.id}/answers`, { answers: { nope: 'x' } }),
      400,
    );
    await json(a.call('PUT', `/api/citizen/applications/${mine.id}/answers`, { answers: 'x' }), 400);
    // An amount from the browser is not even accepted.
    await json(a.call('POST', `/api/citizen/applications/${mine.id}/submit`, { amount: 1 }), 400);

    const saved = await json<CitizenApplicationView>(
      a.call('PUT', `/api/citizen/applications/${mine.id}/answers`, {
        answers: { copies: 2, delivery: post, mail_to: ADDRESS },
      }),
      200,
    );
    expect(saved.fee).toEqual({ lines: [], total: 0 });
    expect(saved.answers).toMatchObject({ copies: 2, delivery: post, mail_to: ADDRESS });

    // Another friend: the application is not there for them (read, change, send).
    await json(b.call('GET', `/api/citizen/applications/${mine.id}`), 404);
    await json(
      b.call('PUT', `/api/citizen/applications/${mine.id}/answers`, { answers: { copies: 1 } }),
      404,
    );
    await json(b.call('POST', `/api/citizen/applications/${mine.id}/submit`, {}), 404);
    expect(await json<CitizenApplicationSummary[]>(b.call('GET', '/api/citizen/applications'), 200)).toEqual(
      [],
    );

    const sent = await json<NextStep>(a.call('POST', `/api/citizen/applications/${mine.id}/submit`, {}), 200);
    expect(sent.url).toBeNull();
    expect(sent.application.status).toBe('received');
    // Sent twice: refused, nothing changes.
    await json(a.call('POST', `/api/citizen/applications/${mine.id}/submit`, {}), 409);
    await json(
      a.call('PUT', `/api/citizen/applications/${mine.id}/answers`, { answers: { copies: 1 } }),
      409,
    );

    const messages = await until('the 受付 message', async () => {
      const m = await inbox(a.userId);
      return m.length >= 1 ? m : undefined;
    });
    expect(messages).toEqual([
      `申請の状況が更新されました\nhttps://liff.line.me/${w.line.liffId}?page=application&id=${mine.id}`,
    ]);
    const listed = await json<CitizenApplicationSummary[]>(a.call('GET', '/api/citizen/applications'), 200);
    expect(listed).toMatchObject([
      { id: mine.id, status: 'received', procedure: '納税証明書', number: mine.number },
    ]);
  });

  it('staff: the queue with filters, the detail (audited), object-level checks, the status buttons; messages carry no personal data', async () => {
    const page = await json<ApplicationPage>(
      admin.request('GET', `/api/applications?channelId=${w.channelId}&status=received`),
      200,
    );
    expect(page.items.map((i) => i.id)).toEqual([mine.id]);
    expect(
      (
        await json<ApplicationPage>(
          admin.request('GET', `/api/applications?channelId=${w.channelId}&status=shipped`),
          200,
        )
      ).total,
    ).toBe(0);
    await json(admin.request('GET', `/api/applications?channelId=${w.channelId}&status=draft`), 400);
    await json(admin.request('GET', `/api/applications?channelId=${w.channelId}&before=zzz`), 400);

    const detail = await json<ApplicationView>(
      admin.request('GET', `/api/applications/${mine.id}?channelId=${w.channelId}`),
      200,
    );
    expect(detail).toMatchObject({
      status: 'received',
      applicant: '申請 花子',
      next: ['reviewing', 'returned', 'rejected'],
    });
    expect(detail.answers).toEqual([
      { key: 'copies', label: '通数', value: '2' },
      { key: 'delivery', label: '受け取り方法', value: '郵送' },
      { key: 'mail_to', label: '送付先', value: ADDRESS },
    ]);
    const audit = await w.server.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'application.view')
      .execute();
    expect(audit).toContainEqual({ action: 'application.view', target_id: mine.id });

    // Another channel's ID: not there. No channel: 400. A counselor: 403.
    const other = await insertTestChannel(w.server, { lineChannelId: '2400000199' });
    await json(admin.request('GET', `/api/applications/${mine.id}?channelId=${other.id}`), 404);
    await json(
      admin.request('POST', `/api/applications/${mine.id}/status?channelId=${other.id}`, {
        status: 'reviewing',
      }),
      404,
    );
    await json(admin.request('GET', `/api/applications/${mine.id}`), 400);
    await json(counselor.request('GET', `/api/applications/${mine.id}?channelId=${w.channelId}`), 403);
    await json(
      counselor.request('POST', `/api/applications/${mine.id}/status?channelId=${w.channelId}`, {
        status: 'reviewing',
      }),
      403,
    );

    const path = `/api/applications/${mine.id}/status?channelId=${w.channelId}`;
    // Not allowed from 受付; bad status; 差戻し without a reason.
    await json(admin.request('POST', path, { status: 'shipped' }), 409);
    await json(admin.request('POST', path, { status: 'paid' }), 400);
    await json(admin.request('POST', path, { status: 'returned' }), 400);

    await json(admin.request('POST', path, { status: 'reviewing' }), 200);
    const returned = await json<ApplicationView>(
      admin.request('POST', path, { status: 'returned', reason: '送付先の番地をご確認ください' }),
      200,
    );
    expect(returned.status).toBe('returned');

    // The citizen reads the reason on their page, corrects the answers and sends again.
    const back = await json<CitizenApplicationView>(
      a.call('GET', `/api/citizen/applications/${mine.id}`),
      200,
    );
    expect(back).toMatchObject({ status: 'returned', reason: '送付先の番地をご確認ください' });
    await json(
      a.call('PUT', `/api/citizen/applications/${mine.id}/answers`, {
        answers: { mail_to: `${ADDRESS} 2号室` },
      }),
      200,
    );
    const resent = await json<NextStep>(
      a.call('POST', `/api/citizen/applications/${mine.id}/submit`, {}),
      200,
    );
    expect(resent.application).toMatchObject({ status: 'received', reason: null });

    // Assignee and note.
    const assignee = await createStaff(w.server.db, 'admin');
    await json(
      admin.request('PATCH', `/api/applications/${mine.id}?channelId=${w.channelId}`, {
        assigneeId: (await createStaff(w.server.db, 'counselor')).id,
      }),
      400,
    );
    await json(admin.request('PATCH', `/api/applications/${mine.id}?channelId=${w.channelId}`, {}), 400);
    const noted = await json<ApplicationView>(
      admin.request('PATCH', `/api/applications/${mine.id}?channelId=${w.channelId}`, {
        assigneeId: assignee.id,
        note: '電話で番地を確認済み',
      }),
      200,
    );
    expect(noted.assigneeId).toBe(assignee.id);
    expect(noted.changes.filter((c) => c.field === 'note').map((c) => c.to)).toEqual([
      '電話で番地を確認済み',
    ]);
    const sealed = await w.server.db
      .selectFrom('application_changes')
      .select('to_value')
      .where('field', '=', 'note')
      .executeTakeFirstOrThrow();
    expect(sealed.to_value).not.toContain('番地');
    expect(
      (
        await json<ApplicationPage>(
          admin.request('GET', `/api/applications?channelId=${w.channelId}&assigneeId=${assignee.id}`),
          200,
        )
      ).total,
    ).toBe(1);

    await json(admin.request('POST', path, { status: 'reviewing' }), 200);
    const shipped = await json<ApplicationView>(admin.request('POST', path, { status: 'shipped' }), 200);
    expect(shipped).toMatchObject({ status: 'shipped', next: [] });
    expect(shipped.changes.filter((c) => c.field === 'status').map((c) => [c.actor, c.to])).toEqual([
      ['citizen', '受付'],
      ['staff', '審査中'],
      ['staff', '差戻し'],
      ['citizen', '受付'],
      ['staff', '審査中'],
      ['staff', '発送済'],
    ]);

    // Every change reached the applicant as the same text with the link; none names them or their answers.
    const messages = await until('the 発送済 message', async () => {
      const m = await inbox(a.userId);
      return m.length >= 6 ? m : undefined;
    });
    expect(new Set(messages).size).toBe(1);
    for (const text of messages) {
      expect(text).not.toContain('申請 花子');
      expect(text).not.toContain('花子');
      expect(text).not.toContain('千葉県');
      expect(text).not.toContain('送付先');
      expect(text).not.toContain('番地');
      expect(text).not.toContain('納税証明書');
    }
    expect(await inbox(b.userId)).toEqual([]);
  });
});

describe('bad input per route (A-03)', () => {
  it('every route refuses a malformed ID, query or body with 400 and a stable code', async () => {
    const c = await citizenOf(w, '入力 確認');
    const bad = 'not-a-uuid';
    for (const [method, path, body] of [
      ['GET', `/api/citizen/procedures/${bad}`],
      ['GET', `/api/citizen/applications/${bad}`],
      ['POST', `/api/citizen/applications/${bad}/identity`, {}],
      ['POST', `/api/citizen/applications/${bad}/identity/result`, { verificationId: 'x' }],
      ['PUT', `/api/citizen/applications/${bad}/answers`, { answers: {} }],
      ['POST', `/api/citizen/applications/${bad}/submit`, {}],
      ['POST', `/api/citizen/applications/${bad}/payment/check`, {}],
      ['POST', `/api/citizen/applications/${procedure.id}/payment/check`, { paid: true }],
      ['POST', '/api/citizen/applications', {}],
    ] as const) {
      const r = await c.call(method, path, body);
      expect([method, path, r.status]).toEqual([method, path, 400]);
      expect(((await r.json()) as { code: string }).code).toMatch(/^[A-Z_]+$/);
    }
    for (const [method, path, body] of [
      ['GET', '/api/procedures'],
      ['GET', `/api/procedures/${bad}`],
      ['PATCH', `/api/procedures/${procedure.id}`, {}],
      ['PATCH', `/api/procedures/${procedure.id}`, { retentionDays: 0 }],
      ['GET', `/api/applications?channelId=${w.channelId}&limit=1000`],
      ['GET', `/api/applications/${bad}?channelId=${w.channelId}`],
      ['PATCH', `/api/applications/${procedure.id}?channelId=${w.channelId}`, { note: '' }],
      ['POST', `/api/applications/${procedure.id}/status?channelId=${w.channelId}`, { status: 'rejected' }],
    ] as const) {
      const r = await admin.request(method, path, body);
      expect([method, path, r.status]).toEqual([method, path, 400]);
    }
    // An unknown application (well-formed ID): 404 for the citizen and for staff.
    await json(c.call('GET', `/api/citizen/applications/${procedure.id}`), 404);
    await json(admin.request('GET', `/api/applications/${procedure.id}?channelId=${w.channelId}`), 404);
  });
});
