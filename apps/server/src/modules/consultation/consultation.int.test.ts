import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import { XLSX_CONTENT_TYPE } from '../../platform/http/xlsx.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';
import type { DeskInput } from './desks.schema.ts';
import { createDesk } from './desks.service.ts';

// The consultation end to end over real HTTP and WebSocket on a real PostgreSQL (C-01 … C-11).

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let counselor: Awaited<ReturnType<typeof staffClient>>;

const alwaysOpen = Object.fromEntries(
  ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
);
const desk = (over: Partial<DeskInput>): DeskInput => ({
  channelId: null,
  name: 'テスト窓口',
  slug: 'test',
  description: '',
  hours: alwaysOpen,
  closedOnHolidays: false,
  closedYearEnd: false,
  closedDates: [],
  greeting: 'ようこそ。ご相談内容を入力してください。',
  outOfHoursReply: '受付時間外です。',
  emergencyContacts: [{ name: 'いのちの電話', phone: '0570-783-556', hours: '24時間' }],
  recordFields: [
    { key: 'gender', label: '性別', type: 'select', options: ['女性', '男性', '不明'], required: true },
    { key: 'summary', label: '相談概要', type: 'textarea', required: true },
  ],
  allowIncompleteRecords: false,
  cannedResponses: [],
  webEnabled: true,
  accessCode: 'school-code',
  maxConcurrent: 3,
  riskWords: ['死にたい'],
  keywords: [],
  counselorIds: [],
  ...over,
});

/** A web consultee: the anonymous cookie and a socket with an inbox. */
async function webConsultee(slug: string, accessCode?: string) {
  const res = await fetch(`${server.url}/api/consult/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deskSlug: slug, accessCode }),
  });
  const body = (await res.json()) as { consultationId: string; messages: { text: string; sender: string }[] };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { ...body, httpStatus: res.status, cookie };
}

interface Socket {
  ws: WebSocket;
  inbox: Record<string, unknown>[];
  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(data: unknown): void;
}

async function open(path: string, cookie: string): Promise<Socket> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers: { cookie } } as never);
  const inbox: Record<string, unknown>[] = [];
  const waiters: {
    pred: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data)) as Record<string, unknown>;
    inbox.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error(`socket ${path} refused`)));
  });
  return {
    ws,
    inbox,
    send: (data) => ws.send(JSON.stringify(data)),
    next: (pred, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const hit = inbox.find(pred);
        if (hit) return resolve(hit);
        waiters.push({ pred, resolve });
        setTimeout(() => reject(new Error('timed out waiting for a socket message')), timeoutMs);
      }),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const a = await createStaff(server.db, 'admin');
  admin = await staffClient(server, a.loginId);
  const c = await createStaff(server.db, 'counselor');
  counselor = await staffClient(server, c.loginId);
  await createDesk(server.db, desk({}));
  await createDesk(server.db, desk({ slug: 'closed', name: '休日窓口', hours: {}, accessCode: null }));
  await createDesk(
    server.db,
    desk({ slug: 'line-only', name: 'LINE 専用', webEnabled: false, accessCode: null }),
  );
});
afterAll(async () => server?.close());

describe('web consultation (C-02, C-09, C-10, C-11)', () => {
  it('C-02: a web consultee needs the school access code; LINE-only desks refuse the web', async () => {
    expect((await webConsultee('test', 'wrong')).httpStatus).toBe(403);
    expect((await webConsultee('test')).httpStatus).toBe(403);
    const lineOnly = await webConsultee('line-only');
    expect(lineOnly.httpStatus).toBe(403);
    const ok = await webConsultee('test', 'school-code');
    expect(ok.httpStatus).toBe(200);
    expect(ok.messages[0]).toMatchObject({
      sender: 'system',
      text: 'ようこそ。ご相談内容を入力してください。',
    });
  });

  it('C-09 C-10 C-11: chat with presence, history first, record required before closing', async () => {
    const consultee = await webConsultee('test', 'school-code');
    const feed = await open('/ws/console', counselor.cookie);
    const chat = await open(`/ws/consult?consultationId=${consultee.consultationId}`, consultee.cookie);
    await chat.next((m) => m.type === 'status' && m.status === 'waiting');

    // Presence (C-09): the console learns the chat screen is open, and when the consultee types.
    chat.send({ type: 'visibility', visible: true });
    await feed.next(
      (m) => m.type === 'presence' && m.consultationId === consultee.consultationId && m.online === true,
    );
    chat.send({ type: 'typing' });
    await feed.next((m) => m.type === 'presence' && m.typing === true);

    // A message is acknowledged; the same clientId resent is stored once.
    chat.send({ type: 'message', clientId: 'c-1', text: '家賃が払えなくて困っています' });
    const ack = await chat.next((m) => m.type === 'ack' && m.clientId === 'c-1');
    chat.send({ type: 'message', clientId: 'c-1', text: '家賃が払えなくて困っています' });
    const ack2 = await chat.next((m) => m.type === 'ack' && m.clientId === 'c-1' && m !== ack);
    expect((ack2.message as { id: string }).id).toBe((ack.message as { id: string }).id);
    await feed.next(
      (m) => m.type === 'message' && (m.message as { text: string }).text === '家賃が払えなくて困っています',
    );

    // The counselor takes it; replying is refused until the history is confirmed (C-10).
    const id = consultee.consultationId;
    expect((await counselor.request('POST', `/api/consultations/${id}/assign`, {})).status).toBe(200);
    const early = await counselor.request('POST', `/api/consultations/${id}/messages`, {
      clientId: 'r-1',
      text: 'こんにちは',
      kind: 'text',
    });
    expect(early.status).toBe(409);
    expect((await early.json()).code).toBe('HISTORY_NOT_CONFIRMED');
    expect((await counselor.request('GET', `/api/consultations/${id}/history`)).status).toBe(200);
    expect((await counselor.request('POST', `/api/consultations/${id}/history-confirm`, {})).status).toBe(
      204,
    );
    const reply = await counselor.request('POST', `/api/consultations/${id}/messages`, {
      clientId: 'r-1',
      text: '相談員の山田です。お話を聞かせてください。',
      kind: 'text',
    });
    expect(reply.status).toBe(201);
    await chat.next(
      (m) =>
        m.type === 'message' &&
        (m.message as { text: string }).text === '相談員の山田です。お話を聞かせてください。',
    );

    // Internal notes never reach the consultee.
    await counselor.request('POST', `/api/consultations/${id}/messages`, {
      clientId: 'n-1',
      text: '内部メモ: 生活保護の案内',
      kind: 'note',
    });
    await feed.next((m) => m.type === 'message' && (m.message as { kind: string }).kind === 'note');
    expect(chat.inbox.some((m) => JSON.stringify(m).includes('内部メモ'))).toBe(false);

    // Closing with an empty record is refused with the missing fields listed (C-11).
    const refused = await counselor.request('POST', `/api/consultations/${id}/close`, {});
    expect(refused.status).toBe(422);
    const err = (await refused.json()) as { code: string; details: { path: string }[] };
    expect(err.code).toBe('RECORD_INCOMPLETE');
    expect(err.details.map((d) => d.path)).toEqual(['gender', 'summary']);
    const saved = await counselor.request('PUT', `/api/consultations/${id}/record`, {
      values: { gender: '女性', summary: '家賃の滞納' },
    });
    expect(await saved.json()).toMatchObject({ missing: [] });
    expect((await counselor.request('POST', `/api/consultations/${id}/close`, {})).status).toBe(204);
    await chat.next((m) => m.type === 'status' && m.status === 'closed');

    // The consultee leaves: presence goes offline.
    chat.ws.close();
    await feed.next((m) => m.type === 'presence' && m.consultationId === id && m.online === false);
    feed.ws.close();
  });

  it('reconnect without loss or duplicates: resume returns what was missed', async () => {
    const consultee = await webConsultee('test', 'school-code');
    const id = consultee.consultationId;
    const first = await open(`/ws/consult?consultationId=${id}`, consultee.cookie);
    first.send({ type: 'message', clientId: 'a', text: '一通目' });
    const ack = await first.next((m) => m.type === 'ack');
    first.ws.close();
    await counselor.request('POST', `/api/consultations/${id}/assign`, {});
    await counselor.request('POST', `/api/consultations/${id}/history-confirm`, {});
    await counselor.request('POST', `/api/consultations/${id}/messages`, {
      clientId: 'x',
      text: '不在中の返信',
      kind: 'text',
    });
    const second = await open(`/ws/consult?consultationId=${id}`, consultee.cookie);
    second.send({ type: 'resume', afterId: (ack.message as { id: string }).id });
    const missed = await second.next((m) => m.type === 'messages');
    expect((missed.messages as { text: string }[]).map((m) => m.text)).toEqual(['不在中の返信']);
    // The client resends the message it never saw acknowledged: stored once.
    second.send({ type: 'message', clientId: 'a', text: '一通目' });
    await second.next((m) => m.type === 'ack' && m.clientId === 'a');
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from consultation_messages where consultation_id = ${id} and client_id = 'a'`.execute(
      server.db,
    );
    expect(Number(rows[0]!.n)).toBe(1);
    second.ws.close();
  });

  it('C-06: out of hours the desk answers automatically and the message is still stored', async () => {
    const consultee = await webConsultee('closed');
    const chat = await open(`/ws/consult?consultationId=${consultee.consultationId}`, consultee.cookie);
    chat.send({ type: 'message', clientId: 'o-1', text: '夜遅くにすみません' });
    await chat.next((m) => m.type === 'ack');
    await chat.next(
      (m) => m.type === 'message' && (m.message as { text: string }).text === '受付時間外です。',
    );
    chat.ws.close();
  });

  it('risk words flag the consultation and alert the console live', async () => {
    const feed = await open('/ws/console', counselor.cookie);
    const consultee = await webConsultee('test', 'school-code');
    const chat = await open(`/ws/consult?consultationId=${consultee.consultationId}`, consultee.cookie);
    chat.send({ type: 'message', clientId: 'r', text: 'もう死にたいです' });
    const alert = await feed.next((m) => m.type === 'risk');
    expect(alert).toMatchObject({ consultationId: consultee.consultationId, word: '死にたい' });
    const detail = (await (
      await counselor.request('GET', `/api/consultations/${consultee.consultationId}`)
    ).json()) as { consultation: { riskFlagged: boolean } };
    expect(detail.consultation.riskFlagged).toBe(true);
    chat.ws.close();
    feed.ws.close();
  });
});

describe('protection of consultations (C-03, C-04, C-17)', () => {
  it('C-17: message text is encrypted at rest', async () => {
    const consultee = await webConsultee('test', 'school-code');
    const chat = await open(`/ws/consult?consultationId=${consultee.consultationId}`, consultee.cookie);
    chat.send({ type: 'message', clientId: 'enc', text: '秘密の相談内容XYZ' });
    await chat.next((m) => m.type === 'ack');
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from consultation_messages where position(convert_to('秘密の相談内容XYZ', 'UTF8') in body_enc) > 0`.execute(
      server.db,
    );
    expect(Number(rows[0]!.n)).toBe(0);
    // Envelope encryption: every consultation has its own data key, stored only encrypted.
    const keys = await sql<{ total: string; distinct: string }>`
      select count(*) as total, count(distinct data_key_enc) as distinct from consultations`.execute(
      server.db,
    );
    expect(Number(keys.rows[0]!.distinct)).toBe(Number(keys.rows[0]!.total));
    chat.ws.close();
  });

  it("another consultee cannot open or end someone else's chat", async () => {
    const owner = await webConsultee('test', 'school-code');
    const other = await webConsultee('test', 'school-code');
    for (const cookie of [other.cookie, '']) {
      const s = await open(`/ws/consult?consultationId=${owner.consultationId}`, cookie);
      expect(await s.next((m) => m.type === 'error')).toMatchObject({ code: 'NOT_FOUND' });
      await new Promise((r) => s.ws.addEventListener('close', r));
      expect(s.inbox.some((m) => m.type === 'status' || m.type === 'message')).toBe(false);
    }
    const end = await fetch(`${server.url}/api/consult/${owner.consultationId}/end`, {
      method: 'POST',
      headers: { cookie: other.cookie },
    });
    expect(end.status).toBe(404);
  });

  it('bad input: oversized and empty messages, script text kept as text, malformed frames', async () => {
    const consultee = await webConsultee('test', 'school-code');
    const chat = await open(`/ws/consult?consultationId=${consultee.consultationId}`, consultee.cookie);
    chat.send({ type: 'message', clientId: 'big', text: 'あ'.repeat(2001) });
    expect(await chat.next((m) => m.type === 'error' && m.clientId === 'big')).toMatchObject({
      code: 'MESSAGE_TOO_LONG',
    });
    chat.send({ type: 'message', clientId: 'empty', text: '   ' });
    expect(await chat.next((m) => m.type === 'error' && m.clientId === 'empty')).toMatchObject({
      code: 'MESSAGE_EMPTY',
    });
    chat.ws.send('{not json');
    await chat.next((m) => m.type === 'error' && m.code === 'INVALID_MESSAGE');
    chat.send({ type: 'message', clientId: 'xss', text: '<script>alert(1)</script>' });
    const ack = await chat.next((m) => m.type === 'ack' && m.clientId === 'xss');
    expect((ack.message as { text: string }).text).toBe('<script>alert(1)</script>');
    chat.ws.close();
  });

  it('C-03: counselor endpoints and the console feed follow the counselor IP allow-list', async () => {
    const put = await admin.request('PUT', '/api/ip-allowlists/counselor', {
      entries: [{ cidr: '192.0.2.0/24', note: '相談室' }],
    });
    expect(put.status).toBe(200);
    try {
      const list = await counselor.request('GET', '/api/consultations');
      expect(list.status).toBe(403);
      expect((await list.json()).code).toBe('IP_NOT_ALLOWED');
      await expect(open('/ws/console', counselor.cookie)).rejects.toThrow();
    } finally {
      await admin.request('PUT', '/api/ip-allowlists/counselor', { entries: [] });
    }
  });

  it('C-04: a supervisor sees every consultation and reading one is audited; staff without the permission cannot', async () => {
    const sv = await createStaff(server.db, 'supervisor');
    const supervisor = await staffClient(server, sv.loginId);
    const list = (await (await supervisor.request('GET', '/api/consultations')).json()) as {
      items: { id: string }[];
    };
    expect(list.items.length).toBeGreaterThan(0);
    const read = await supervisor.request('GET', `/api/consultations/${list.items[0]!.id}`);
    expect(read.status).toBe(200);
    const audit = await server.db
      .selectFrom('audit_log')
      .selectAll()
      .where('login_id', '=', sv.loginId)
      .where('action', '=', 'consultation.read')
      .execute();
    expect(audit).toHaveLength(1);
    const general = await createStaff(server.db, 'general');
    const g = await staffClient(server, general.loginId);
    expect((await g.request('GET', '/api/consultations')).status).toBe(403);
  });
});

describe('statistics and export (C-05)', () => {
  it('C-05: counts per day, hour, desk, origin and record fields; CSV with BOM has one row per consultation', async () => {
    const sv = await createStaff(server.db, 'supervisor');
    const supervisor = await staffClient(server, sv.loginId);
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const res = await supervisor.request('GET', `/api/consultation-stats?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    const stats = (await res.json()) as {
      total: number;
      byDay: { date: string; count: number }[];
      byHour: { count: number }[];
      byOrigin: { web: number; line: number };
      byField: Record<string, { counts: Record<string, number> }>;
      avgFirstReplyMinutes: number | null;
    };
    const { rows } = await sql<{ n: string }>`select count(*) as n from consultations`.execute(server.db);
    expect(stats.total).toBe(Number(rows[0]!.n));
    expect(stats.byDay).toEqual([{ date: today, count: stats.total }]);
    expect(stats.byHour.reduce((s, h) => s + h.count, 0)).toBe(stats.total);
    expect(stats.byOrigin.web).toBe(stats.total);
    expect(stats.byField.gender?.counts.女性).toBe(1);
    expect(stats.avgFirstReplyMinutes).not.toBeNull();

    const csv = await supervisor.request('GET', `/api/consultations.csv?from=${today}&to=${today}`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('相談ID,窓口,経路,状態,開始日時');
    expect(lines[0]).toContain('性別,相談概要');
    expect(lines).toHaveLength(stats.total + 1);
    expect(lines.some((l) => l.includes('女性') && l.includes('家賃の滞納'))).toBe(true);

    // The same rows as an Excel file (streamed by platform/http/xlsx.ts), read back.
    const xlsx = await supervisor.request('GET', `/api/consultations.xlsx?from=${today}&to=${today}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    const sheet = await readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet.name).toBe('相談');
    expect(sheet.rows).toHaveLength(stats.total + 1);
    expect(sheet.rows[0]!.slice(0, 5)).toEqual(['相談ID', '窓口', '経路', '状態', '開始日時']);
    expect(
      sheet.rows.some((r) => r.includes('女性') && r.some((c) => String(c).includes('家賃の滞納'))),
    ).toBe(true);

    expect((await counselor.request('GET', `/api/consultation-stats?from=${today}&to=${today}`)).status).toBe(
      403,
    );
    expect((await supervisor.request('GET', '/api/consultation-stats?from=2026-13-01&to=x')).status).toBe(
      400,
    );
  });
});

describe('desk settings (C-08)', () => {
  it('C-08: a PATCH changes only the fields it names; bad hours and markup are refused', async () => {
    const list = (await (await admin.request('GET', '/api/desks')).json()) as {
      id: string;
      slug: string;
      greeting: string;
      webEnabled: boolean;
    }[];
    const before = list.find((d) => d.slug === 'test')!;
    const res = await admin.request('PATCH', `/api/desks/${before.id}`, { closedDates: ['2026-12-24'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      closedDates: ['2026-12-24'],
      greeting: before.greeting,
      webEnabled: true,
      hasAccessCode: true,
    });
    const bad = await admin.request('PATCH', `/api/desks/${before.id}`, {
      hours: { '1': [{ start: '18:00', end: '09:00' }] },
    });
    expect(bad.status).toBe(400);
    const script = await admin.request('PATCH', `/api/desks/${before.id}`, {
      greeting: '<script>alert(1)</script>',
    });
    expect(script.status).toBe(400);
    expect((await counselor.request('PATCH', `/api/desks/${before.id}`, { greeting: 'x' })).status).toBe(403);
  });
});
