import type {
  ApplicationView,
  CitizenApplicationView,
  NextStep,
  ProcedureDetail,
} from '@madoguchi/contracts/applications.ts';
import type { FormView } from '@madoguchi/contracts/forms.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../../platform/jobs.ts';
import { citizenOf, expectJson as json } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { APPLICATION_PURGE_JOB } from './applications.module.ts';

// An application's identity step through the identity module and the simulator's JPKI
// stand-in over real HTTP (the browser's part done with fetch): the citizen is sent to the provider,
// comes back to the application's page, the server checks the verification (not the query string);
// the citizen and staff see the verified name and address; the LINE status message never has them.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let procedure: ProcedureDetail;
let counter: string;

beforeAll(async () => {
  w = await startLineWorld('2400000171', { identity: true });
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  procedure = await json<ProcedureDetail>(
    admin.request('POST', '/api/procedures', {
      channelId: w.channelId,
      slug: 'juminhyo',
      nameJa: '住民票の写し',
      identityLevel: 'basic',
      fee: { unitFee: 0 },
    }),
    201,
  );
  const form = await json<FormView>(
    admin.request('POST', `/api/forms/${procedure.formId}/items`, {
      key: 'delivery',
      type: 'single',
      label: '受け取り方法',
      required: true,
      choices: [{ label: '窓口で受け取る' }, { label: '郵送' }],
    }),
    201,
  );
  counter = form.items[0]!.choices[0]!.id;
  await json(admin.request('PATCH', `/api/procedures/${procedure.id}`, { active: true }), 200);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

/** At the stand-in's card page: answers it (test identity, PIN); returns where it redirects. */
async function atProvider(url: string, answer: { identity?: string; pin?: string; action?: string } = {}) {
  const page = await fetch(url, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  expect(request).toBeTruthy();
  const r = await fetch(url.split('?')[0]!, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      request: request!,
      identity: answer.identity ?? 'hanako',
      pin: answer.pin ?? '1234',
      action: answer.action ?? 'submit',
    }),
  });
  expect(r.status).toBe(302);
  return new URL(r.headers.get('location')!);
}

/** The identity module's callback (on the test server's port) with the citizen's cookie: where it lands. */
async function back(location: URL, cookie: string) {
  const r = await fetch(`${w.server.url}${location.pathname}${location.search}`, {
    redirect: 'manual',
    headers: { cookie },
  });
  expect(r.status).toBe(303);
  return new URL(r.headers.get('location')!, 'http://same-origin.invalid');
}

const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: { message: { text?: string } }[];
    }
  ).messages.map((m) => m.message.text ?? '');

describe('the identity step of an application (A-01, A-03)', () => {
  it('the provider, back to the page, checked by the server; the verified attributes on our pages only', async () => {
    const c = await citizenOf(w, '申請 本人');
    const other = await citizenOf(w, '申請 他人');
    const app = await json<CitizenApplicationView>(
      c.call('POST', '/api/citizen/applications', { procedureId: procedure.id }),
      201,
    );
    expect(app.status).toBe('draft');
    // The form waits for the identity check.
    await json(
      c.call('PUT', `/api/citizen/applications/${app.id}/answers`, { answers: { delivery: counter } }),
      409,
    );
    await json(c.call('POST', `/api/citizen/applications/${app.id}/identity`, { x: 1 }), 400);
    await json(other.call('POST', `/api/citizen/applications/${app.id}/identity`, {}), 404);

    // An expired certificate: back on the page as failed with its code, still 本人確認前.
    const first = await json<NextStep>(
      c.call('POST', `/api/citizen/applications/${app.id}/identity`, {}),
      200,
    );
    const failed = await back(await atProvider(first.url!, { identity: 'kigen' }), c.cookie);
    expect(failed.pathname).toBe(`/citizen/applications/${app.id}`);
    expect(failed.searchParams.get('identityStatus')).toBe('failed');
    expect(failed.searchParams.get('identityError')).toBe('certificate_expired');
    const stillDraft = await json<CitizenApplicationView>(
      c.call('GET', `/api/citizen/applications/${app.id}`),
      200,
    );
    expect(stillDraft).toMatchObject({ status: 'draft', identity: null });

    const again = await json<NextStep>(
      c.call('POST', `/api/citizen/applications/${app.id}/identity`, {}),
      200,
    );
    const landed = await back(await atProvider(again.url!), c.cookie);
    expect(landed.pathname).toBe(`/citizen/applications/${app.id}`);
    expect(landed.searchParams.get('ch')).toBe(w.channelId);
    expect(landed.searchParams.get('identityStatus')).toBe('verified');
    const verificationId = landed.searchParams.get('identity')!;

    // The query string proves nothing: a made-up ID, another friend, a bad ID are refused.
    await json(
      c.call('POST', `/api/citizen/applications/${app.id}/identity/result`, {
        verificationId: '00000000-0000-4000-8000-000000000000',
      }),
      409,
    );
    await json(
      other.call('POST', `/api/citizen/applications/${app.id}/identity/result`, { verificationId }),
      404,
    );
    await json(
      c.call('POST', `/api/citizen/applications/${app.id}/identity/result`, { verificationId: 'a b' }),
      400,
    );

    const verified = await json<CitizenApplicationView>(
      c.call('POST', `/api/citizen/applications/${app.id}/identity/result`, { verificationId }),
      200,
    );
    expect(verified.status).toBe('identity');
    expect(verified.identity).toMatchObject({ name: '平川 花子', address: '平川市本町一丁目2番3号' });
    // Another application of the same friend cannot borrow this verification.
    const second = await json<CitizenApplicationView>(
      c.call('POST', '/api/citizen/applications', { procedureId: procedure.id }),
      201,
    );
    await json(
      c.call('POST', `/api/citizen/applications/${second.id}/identity/result`, { verificationId }),
      409,
    );

    await json(
      c.call('PUT', `/api/citizen/applications/${app.id}/answers`, { answers: { delivery: counter } }),
      200,
    );
    const sent = await json<NextStep>(c.call('POST', `/api/citizen/applications/${app.id}/submit`, {}), 200);
    expect(sent.application.status).toBe('received');

    // Staff see the verified attributes (the view is audited).
    const staffView = await json<ApplicationView>(
      admin.request('GET', `/api/applications/${app.id}?channelId=${w.channelId}`),
      200,
    );
    expect(staffView.identity).toMatchObject({
      name: '平川 花子',
      address: '平川市本町一丁目2番3号',
      signed: false,
    });
    await json(
      admin.request('POST', `/api/applications/${app.id}/status?channelId=${w.channelId}`, {
        status: 'reviewing',
      }),
      200,
    );

    // LINE heard of 受付 and 審査中, never of the name or the address.
    const messages = await until('two status messages', async () => {
      const m = (await inbox(c.userId)).filter((t) => t.startsWith('申請の状況が更新されました'));
      return m.length >= 2 ? m : undefined;
    });
    for (const text of await inbox(c.userId)) {
      expect(text).not.toContain('花子');
      expect(text).not.toContain('平川市');
      expect(text).not.toContain('本町');
    }
    expect(messages).toHaveLength(2);

    // Retention: once the application is closed and its procedure's retention (365 days)
    // has passed, the daily job deletes it and the verified attributes with it.
    await json(
      admin.request('POST', `/api/applications/${app.id}/status?channelId=${w.channelId}`, {
        status: 'shipped',
      }),
      200,
    );
    const verification = () =>
      w.server.db
        .selectFrom('identity_verifications')
        .select(['status', 'attributes_enc', 'purged_at'])
        .where('purpose', '=', 'application')
        .where('ref', '=', app.id)
        .where('status', '=', 'verified')
        .executeTakeFirstOrThrow();
    expect((await verification()).attributes_enc).not.toBeNull();
    await w.server.db
      .updateTable('applications')
      .set({ closed_at: new Date(Date.now() - 366 * 86_400_000) })
      .where('id', '=', app.id)
      .execute();
    const jobs = createJobs(w.server.databaseUrl, () => {});
    await jobs.start({ workers: false });
    try {
      await jobs.send(APPLICATION_PURGE_JOB, {});
    } finally {
      await jobs.stop();
    }
    await until(
      'the closed application deleted',
      async () =>
        !(await w.server.db
          .selectFrom('applications')
          .select('id')
          .where('id', '=', app.id)
          .executeTakeFirst()),
    );
    expect(await verification()).toMatchObject({ attributes_enc: null, purged_at: expect.any(Date) });
    // The friend's other application (a draft, not closed) is still there.
    expect(
      await w.server.db
        .selectFrom('applications')
        .select('id')
        .where('id', '=', second.id)
        .executeTakeFirst(),
    ).toEqual({ id: second.id });
  });
});

/** The stand-in's checkout session behind a payment page URL. */
async function sessionAt(url: string) {
  const log = (await w.sim$('GET', '/_sim/payments/log')) as {
    sessions: { id: string; url: string | null; amount_total: number; status: string }[];
  };
  return log.sessions.find((s) => s.url === url);
}

describe('the payment step of an application (A-02, A-03)', () => {
  let fee: ProcedureDetail;
  let post: string;

  it('the fee computed here, one payment for a double tap, 受付 once the provider confirms; 却下 refunds once', async () => {
    fee = await json<ProcedureDetail>(
      admin.request('POST', '/api/procedures', {
        channelId: w.channelId,
        slug: 'inkan',
        nameJa: '印鑑登録証明書',
        identityLevel: 'none',
        fee: { unitFee: 300 },
      }),
      201,
    );
    await json(
      admin.request('POST', `/api/forms/${fee.formId}/items`, {
        key: 'copies',
        type: 'number',
        label: '通数',
        required: true,
        config: { minValue: 1, maxValue: 10, integer: true },
      }),
      201,
    );
    const form = await json<FormView>(
      admin.request('POST', `/api/forms/${fee.formId}/items`, {
        key: 'delivery',
        type: 'single',
        label: '受け取り方法',
        required: true,
        choices: [{ label: '窓口で受け取る' }, { label: '郵送' }],
      }),
      201,
    );
    const [atCounter, byPost] = form.items.find((i) => i.key === 'delivery')!.choices;
    post = byPost!.id;
    await json(
      admin.request('PATCH', `/api/procedures/${fee.id}`, {
        active: true,
        fee: {
          unitFee: 300,
          copiesItemKey: 'copies',
          deliveryItemKey: 'delivery',
          postage: [
            { choiceId: atCounter!.id, amount: 0 },
            { choiceId: post, amount: 110 },
          ],
        },
      }),
      200,
    );

    const c = await citizenOf(w, '支払い 太郎');
    const app = await json<CitizenApplicationView>(
      c.call('POST', '/api/citizen/applications', { procedureId: fee.id }),
      201,
    );
    const saved = await json<CitizenApplicationView>(
      c.call('PUT', `/api/citizen/applications/${app.id}/answers`, {
        answers: { copies: 2, delivery: post },
      }),
      200,
    );
    expect(saved.fee).toEqual({
      lines: [
        { label: '印鑑登録証明書 手数料', unitAmount: 300, quantity: 2 },
        { label: '郵送料（郵送）', unitAmount: 110, quantity: 1 },
      ],
      total: 710,
    });
    // Nothing from the browser sets the amount.
    await json(c.call('POST', `/api/citizen/applications/${app.id}/submit`, { amount: 1 }), 400);

    // A double tap: one payment, the same page.
    const [one, two] = await Promise.all([
      json<NextStep>(c.call('POST', `/api/citizen/applications/${app.id}/submit`, {}), 200),
      json<NextStep>(c.call('POST', `/api/citizen/applications/${app.id}/submit`, {}), 200),
    ]);
    expect(one.url).toBeTruthy();
    expect(two.url).toBe(one.url);
    expect(one.application.status).toBe('payment');
    const session = (await sessionAt(one.url!))!;
    expect(session.amount_total).toBe(710);
    const payments = await w.server.db
      .selectFrom('payments')
      .select(['id', 'amount', 'status'])
      .where('ref', '=', app.id)
      .execute();
    expect(payments).toEqual([{ id: expect.any(String), amount: 710, status: 'pending' }]);
    // Answers cannot change while the payment is open.
    await json(c.call('PUT', `/api/citizen/applications/${app.id}/answers`, { answers: { copies: 1 } }), 409);

    // Back from the page without paying: still waiting (the redirect proves nothing).
    const waiting = await json<CitizenApplicationView>(
      c.call('POST', `/api/citizen/applications/${app.id}/payment/check`, {}),
      200,
    );
    expect(waiting).toMatchObject({ status: 'payment', paymentStatus: 'pending' });
    expect(
      (
        await json<{ total: number }>(
          admin.request('GET', `/api/applications?channelId=${w.channelId}&procedureId=${fee.id}`),
          200,
        )
      ).total,
    ).toBe(0);

    // Paid at the stand-in (test card): the signed webhook moves it to 受付.
    await w.sim$('POST', `/_sim/payments/sessions/${session.id}/pay`);
    const received = await until('受付 after the webhook', async () => {
      const a = await json<CitizenApplicationView>(c.call('GET', `/api/citizen/applications/${app.id}`), 200);
      return a.status === 'received' ? a : undefined;
    });
    expect(received).toMatchObject({ paymentStatus: 'paid', fee: { total: 710 } });
    const checked = await json<CitizenApplicationView>(
      c.call('POST', `/api/citizen/applications/${app.id}/payment/check`, {}),
      200,
    );
    expect(checked.status).toBe('received');

    // 却下: the payment is refunded, once, however often it is pressed.
    const path = `/api/applications/${app.id}/status?channelId=${w.channelId}`;
    const rejected = await json<ApplicationView>(
      admin.request('POST', path, { status: 'rejected', reason: '印鑑登録がありません' }),
      200,
    );
    expect(rejected).toMatchObject({ status: 'rejected', next: [] });
    await json(admin.request('POST', path, { status: 'rejected', reason: 'もう一度' }), 409);
    const refunds = await w.server.db
      .selectFrom('payment_refunds')
      .select(['amount', 'status'])
      .where('payment_id', '=', payments[0]!.id)
      .execute();
    expect(refunds).toEqual([{ amount: 710, status: 'succeeded' }]);
    const log = (await w.sim$('GET', '/_sim/payments/log')) as { refunds: { amount: number }[] };
    expect(log.refunds.filter((r) => r.amount === 710)).toHaveLength(1);
    const seen = await json<CitizenApplicationView>(
      c.call('GET', `/api/citizen/applications/${app.id}`),
      200,
    );
    expect(seen).toMatchObject({
      status: 'rejected',
      reason: '印鑑登録がありません',
      paymentStatus: 'refunded',
    });

    // 受付 and 却下 reached LINE as the same text; no reason, no name.
    const messages = await until('two status messages', async () => {
      const m = (await inbox(c.userId)).filter((t) => t.startsWith('申請の状況が更新されました'));
      return m.length >= 2 ? m : undefined;
    });
    expect(messages).toHaveLength(2);
    for (const text of await inbox(c.userId)) {
      expect(text).not.toContain('印鑑登録がありません');
      expect(text).not.toContain('太郎');
    }
  });
});
