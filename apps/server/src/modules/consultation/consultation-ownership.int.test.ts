import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaff,
  insertTestChannel,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import type { DeskInput } from './desks.schema.ts';
import { createDesk } from './desks.service.ts';

// Object-level checks on consultations over real HTTP (issue 8 §2): desk membership, the current
// assignee, supervisor takeover, transfer targets and unknown IDs. Two desks: 「いじめ」 (counselors A and
// B) and 「子育て」 (counselor C); a supervisor sees both.

type Client = Awaited<ReturnType<typeof staffClient>>;
let server: TestServer;
let admin: Client;
let a: Client;
let b: Client;
let c: Client;
let sv: Client;
let ids: { a: string; b: string; c: string; sv: string; svLogin: string; general: string; disabled: string };
let deskA: string;
let deskC: string;

const alwaysOpen = Object.fromEntries(
  ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
);
const desk = (over: Partial<DeskInput>): DeskInput => ({
  channelId: null,
  name: '窓口',
  slug: 'x',
  description: '',
  hours: alwaysOpen,
  closedOnHolidays: false,
  closedYearEnd: false,
  closedDates: [],
  greeting: 'ようこそ。',
  outOfHoursReply: '',
  emergencyContacts: [],
  recordFields: [{ key: 'summary', label: '相談概要', type: 'textarea', required: true }],
  allowIncompleteRecords: false,
  cannedResponses: [],
  webEnabled: true,
  accessCode: null,
  maxConcurrent: 10,
  riskWords: [],
  keywords: [],
  counselorIds: [],
  ...over,
});

/** A new web consultation at a desk (a fresh consultee unless its cookie is given). */
async function consult(slug: string, cookie = '') {
  const res = await fetch(`${server.url}/api/consult/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ deskSlug: slug }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { consultationId: string };
  const detail = (await (await sv.request('GET', `/api/consultations/${body.consultationId}`)).json()) as {
    consultation: { consulteeId: string };
  };
  return {
    id: body.consultationId,
    consulteeId: detail.consultation.consulteeId,
    cookie: cookie || (res.headers.get('set-cookie') ?? '').split(';')[0]!,
  };
}

/** Counselor `who` takes the consultation, confirms the history and replies once. */
async function takeAndReply(who: Client, id: string) {
  expect((await who.request('POST', `/api/consultations/${id}/assign`, {})).status).toBe(200);
  expect((await who.request('POST', `/api/consultations/${id}/history-confirm`, {})).status).toBe(204);
  expect((await reply(who, id, 'お話を聞かせてください')).status).toBe(201);
}

const reply = (who: Client, id: string, text: string, kind: 'text' | 'note' = 'text') =>
  who.request('POST', `/api/consultations/${id}/messages`, { clientId: randomUUID(), text, kind });

async function expectError(res: Response | Promise<Response>, status: number, code: string) {
  const r = await res;
  const body = (await r.json()) as { code: string; message: string };
  expect({ status: r.status, code: body.code }).toEqual({ status, code });
  expect(body.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const assigneeOf = async (id: string) =>
  (
    await server.db
      .selectFrom('consultations')
      .select('counselor_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).counselor_id;

beforeAll(async () => {
  server = await startTestServer();
  const staff = {
    admin: await createStaff(server.db, 'admin'),
    a: await createStaff(server.db, 'counselor'),
    b: await createStaff(server.db, 'counselor'),
    c: await createStaff(server.db, 'counselor'),
    sv: await createStaff(server.db, 'supervisor'),
    general: await createStaff(server.db, 'general'),
    disabled: await createStaff(server.db, 'counselor'),
  };
  await server.db
    .updateTable('staff_accounts')
    .set({ disabled: true })
    .where('id', '=', staff.disabled.id)
    .execute();
  ids = {
    a: staff.a.id,
    b: staff.b.id,
    c: staff.c.id,
    sv: staff.sv.id,
    svLogin: staff.sv.loginId,
    general: staff.general.id,
    disabled: staff.disabled.id,
  };
  const login = (s: { loginId: string }) => staffClient(server, s.loginId);
  [admin, a, b, c, sv] = await Promise.all([
    login(staff.admin),
    login(staff.a),
    login(staff.b),
    login(staff.c),
    login(staff.sv),
  ]);
  deskA = (
    await createDesk(
      server.db,
      desk({ slug: 'ijime', name: 'いじめ相談', counselorIds: [ids.a, ids.b, ids.disabled] }),
    )
  ).id;
  deskC = (await createDesk(server.db, desk({ slug: 'kosodate', name: '子育て相談', counselorIds: [ids.c] })))
    .id;
});
afterAll(async () => server?.close());

describe('outreach and takeover (C-07, C-04)', () => {
  it('C-07: outreach cannot take over another counselor’s chat; the assigned counselor can still reply', async () => {
    const x = await consult('ijime');
    await takeAndReply(a, x.id);

    // C is not on the desk: refused, and cannot reach the consultee from its own desk either.
    await expectError(
      c.request('POST', '/api/consultations/outreach', {
        consulteeId: x.consulteeId,
        deskId: deskA,
        text: '話しかけます',
      }),
      403,
      'NOT_DESK_MEMBER',
    );
    await expectError(
      c.request('POST', '/api/consultations/outreach', {
        consulteeId: x.consulteeId,
        deskId: deskC,
        text: '話しかけます',
      }),
      404,
      'NOT_FOUND',
    );
    // B works at the desk, and the supervisor sees every desk: neither takes A's chat by outreach.
    for (const who of [b, sv]) {
      await expectError(
        who.request('POST', '/api/consultations/outreach', {
          consulteeId: x.consulteeId,
          deskId: deskA,
          text: '横から失礼します',
        }),
        409,
        'ALREADY_ASSIGNED',
      );
    }
    expect(await assigneeOf(x.id)).toBe(ids.a);
    expect((await reply(a, x.id, 'まだ対応できています')).status).toBe(201);
    const detail = (await (await a.request('GET', `/api/consultations/${x.id}`)).json()) as {
      messages: { text: string }[];
    };
    expect(detail.messages.map((m) => m.text)).not.toContain('横から失礼します');
  });

  it('C-07: outreach to an unknown consultee or desk is 404; the assignee’s own outreach still works', async () => {
    await expectError(
      a.request('POST', '/api/consultations/outreach', {
        consulteeId: randomUUID(),
        deskId: deskA,
        text: 'こんにちは',
      }),
      404,
      'NOT_FOUND',
    );
    const x = await consult('ijime');
    await expectError(
      a.request('POST', '/api/consultations/outreach', {
        consulteeId: x.consulteeId,
        deskId: randomUUID(),
        text: 'こんにちは',
      }),
      404,
      'NOT_FOUND',
    );
    // A waiting consultation is not anyone's: outreach takes it (history counts as read).
    const res = await a.request('POST', '/api/consultations/outreach', {
      consulteeId: x.consulteeId,
      deskId: deskA,
      text: '相談員からご連絡しました',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: x.id, counselorId: ids.a, status: 'active' });
  });

  it('C-04 S-09: only a supervisor takes over an assigned chat, audited as consultation.takeover', async () => {
    const x = await consult('ijime');
    await takeAndReply(a, x.id);
    await expectError(b.request('POST', `/api/consultations/${x.id}/takeover`, {}), 403, 'FORBIDDEN');
    expect(await assigneeOf(x.id)).toBe(ids.a);

    const res = await sv.request('POST', `/api/consultations/${x.id}/takeover`, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: x.id, counselorId: ids.sv, status: 'active' });
    const audit = await server.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'consultation.takeover')
      .where('target_id', '=', x.id)
      .orderBy('id')
      .execute();
    // B's refused attempt and the supervisor's takeover, each with its own row.
    expect(audit.map((r) => r.result)).toEqual(['failure', 'success']);
    expect(audit[1]).toMatchObject({ login_id: ids.svLogin, target_type: 'consultation' });
    expect(audit[1]!.detail).toMatchObject({ previousCounselorId: ids.a });

    // The previous counselor is out; the supervisor reads the history first (C-10), then replies.
    await expectError(reply(a, x.id, 'まだいますか'), 409, 'NOT_ASSIGNED');
    await expectError(reply(sv, x.id, '引き継ぎました'), 409, 'HISTORY_NOT_CONFIRMED');
    expect((await sv.request('POST', `/api/consultations/${x.id}/history-confirm`, {})).status).toBe(204);
    expect((await reply(sv, x.id, '引き継ぎました')).status).toBe(201);

    await expectError(
      sv.request('POST', `/api/consultations/${randomUUID()}/takeover`, {}),
      404,
      'NOT_FOUND',
    );
  });
});

describe('desk membership and the assignee (C-08, C-17)', () => {
  it('C-08: a counselor not on the desk can neither read nor act on its consultations', async () => {
    const x = await consult('ijime');
    const p = `/api/consultations/${x.id}`;
    await expectError(c.request('GET', p), 403, 'NOT_DESK_MEMBER');
    await expectError(c.request('GET', `${p}/history`), 403, 'NOT_DESK_MEMBER');
    await expectError(c.request('POST', `${p}/assign`, {}), 403, 'NOT_DESK_MEMBER');
    await expectError(c.request('POST', `${p}/history-confirm`, {}), 403, 'NOT_DESK_MEMBER');
    await expectError(reply(c, x.id, 'メモ', 'note'), 403, 'NOT_DESK_MEMBER');
    await expectError(c.request('PUT', `${p}/record`, { values: { summary: 'x' } }), 403, 'NOT_DESK_MEMBER');
    await expectError(c.request('POST', `${p}/close`, {}), 403, 'NOT_DESK_MEMBER');
    await expectError(c.request('POST', `${p}/transfer`, { deskId: deskC }), 403, 'NOT_DESK_MEMBER');
    const list = (await (await c.request('GET', `/api/consultations?deskId=${deskA}`)).json()) as {
      items: unknown[];
    };
    expect(list.items).toEqual([]);
    // Refusals are in the audit log too.
    const refused = await server.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', x.id)
      .where('result', '=', 'failure')
      .execute();
    expect(refused.length).toBeGreaterThanOrEqual(8);
    expect(await assigneeOf(x.id)).toBeNull();
  });

  it("C-17: a colleague on the same desk cannot act on another counselor's chat; a supervisor may note and record", async () => {
    const x = await consult('ijime');
    await takeAndReply(a, x.id);
    const p = `/api/consultations/${x.id}`;
    await expectError(b.request('POST', `${p}/assign`, {}), 409, 'ALREADY_ASSIGNED');
    await expectError(b.request('POST', `${p}/history-confirm`, {}), 409, 'ALREADY_ASSIGNED');
    await expectError(reply(b, x.id, '返信'), 409, 'NOT_ASSIGNED');
    await expectError(reply(b, x.id, 'メモ', 'note'), 409, 'ALREADY_ASSIGNED');
    await expectError(b.request('PUT', `${p}/record`, { values: { summary: 'x' } }), 409, 'ALREADY_ASSIGNED');
    await expectError(b.request('POST', `${p}/close`, {}), 409, 'ALREADY_ASSIGNED');
    await expectError(b.request('POST', `${p}/transfer`, { counselorId: ids.b }), 409, 'ALREADY_ASSIGNED');
    // Reading stays open to the desk (the console's 「他の相談員が対応中」 queue).
    expect((await b.request('GET', p)).status).toBe(200);
    // The supervisor watches: notes and records are allowed, confirming the history for A is not.
    expect((await reply(sv, x.id, 'SV メモ: 要注意', 'note')).status).toBe(201);
    expect((await sv.request('PUT', `${p}/record`, { values: { summary: '確認済み' } })).status).toBe(200);
    await expectError(sv.request('POST', `${p}/history-confirm`, {}), 409, 'ALREADY_ASSIGNED');
    expect(await assigneeOf(x.id)).toBe(ids.a);
    expect((await reply(a, x.id, '続けます')).status).toBe(201);
    expect((await a.request('POST', `${p}/close`, {})).status).toBe(204);
  });

  it('C-08: two counselors pressing 対応する at once: exactly one gets the chat', async () => {
    const x = await consult('ijime');
    const results = await Promise.all(
      [a, b].map((who) => who.request('POST', `/api/consultations/${x.id}/assign`, {})),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = results[0]!.status === 200 ? ids.a : ids.b;
    expect(await assigneeOf(x.id)).toBe(winner);
  });
});

describe('transfer targets (C-08)', () => {
  it('C-08: transfer to an unknown, disabled, non-counselor or off-desk account, or an unknown desk, is refused', async () => {
    const x = await consult('ijime');
    await takeAndReply(a, x.id);
    const t = (body: unknown) => a.request('POST', `/api/consultations/${x.id}/transfer`, body);
    await expectError(t({ counselorId: randomUUID() }), 404, 'COUNSELOR_NOT_FOUND');
    await expectError(t({ counselorId: ids.disabled }), 409, 'COUNSELOR_DISABLED');
    await expectError(t({ counselorId: ids.general }), 409, 'NOT_A_COUNSELOR');
    await expectError(t({ counselorId: ids.c }), 409, 'COUNSELOR_NOT_ON_DESK');
    await expectError(t({ deskId: randomUUID() }), 404, 'NOT_FOUND');
    await expectError(t({ deskId: deskA, counselorId: ids.c }), 409, 'COUNSELOR_NOT_ON_DESK');
    expect(await assigneeOf(x.id)).toBe(ids.a);

    // A supervisor may receive a chat at any desk; C at its own desk.
    const ok = await t({ deskId: deskC, counselorId: ids.c });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ deskId: deskC, counselorId: ids.c, status: 'active' });
    // A is not on 子育て: the chat is out of A's reach now.
    await expectError(a.request('GET', `/api/consultations/${x.id}`), 403, 'NOT_DESK_MEMBER');
    const back = await c.request('POST', `/api/consultations/${x.id}/transfer`, {
      deskId: deskA,
      counselorId: ids.sv,
    });
    expect(back.status).toBe(200);
  });

  it('C-08: transfer to a desk where the consultee already has an open consultation is 409, not 500', async () => {
    const first = await consult('ijime');
    const second = await consult('kosodate', first.cookie);
    expect(second.consulteeId).toBe(first.consulteeId);
    await expectError(
      a.request('POST', `/api/consultations/${first.id}/transfer`, { deskId: deskC }),
      409,
      'CONSULTEE_ALREADY_OPEN',
    );
  });

  it('C-08: a LINE consultee is not transferred to a desk of another LINE account', async () => {
    const ch1 = (await insertTestChannel(server, { name: '本番', lineChannelId: '2000000101' })).id;
    const ch2 = (await insertTestChannel(server, { name: '別アカウント', lineChannelId: '2000000102' })).id;
    const d1 = await createDesk(server.db, desk({ slug: 'line-1', channelId: ch1 }));
    const d2 = await createDesk(server.db, desk({ slug: 'line-2', channelId: ch2 }));
    const consultee = await server.db
      .insertInto('consultees')
      .values({ channel_id: ch1, line_user_id: `U${randomBytes(16).toString('hex')}`, label: 'LINE さん' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await server.db
      .insertInto('consultations')
      .values({
        desk_id: d1.id,
        consultee_id: consultee.id,
        origin: 'line',
        status: 'waiting',
        data_key_enc: randomBytes(60),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expectError(
      a.request('POST', `/api/consultations/${row.id}/transfer`, { deskId: d2.id }),
      409,
      'DESK_OTHER_CHANNEL',
    );
    await expectError(
      a.request('POST', '/api/consultations/outreach', {
        consulteeId: consultee.id,
        deskId: d2.id,
        text: 'こんにちは',
      }),
      409,
      'DESK_OTHER_CHANNEL',
    );
  });
});

describe('desk references and unknown IDs (C-08)', () => {
  it('C-08: a desk with an unknown channel or counselor is 404 with a code; a non-counselor is 400', async () => {
    const base = desk({ slug: 'new-desk' });
    await expectError(
      admin.request('POST', '/api/desks', { ...base, channelId: randomUUID() }),
      404,
      'CHANNEL_NOT_FOUND',
    );
    await expectError(
      admin.request('POST', '/api/desks', { ...base, counselorIds: [randomUUID()] }),
      404,
      'COUNSELOR_NOT_FOUND',
    );
    await expectError(
      admin.request('POST', '/api/desks', { ...base, counselorIds: [ids.general] }),
      400,
      'NOT_A_COUNSELOR',
    );
    await expectError(
      admin.request('PATCH', `/api/desks/${deskA}`, { channelId: randomUUID() }),
      404,
      'CHANNEL_NOT_FOUND',
    );
    await expectError(
      admin.request('PATCH', `/api/desks/${randomUUID()}`, { name: '無い窓口' }),
      404,
      'NOT_FOUND',
    );
    const dup = await admin.request('POST', '/api/desks', { ...base, counselorIds: [ids.a, ids.a] });
    expect(dup.status).toBe(201);
    expect(((await dup.json()) as { counselorIds: string[] }).counselorIds).toEqual([ids.a]);
  });

  it('unknown consultation IDs are 404 NOT_FOUND on every route', async () => {
    const p = `/api/consultations/${randomUUID()}`;
    await expectError(sv.request('GET', p), 404, 'NOT_FOUND');
    await expectError(sv.request('GET', `${p}/history`), 404, 'NOT_FOUND');
    for (const action of ['assign', 'history-confirm', 'close', 'takeover'])
      await expectError(sv.request('POST', `${p}/${action}`, {}), 404, 'NOT_FOUND');
    await expectError(reply(sv, randomUUID(), 'x'), 404, 'NOT_FOUND');
    await expectError(sv.request('PUT', `${p}/record`, { values: {} }), 404, 'NOT_FOUND');
    await expectError(sv.request('POST', `${p}/transfer`, { deskId: deskA }), 404, 'NOT_FOUND');
  });
});

describe('console feed (C-04, C-08)', () => {
  it('C-08: the live feed follows desk membership as it changes', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/console`, {
      headers: { cookie: b.cookie },
    } as never);
    const inbox: { type: string; consultation?: { id: string } }[] = [];
    ws.addEventListener('message', (e) => inbox.push(JSON.parse(String(e.data))));
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve);
      ws.addEventListener('error', reject);
    });
    const seen = async (id: string, ms = 3000) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (inbox.some((m) => m.type === 'consultation' && m.consultation?.id === id)) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    try {
      const before = await consult('ijime');
      expect(await seen(before.id)).toBe(true);
      const other = await consult('kosodate');
      // B is taken off いじめ (and never was on 子育て): nothing from either desk reaches B any more.
      expect((await admin.request('PATCH', `/api/desks/${deskA}`, { counselorIds: [ids.a] })).status).toBe(
        200,
      );
      const after = await consult('ijime');
      expect(await seen(after.id, 1500)).toBe(false);
      expect(await seen(other.id, 10)).toBe(false);
    } finally {
      ws.close();
      await admin.request('PATCH', `/api/desks/${deskA}`, { counselorIds: [ids.a, ids.b, ids.disabled] });
    }
  });
});
