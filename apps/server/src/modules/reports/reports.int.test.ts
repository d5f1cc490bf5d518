import type {
  CitizenReportCategory,
  CitizenReportView,
  CityBoundaryView,
  ReportCategoryView,
  ReportPage,
  ReportPhotoAccepted,
  ReportView,
} from '@madoguchi/contracts/reports.ts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until, waitFor } from '../../testing/wait-for.ts';
import { sealPlainPhotos } from './reports.service.ts';
import { startSmtpSink } from './testing/smtp-sink.ts';

// Fault reports (R-01 … R-03) against a real server, PostgreSQL, the LINE simulator and a local SMTP
// server: a friend signed in through LIFF uploads photos and reports a place inside the city; the
// category's addresses get the mail (read back from the SMTP server); places outside the city and bad
// photos are refused; SMTP down keeps the mail and sends it once it is back; 完了 tells the reporter
// in LINE, once; a counselor may do nothing here.

let w: LineWorld;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
type Client = Awaited<ReturnType<typeof staffClient>>;
let admin: Client;
let counselor: Client;
let handler: { id: string };

const INSIDE = { lat: 35.7219, lng: 139.9311 }; // 市川市役所
const SEA = { lat: 35.6, lng: 139.95 }; // 東京湾
const FUNABASHI = { lat: 35.6947, lng: 139.9826 }; // 船橋市役所

beforeAll(async () => {
  smtp = await startSmtpSink({ refuse: ['broken@city.example.jp'] });
  w = await startLineWorld('2400000021', {
    env: { SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '300', MAIL_MAX_ATTEMPTS: '4' },
  });
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
  handler = await createStaff(w.server.db, 'admin');
});
afterAll(async () => {
  await w?.close();
  await smtp?.stop();
});

async function json<T>(res: Promise<Response> | Response, status: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect([r.status, text.slice(0, 400)]).toEqual([status, expect.anything()]);
  return (text ? JSON.parse(text) : null) as T;
}

async function friend(name: string) {
  const { userId } = (await w.sim$('POST', '/_sim/users', { displayName: name })) as { userId: string };
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  await until('the friend', () =>
    w.server.db.selectFrom('friends').select('id').where('line_user_id', '=', userId).executeTakeFirst(),
  );
  const { idToken } = await w.idTokenFor(userId);
  const res = await fetch(`${w.server.url}/api/citizen/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken, channelId: w.channelId }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${w.server.url}${path}`, {
      method,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
    });
  return {
    userId,
    call,
    photo: (bytes: Buffer, type = 'image/jpeg') =>
      fetch(`${w.server.url}/api/citizen/reports/photos`, {
        method: 'POST',
        headers: { cookie, 'content-type': type },
        body: new Uint8Array(bytes),
      }),
    report: (body: unknown) => call('POST', '/api/citizen/reports', body),
  };
}

/** A photo as a phone takes it: with EXIF holding the GPS position and the camera. */
const cameraJpeg = (color: string) =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: color } })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 43/1 18/1', GPSLongitudeRef: 'E' },
    })
    .jpeg()
    .toBuffer();

async function category(name: string, emails: string[]) {
  return json<ReportCategoryView>(
    admin.request('POST', '/api/reports/categories', { channelId: w.channelId, name, emails }),
    201,
  );
}

const mailsOf = (reportId: string) =>
  w.server.db.selectFrom('mail_outbox').selectAll().where('report_id', '=', reportId).execute();

const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: { message: { type: string; text?: string } }[];
    }
  ).messages;

let road: ReportCategoryView;

describe('fault reports (R-01 … R-03)', () => {
  it('R-01/R-02: a report with two photos inside the city is accepted and mailed to both addresses of its category', async () => {
    road = await category('道路', ['doro@city.example.jp', 'doboku@city.example.jp']);
    await category('公園', ['koen@city.example.jp']);
    const hidden = await category('廃止した種類', ['old@city.example.jp']);
    await json(admin.request('PATCH', `/api/reports/categories/${hidden.id}`, { active: false }), 200);

    const c = await friend('通報 太郎');
    const cats = await json<CitizenReportCategory[]>(c.call('GET', '/api/citizen/reports/categories'), 200);
    expect(cats.map((x) => x.name)).toEqual(['道路', '公園']);
    expect(JSON.stringify(cats)).not.toContain('@');

    const p1 = await json<ReportPhotoAccepted>(c.photo(await cameraJpeg('#885533')), 201);
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#3366aa' } })
      .png()
      .toBuffer();
    // The declared type does not matter: the bytes are a PNG.
    const p2 = await json<ReportPhotoAccepted>(c.photo(png, 'application/octet-stream'), 201);
    expect(p2.contentType).toBe('image/png');
    const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
    // Stored sealed (S-02), and without the camera's metadata (EXIF with the GPS position).
    const stored = await w.server.db
      .selectFrom('report_photos')
      .select(['bytes', 'sealed'])
      .where('id', '=', p1.photoId)
      .executeTakeFirstOrThrow();
    expect(stored.sealed).toBe(true);
    await expect(sharp(stored.bytes).metadata()).rejects.toThrow();
    const opened = cipher.decryptBytes(stored.bytes);
    const meta = await sharp(opened).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(opened.includes(Buffer.from('TestPhone'))).toBe(false);

    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const body = {
      categoryId: road.id,
      text: '歩道の段差が大きく、つまずきそうです。\n夜は特に危険です。',
      occurredAt,
      location: INSIDE,
      photoIds: [p1.photoId, p2.photoId],
      requestKey: 'r'.repeat(24),
    };
    const made = await json<{ reportId: string; repeated: boolean }>(c.report(body), 201);
    expect(made.repeated).toBe(false);
    // A retried send is the same report.
    const again = await json<{ reportId: string; repeated: boolean }>(c.report(body), 200);
    expect(again).toMatchObject({ reportId: made.reportId, repeated: true });
    // The photos are taken: another report cannot name them.
    expect((await json<{ code: string }>(c.report({ ...body, requestKey: undefined }), 400)).code).toBe(
      'REPORT_PHOTO_UNKNOWN',
    );

    // Sealed: the text is not in the database in the clear.
    const row = await w.server.db
      .selectFrom('reports')
      .selectAll()
      .where('id', '=', made.reportId)
      .executeTakeFirstOrThrow();
    expect(row.text_enc.toString('utf8')).not.toContain('歩道');
    expect([Number(row.lat), Number(row.lng)]).toEqual([INSIDE.lat, INSIDE.lng]);

    // One mail to each address, read back from the SMTP server.
    const mails = await waitFor(
      async () => smtp.received.filter((m) => m.text.includes(made.reportId)),
      (m) => m.length >= 2,
      { what: 'the two notification mails' },
    );
    expect(mails.map((m) => m.to).sort()).toEqual([['doboku@city.example.jp'], ['doro@city.example.jp']]);
    for (const m of mails) {
      expect(m.subject).toContain('【通報】道路');
      expect(m.text).toContain('カテゴリ: 道路');
      expect(m.text).toContain(`緯度 ${INSIDE.lat}, 経度 ${INSIDE.lng}`);
      expect(m.text).toContain('写真: 2 枚');
      expect(m.text).toContain(`/console/#/reports/${made.reportId}`);
      expect(m.attachments).toBe(0);
      expect(m.text).not.toContain('歩道');
    }
    expect((await mailsOf(made.reportId)).map((m) => [m.status, m.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);

    // Staff read it with its photos; the citizen sees it in their list.
    const view = await json<ReportView>(admin.request('GET', `/api/reports/${made.reportId}`), 200);
    expect(view).toMatchObject({ category: '道路', status: 'received', text: body.text, photos: 2 });
    expect(view.photoUrls).toHaveLength(2);
    expect(view.mails.map((m) => m.status)).toEqual(['sent', 'sent']);
    const img = await admin.request('GET', view.photoUrls[0]!);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(img.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await img.arrayBuffer()).equals(opened)).toBe(true);

    // A photo stored before photos were sealed (plain bytes) is still shown, and the hourly photo
    // job seals it.
    const second = view.photoUrls[1]!;
    const shownBefore = Buffer.from(await (await admin.request('GET', second)).arrayBuffer());
    await w.server.db
      .updateTable('report_photos')
      .set({ bytes: shownBefore, sealed: false })
      .where('id', '=', p2.photoId)
      .execute();
    expect(Buffer.from(await (await admin.request('GET', second)).arrayBuffer()).equals(shownBefore)).toBe(
      true,
    );
    expect(await sealPlainPhotos({ db: w.server.db, cipher })).toBeGreaterThanOrEqual(1);
    const resealed = await w.server.db
      .selectFrom('report_photos')
      .select(['bytes', 'sealed'])
      .where('id', '=', p2.photoId)
      .executeTakeFirstOrThrow();
    expect(resealed.sealed).toBe(true);
    expect(resealed.bytes.equals(shownBefore)).toBe(false);
    expect(Buffer.from(await (await admin.request('GET', second)).arrayBuffer()).equals(shownBefore)).toBe(
      true,
    );
    // Photos are not public: no session, a citizen's session, a counselor: refused.
    expect((await fetch(`${w.server.url}${view.photoUrls[0]}`)).status).toBe(401);
    expect((await c.call('GET', view.photoUrls[0]!)).status).toBe(401);
    expect((await counselor.request('GET', view.photoUrls[0]!)).status).toBe(403);
    const mine = await json<CitizenReportView[]>(c.call('GET', '/api/citizen/reports/mine'), 200);
    expect(mine.map((r) => [r.id, r.status, r.category])).toEqual([[made.reportId, 'received', '道路']]);
  });

  it('R-03: places in the sea and in the next city are refused; bad input per field', async () => {
    const c = await friend('区域外 花子');
    const base = {
      categoryId: road.id,
      text: '街灯が消えています',
      occurredAt: new Date().toISOString(),
      location: INSIDE,
    };
    for (const location of [SEA, FUNABASHI]) {
      const e = await json<{ code: string; message: string }>(c.report({ ...base, location }), 400);
      expect(e.code).toBe('REPORT_OUTSIDE_CITY');
      expect(e.message).toContain('市の区域外');
    }
    const bad = async (body: unknown, code = 'VALIDATION_FAILED') =>
      expect((await json<{ code: string }>(c.report(body), 400)).code).toBe(code);
    await bad({ ...base, text: '' });
    await bad({ ...base, text: 'あ'.repeat(2001) });
    await bad({ ...base, text: 'a\u0000b' }, 'INVALID_CHARACTERS');
    await bad({ ...base, occurredAt: '2026-13-01T00:00:00+09:00' });
    await bad({ ...base, occurredAt: 'yesterday' });
    await bad({ ...base, location: undefined });
    await bad({ ...base, location: { lat: 91, lng: 139.9 } });
    await bad({ ...base, location: { lat: '35.7', lng: 139.9 } });
    await bad({ ...base, categoryId: 'road' });
    await bad({ ...base, photoIds: Array.from({ length: 6 }, () => crypto.randomUUID()) });
    await bad({ ...base, extra: 1 });
    await bad({ ...base, categoryId: crypto.randomUUID() }, 'REPORT_CATEGORY_UNKNOWN');
    await bad(
      { ...base, occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
      'REPORT_OCCURRED_IN_FUTURE',
    );
    await bad({ ...base, photoIds: [crypto.randomUUID()] }, 'REPORT_PHOTO_UNKNOWN');
    // Nothing of it was kept.
    const n = await w.server.db
      .selectFrom('reports')
      .innerJoin('friends', 'friends.id', 'reports.friend_id')
      .select('reports.id')
      .where('friends.line_user_id', '=', c.userId)
      .execute();
    expect(n).toEqual([]);
    // Without a session: 401 on every citizen route.
    for (const [method, path] of [
      ['GET', '/api/citizen/reports/categories'],
      ['GET', '/api/citizen/reports/mine'],
      ['POST', '/api/citizen/reports'],
      ['POST', '/api/citizen/reports/photos'],
    ] as const) {
      const r = await fetch(`${w.server.url}${path}`, {
        method,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: method === 'POST' ? JSON.stringify(base) : null,
      });
      expect([path, r.status]).toEqual([path, 401]);
    }
  });

  it('R-01: photos that are not images, too large or broken are refused', async () => {
    const c = await friend('写真 次郎');
    const code = async (r: Promise<Response>, status: number) =>
      (await json<{ code: string }>(r, status)).code;
    expect(await code(c.photo(Buffer.from('これは画像ではありません'), 'image/jpeg'), 400)).toBe(
      'REPORT_PHOTO_INVALID',
    );
    expect(await code(c.photo(Buffer.from('%PDF-1.4\n%…'), 'image/png'), 400)).toBe('REPORT_PHOTO_INVALID');
    const jpeg = await cameraJpeg('#cccccc');
    expect(await code(c.photo(jpeg.subarray(0, 200)), 400)).toBe('REPORT_PHOTO_INVALID');
    const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer();
    expect(await code(c.photo(gif, 'image/gif'), 400)).toBe('REPORT_PHOTO_INVALID');
    expect(await code(c.photo(Buffer.alloc(0)), 400)).toBe('REPORT_PHOTO_INVALID');
    const huge = Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]);
    expect(await code(c.photo(huge), 413)).toBe('REPORT_PHOTO_TOO_LARGE');
    const webp = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0a0' } })
      .webp()
      .toBuffer();
    expect((await json<ReportPhotoAccepted>(c.photo(webp, ''), 201)).contentType).toBe('image/webp');
  });

  it('R-02: SMTP down keeps the mail pending and sends it once when the server is back; a refused address fails visibly', async () => {
    const c = await friend('再送 三郎');
    await smtp.stop();
    const made = await json<{ reportId: string }>(
      c.report({
        categoryId: road.id,
        text: 'マンホールの蓋がずれています',
        occurredAt: new Date().toISOString(),
        location: INSIDE,
      }),
      201,
    );
    await waitFor(
      () => mailsOf(made.reportId),
      (rows) => rows.length === 2 && rows.every((r) => r.attempts >= 1 && r.status === 'pending'),
      { what: 'the mails tried once and kept pending' },
    );
    const before = smtp.received.length;
    await smtp.start();
    const rows = await waitFor(
      () => mailsOf(made.reportId),
      (r) => r.every((m) => m.status === 'sent'),
      { what: 'the mails sent after the SMTP server is back', timeoutMs: 30_000 },
    );
    expect(rows.every((m) => m.attempts >= 2 && m.last_error === null)).toBe(true);
    const got = smtp.received.slice(before).filter((m) => m.text.includes(made.reportId));
    expect(got.map((m) => m.to[0]).sort()).toEqual(['doboku@city.example.jp', 'doro@city.example.jp']);
    // No duplicate later either.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received.filter((m) => m.text.includes(made.reportId))).toHaveLength(2);

    // An address the server refuses: retried, then failed after MAIL_MAX_ATTEMPTS, shown to staff.
    const broken = await category('街灯', ['broken@city.example.jp']);
    const lost = await json<{ reportId: string }>(
      c.report({
        categoryId: broken.id,
        text: '街灯が点滅しています',
        occurredAt: new Date().toISOString(),
        location: INSIDE,
      }),
      201,
    );
    const [failed] = await waitFor(
      () => mailsOf(lost.reportId),
      (r) => r[0]?.status === 'failed',
      { what: 'the refused mail given up', timeoutMs: 40_000 },
    );
    expect(failed!.attempts).toBe(4);
    const list = await json<ReportPage>(admin.request('GET', `/api/reports?channelId=${w.channelId}`), 200);
    expect(list.items.find((r) => r.id === lost.reportId)?.mailFailed).toBe(true);
    const view = await json<ReportView>(admin.request('GET', `/api/reports/${lost.reportId}`), 200);
    expect(view.mails[0]).toMatchObject({ to: 'broken@city.example.jp', status: 'failed', attempts: 4 });
    expect(view.mails[0]!.lastError).toBeTruthy();
    const retried = await json<ReportView>(
      admin.request('POST', `/api/reports/${lost.reportId}/mails/retry`),
      200,
    );
    expect(retried.mails[0]!.status).toBe('pending');
  }, 90_000);

  it('triage: status, assignee and notes with history; 完了 pushes to the reporter once; list filters; CSV and xlsx', async () => {
    const c = await friend('完了 四郎');
    const made = await json<{ reportId: string }>(
      c.report({
        categoryId: road.id,
        text: '側溝の蓋が割れています',
        occurredAt: new Date().toISOString(),
        location: INSIDE,
      }),
      201,
    );
    const id = made.reportId;
    const patch = (body: unknown) => admin.request('PATCH', `/api/reports/${id}`, body);
    await json(patch({ status: 'in_progress', assigneeId: handler.id }), 200);
    await json(patch({ note: '現地確認済み。来週補修予定' }), 200);
    expect((await json<{ code: string }>(patch({ assigneeId: crypto.randomUUID() }), 400)).code).toBe(
      'REPORT_ASSIGNEE_INVALID',
    );
    const people = await json<{ id: string; displayName: string }[]>(
      admin.request('GET', '/api/reports/assignees'),
      200,
    );
    expect(people.map((p) => p.id)).toContain(handler.id);
    const done = await json<ReportView>(patch({ status: 'done' }), 200);
    expect(done.status).toBe('done');
    expect(done.assigneeId).toBe(handler.id);
    expect(done.changes.map((x) => [x.field, x.from, x.to])).toEqual([
      ['status', '受付', '対応中'],
      ['assignee', '（なし）', 'admin さん'],
      ['note', '', '現地確認済み。来週補修予定'],
      ['status', '対応中', '完了'],
    ]);
    // The note is sealed in the database, not kept in the clear.
    const stored = await w.server.db
      .selectFrom('report_changes')
      .select('to_value')
      .where('field', '=', 'note')
      .where('report_id', '=', done.id)
      .executeTakeFirstOrThrow();
    expect(stored.to_value).not.toContain('現地確認');
    const pushed = await waitFor(
      () => inbox(c.userId),
      (m) => m.some((x) => x.message.text?.includes('対応が完了しました')),
      { what: 'the 完了 message in LINE' },
    );
    expect(pushed.filter((x) => x.message.text?.includes('対応が完了しました'))).toHaveLength(1);
    expect(pushed.find((x) => x.message.text?.includes('完了'))!.message.text).toContain('「道路」');
    // Back and done again: no second message.
    await json(patch({ status: 'in_progress' }), 200);
    await json(patch({ status: 'done' }), 200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      (await inbox(c.userId)).filter((x) => x.message.text?.includes('対応が完了しました')),
    ).toHaveLength(1);
    const outbox = await w.server.db
      .selectFrom('line_outbox')
      .select('id')
      .where('to_id', '=', c.userId)
      .execute();
    expect(outbox).toHaveLength(1);
    const mine = await json<CitizenReportView[]>(c.call('GET', '/api/citizen/reports/mine'), 200);
    expect(mine[0]).toMatchObject({ id, status: 'done' });

    // Filters.
    const q = (s: string) =>
      json<ReportPage>(admin.request('GET', `/api/reports?channelId=${w.channelId}${s}`), 200);
    const all = await q('');
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect((await q('&status=done')).items.map((r) => r.id)).toEqual([id]);
    expect((await q(`&categoryId=${road.id}&status=done`)).total).toBe(1);
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await q(`&from=${future}`)).total).toBe(0);
    const page1 = await q('&limit=1');
    expect(page1.items).toHaveLength(1);
    const page2 = await q(`&limit=1&before=${page1.next}`);
    expect(page2.items[0]!.id).not.toBe(page1.items[0]!.id);
    for (const s of [
      '&status=fixed',
      '&limit=0',
      '&limit=101',
      '&from=today',
      '&categoryId=x',
      '&before=zzz',
    ]) {
      const r = await admin.request('GET', `/api/reports?channelId=${w.channelId}${s}`);
      expect([s, r.status]).toEqual([s, 400]);
    }
    expect((await admin.request('GET', '/api/reports')).status).toBe(400);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ status: 'closed' })).status).toBe(400);
    expect((await patch({ note: '' })).status).toBe(400);
    expect(
      (await admin.request('PATCH', `/api/reports/${crypto.randomUUID()}`, { status: 'done' })).status,
    ).toBe(404);
    expect((await admin.request('GET', '/api/reports/not-a-uuid')).status).toBe(400);

    // Export.
    const csv = await admin.request('GET', `/api/reports.csv?channelId=${w.channelId}&status=done`);
    expect(csv.status).toBe(200);
    const raw = Buffer.from(await csv.arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    expect(text.startsWith('受付番号,受付日時,カテゴリ,対応状況')).toBe(true);
    expect(text).toContain(id);
    expect(text).toContain('側溝の蓋が割れています');
    expect(text.trim().split('\n')).toHaveLength(2);
    const xlsx = await admin.request('GET', `/api/reports.xlsx?channelId=${w.channelId}`);
    expect(xlsx.status).toBe(200);
    const sheet = await readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet.rows[0]![0]).toBe('受付番号');
    expect(sheet.rows.length).toBe(all.total + 1);
  });

  it('categories: bad input and duplicates; a used category is not deleted', async () => {
    const post = (body: unknown) => admin.request('POST', '/api/reports/categories', body);
    const base = { channelId: w.channelId, name: '河川', emails: ['kasen@city.example.jp'] };
    for (const body of [
      { ...base, name: '' },
      { ...base, name: 'あ'.repeat(51) },
      { ...base, emails: [] },
      { ...base, emails: ['not-an-address'] },
      { ...base, emails: ['a@x.jp', 'A@x.jp'] },
      { ...base, emails: Array.from({ length: 11 }, (_, i) => `m${i}@x.jp`) },
      { ...base, channelId: 'x' },
      { ...base, other: true },
    ]) {
      expect([JSON.stringify(body).slice(0, 60), (await post(body)).status]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
      ]);
    }
    const made = await json<ReportCategoryView>(post(base), 201);
    expect((await json<{ code: string }>(post(base), 409)).code).toBe('REPORT_CATEGORY_DUPLICATE');
    expect((await admin.request('PATCH', `/api/reports/categories/${made.id}`, {})).status).toBe(400);
    await json(
      admin.request('PATCH', `/api/reports/categories/${made.id}`, { emails: ['a@x.jp', 'b@x.jp'] }),
      200,
    );
    expect((await admin.request('DELETE', `/api/reports/categories/${made.id}`)).status).toBe(204);
    expect(
      (await json<{ code: string }>(admin.request('DELETE', `/api/reports/categories/${road.id}`), 409)).code,
    ).toBe('REPORT_CATEGORY_IN_USE');
    const list = await json<ReportCategoryView[]>(
      admin.request('GET', `/api/reports/categories?channelId=${w.channelId}`),
      200,
    );
    expect(list.find((x) => x.name === '道路')?.emails).toEqual([
      'doro@city.example.jp',
      'doboku@city.example.jp',
    ]);
  });

  it('R-03: staff get the city boundary to draw (a MultiPolygon, rounded), the same that refuses places', async () => {
    const b = await json<CityBoundaryView>(admin.request('GET', '/api/reports/boundary'), 200);
    expect(['Polygon', 'MultiPolygon']).toContain(b.type);
    const points = b.coordinates.flat(2);
    expect(points.length).toBeGreaterThan(100);
    for (const [lng, lat] of points) {
      expect(Math.round(lng * 1e5) / 1e5).toBe(lng);
      expect(lng).toBeGreaterThan(139.8);
      expect(lng).toBeLessThan(140.1);
      expect(lat).toBeGreaterThan(35.6);
      expect(lat).toBeLessThan(35.8);
    }
    expect((await counselor.request('GET', '/api/reports/boundary')).status).toBe(403);
  });

  it('permissions: a counselor gets 403 on every staff route', async () => {
    const some = crypto.randomUUID();
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/reports/categories?channelId=${w.channelId}`],
      ['GET', '/api/reports/assignees'],
      ['GET', '/api/reports/boundary'],
      ['POST', '/api/reports/categories', { channelId: w.channelId, name: 'x', emails: ['x@x.jp'] }],
      ['PATCH', `/api/reports/categories/${road.id}`, { active: false }],
      ['DELETE', `/api/reports/categories/${road.id}`],
      ['GET', `/api/reports?channelId=${w.channelId}`],
      ['GET', `/api/reports/${some}`],
      ['PATCH', `/api/reports/${some}`, { status: 'done' }],
      ['POST', `/api/reports/${some}/mails/retry`],
      ['GET', `/api/reports/${some}/photos/${some}`],
      ['GET', `/api/reports.csv?channelId=${w.channelId}`],
      ['GET', `/api/reports.xlsx?channelId=${w.channelId}`],
    ];
    for (const [method, path, body] of routes) {
      const r = await counselor.request(method, path, body);
      expect([method, path, r.status]).toEqual([method, path, 403]);
    }
  });
});
