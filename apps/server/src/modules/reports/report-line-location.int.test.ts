import {
  type CitizenReportCategory,
  REPORT_LINE_LOCATION,
  type ReportLineLocation,
} from '@madoguchi/contracts/reports.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenOf, expectJson } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { NO_OPEN_SHELTER_TEXT } from '../shelters/shelter-line.ts';
import { LINE_LOCATION_ASK_TEXT, LINE_LOCATION_OUTSIDE_TEXT } from './report-line-location.ts';
import { pruneLineLocations } from './reports.service.ts';

// The report's place as a LINE location message (R-01, issue 13) against a real server, PostgreSQL
// and the LINE simulator: the report page asks (a push with a location quick reply), the friend sends
// a location from the phone (a signed webhook through the real intake, dispatch and outbox), and the
// page reads it back. A place outside the city is answered so and the request stays open; without an
// open request (none, or expired) the location is the shelter search as before; another friend sees
// nothing of it.

let w: LineWorld;
const PATH = '/api/citizen/reports/line-location';
const CITY_HALL = { latitude: 35.7219, longitude: 139.9311, address: '千葉県市川市八幡1丁目1-1' }; // 市川市役所
const FUNABASHI = { latitude: 35.6947, longitude: 139.9826, address: '千葉県船橋市湊町2丁目10-25' };

type Received = {
  via: string;
  message: {
    type: string;
    text?: string;
    quickReply?: { items: { action: { type: string; label?: string } }[] };
  };
};
const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: Received[];
    }
  ).messages;
const received = (userId: string, via: 'push' | 'reply', n: number) =>
  until(`${n} ${via}(es) to ${userId}`, async () => {
    const got = (await inbox(userId)).filter((m) => m.via === via);
    return got.length >= n ? got : null;
  });
const sendLocation = (userId: string, p: { latitude: number; longitude: number; address: string }) =>
  w.sim$('POST', `/_sim/users/${userId}/messages`, {
    channelId: w.line.channelId,
    message: { type: 'location', title: '位置情報', ...p },
  });
const requestRow = (lineUserId: string) =>
  w.server.db
    .selectFrom('report_location_requests as r')
    .innerJoin('friends as f', 'f.id', 'r.friend_id')
    .select(['r.friend_id', 'r.lat', 'r.lng', 'r.address_enc', 'r.received_at', 'r.expires_at'])
    .where('f.line_user_id', '=', lineUserId)
    .executeTakeFirst();

beforeAll(async () => {
  w = await startLineWorld('2400000051');
}, 60_000);
afterAll(async () => w?.close());

describe('the report place as a LINE location message (R-01)', () => {
  it('R-01: the page asks → the friend gets a location quick reply → sends a place in the city → the page reads it; shelters do not answer; the report uses it up', async () => {
    const c = await citizenOf(w, '位置 花子');
    expect(await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).toEqual({
      status: 'none',
      expiresAt: null,
      point: null,
    });
    const asked = await expectJson<ReportLineLocation>(c.call('POST', PATH, {}), 201);
    expect(asked.status).toBe('pending');
    const minutes = (new Date(asked.expiresAt!).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    const [push] = await received(c.userId, 'push', 1);
    expect(push!.message.text).toBe(LINE_LOCATION_ASK_TEXT);
    expect(push!.message.quickReply!.items[0]!.action).toMatchObject({
      type: 'location',
      label: '位置情報を送る',
    });
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('pending');

    await sendLocation(c.userId, CITY_HALL);
    const [reply] = await received(c.userId, 'reply', 1);
    expect(reply!.message.text).toContain('通報の場所を受け取りました（千葉県市川市八幡1丁目1-1）');
    expect(reply!.message.text).toContain(`https://liff.line.me/${w.line.liffId}?page=report`);
    const got = await expectJson<ReportLineLocation>(c.call('GET', PATH), 200);
    expect(got).toEqual({
      status: 'received',
      expiresAt: null,
      point: { lat: 35.7219, lng: 139.9311, address: CITY_HALL.address },
    });
    // One answer only (shelters, after reports, saw the event replied to); the address is sealed.
    await until('the event dispatched', () =>
      w.server.db
        .selectFrom('line_events')
        .select('id')
        .where('source_user_id', '=', c.userId)
        .where('type', '=', 'message')
        .where('dispatched_at', 'is not', null)
        .executeTakeFirst(),
    );
    expect((await inbox(c.userId)).filter((m) => m.via === 'reply')).toHaveLength(1);
    const row = await requestRow(c.userId);
    expect([row!.lat, row!.lng]).toEqual(['35.721900', '139.931100']);
    expect(row!.address_enc!.toString('utf8')).not.toContain('市川');

    // The report with that place: the request is used up.
    const admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
    await expectJson(
      admin.request('POST', '/api/reports/categories', {
        channelId: w.channelId,
        name: '道路',
        emails: ['doro@city.example.jp'],
      }),
      201,
    );
    const [road] = await expectJson<CitizenReportCategory[]>(
      c.call('GET', '/api/citizen/reports/categories'),
      200,
    );
    await expectJson(
      c.call('POST', '/api/citizen/reports', {
        categoryId: road!.id,
        text: '街灯が消えています。',
        occurredAt: new Date().toISOString(),
        location: { lat: got.point!.lat, lng: got.point!.lng },
      }),
      201,
    );
    expect(await requestRow(c.userId)).toBeUndefined();
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('none');
  });

  it('R-03: a place outside the city is answered 「市外の位置です」 and the request stays open; a place inside then is taken', async () => {
    const c = await citizenOf(w, '位置 次郎');
    await expectJson(c.call('POST', PATH, {}), 201);
    await received(c.userId, 'push', 1);
    await sendLocation(c.userId, FUNABASHI);
    const [refused] = await received(c.userId, 'reply', 1);
    expect(refused!.message.text).toBe(LINE_LOCATION_OUTSIDE_TEXT);
    expect(refused!.message.text).toMatch(/^市外の位置です/);
    expect(refused!.message.quickReply!.items[0]!.action.type).toBe('location');
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('pending');
    expect((await requestRow(c.userId))!.lat).toBeNull();

    await sendLocation(c.userId, CITY_HALL);
    const replies = await received(c.userId, 'reply', 2);
    expect(replies[1]!.message.text).toContain('通報の場所を受け取りました');
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).point).toMatchObject({
      lat: 35.7219,
      lng: 139.9311,
    });
    expect(replies.some((m) => m.message.text === NO_OPEN_SHELTER_TEXT)).toBe(false);
  });

  it('R-01 / X-03: an expired request is not answered by reports: the shelter search answers', async () => {
    const c = await citizenOf(w, '位置 三郎');
    await expectJson(c.call('POST', PATH, {}), 201);
    await received(c.userId, 'push', 1);
    await w.server.db
      .updateTable('report_location_requests')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('friend_id', '=', (await requestRow(c.userId))!.friend_id)
      .execute();
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('expired');
    await sendLocation(c.userId, CITY_HALL);
    const [reply] = await received(c.userId, 'reply', 1);
    expect(reply!.message.text).toBe(NO_OPEN_SHELTER_TEXT);
    expect((await requestRow(c.userId))!.received_at).toBeNull();
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('expired');
  });

  it('X-03: with no request, a location is the shelter search exactly as before', async () => {
    const c = await citizenOf(w, '位置 四郎');
    await sendLocation(c.userId, CITY_HALL);
    const [reply] = await received(c.userId, 'reply', 1);
    expect(reply!.message.text).toBe(NO_OPEN_SHELTER_TEXT);
    expect(await requestRow(c.userId)).toBeUndefined();
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('none');
  });

  it("R-01: another friend neither reads a friend's place nor uses up their request", async () => {
    const a = await citizenOf(w, '位置 五郎');
    const b = await citizenOf(w, '位置 六子');
    await expectJson(a.call('POST', PATH, {}), 201);
    await received(a.userId, 'push', 1);
    // B's location (B asked for nothing) is B's shelter search; A's request stays open.
    await sendLocation(b.userId, CITY_HALL);
    expect((await received(b.userId, 'reply', 1))[0]!.message.text).toBe(NO_OPEN_SHELTER_TEXT);
    expect((await expectJson<ReportLineLocation>(a.call('GET', PATH), 200)).status).toBe('pending');
    await sendLocation(a.userId, CITY_HALL);
    await received(a.userId, 'reply', 1);
    expect((await expectJson<ReportLineLocation>(a.call('GET', PATH), 200)).status).toBe('received');
    expect(await expectJson<ReportLineLocation>(b.call('GET', PATH), 200)).toEqual({
      status: 'none',
      expiresAt: null,
      point: null,
    });
  });

  it('R-01: the hourly prune deletes places and requests an hour after they arrived or expired, and keeps open ones', async () => {
    const c = await citizenOf(w, '位置 八重');
    await expectJson(c.call('POST', PATH, {}), 201);
    await pruneLineLocations(w.server, new Date());
    expect(await requestRow(c.userId)).toBeDefined();
    const later = new Date(
      Date.now() + (REPORT_LINE_LOCATION.openMinutes + REPORT_LINE_LOCATION.keepMinutes + 1) * 60_000,
    );
    expect(await pruneLineLocations(w.server, later)).toBeGreaterThanOrEqual(1);
    expect(await requestRow(c.userId)).toBeUndefined();
    expect((await expectJson<ReportLineLocation>(c.call('GET', PATH), 200)).status).toBe('none');
  });

  it('R-01: bad input on both endpoints: no session 401, unknown fields or a broken body 400, a friend who blocked the account 409', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await fetch(`${w.server.url}${PATH}`, {
        method,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: method === 'POST' ? '{}' : null,
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        code: 'CITIZEN_UNAUTHENTICATED',
        message: expect.any(String),
      });
    }
    const c = await citizenOf(w, '位置 七海');
    const unknown = await expectJson<{ code: string; message: string }>(
      c.call('POST', PATH, { lat: 35.7, lng: 139.9 }),
      400,
    );
    expect(unknown.code).toBe('VALIDATION_FAILED');
    expect(unknown.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    const broken = await fetch(`${w.server.url}${PATH}`, {
      method: 'POST',
      headers: { cookie: c.cookie, 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(await requestRow(c.userId)).toBeUndefined();

    await w.sim$('POST', `/_sim/users/${c.userId}/unfollow`, { channelId: w.line.channelId });
    await until('the friend blocked', () =>
      w.server.db
        .selectFrom('friends')
        .select('id')
        .where('line_user_id', '=', c.userId)
        .where('status', '=', 'blocked')
        .executeTakeFirst(),
    );
    const blocked = await expectJson<{ code: string }>(c.call('POST', PATH, {}), 409);
    expect(blocked.code).toBe('NOT_A_FRIEND');
    expect((await inbox(c.userId)).filter((m) => m.via === 'push')).toHaveLength(0);
  });
});
