import type { BookingPage, CalendarView, SlotView } from '@madoguchi/contracts/reservations.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import { citizenOf, expectJson } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { addDays, tokyoDate } from './calendar.rules.ts';

// The staff booking list is keyset-paged (issue 13, V-05): slot time, then booking time, then ID, so
// pages neither repeat nor skip bookings whose times are equal; a cursor that is not the server's is
// 400 with a code; the CSV / Excel export holds every booking, not a page.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

beforeAll(async () => {
  w = await startLineWorld('2400000032');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
});
afterAll(async () => w?.close());

const json = expectJson;

/** A calendar with three slots of 20 seats on one day and 27 bookings made in one statement (equal times). */
async function bookedCalendar() {
  const c = await json<CalendarView>(
    admin.request('POST', '/api/booking-calendars', {
      channelId: w.channelId,
      category: '窓口',
      name: `ページ 確認 ${Math.random().toString(36).slice(2, 6)}`,
      openOnHolidays: true,
      templates: [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) =>
        ['09:00', '10:00', '11:00'].map((start) => ({
          weekday,
          start,
          end: `${start.slice(0, 2)}:45`,
          capacity: 20,
        })),
      ),
    }),
    201,
  );
  const day = addDays(tokyoDate(new Date()), 3);
  const slots = await json<SlotView[]>(
    admin.request('GET', `/api/booking-calendars/${c.id}/slots?from=${day}&days=1`),
    200,
  );
  const friends = await Promise.all([citizenOf(w, 'ページ 一郎'), citizenOf(w, 'ページ 花子')]);
  const ids = await w.server.db
    .selectFrom('friends')
    .select('id')
    .where(
      'line_user_id',
      'in',
      friends.map((f) => f.userId),
    )
    .execute();
  // One statement: every row has the same created_at (now() of its transaction); 9 per slot.
  await sql`
    insert into bookings (calendar_id, slot_id, friend_id, seats, request_key, status)
    select ${c.id}::uuid, (${sql.val(slots.map((s) => s.id))}::uuid[])[1 + g % 3],
           (${sql.val(ids.map((f) => f.id))}::uuid[])[1 + g % 2], 1, 'paging-' || g,
           case when g % 4 = 0 then 'cancelled' else 'booked' end
      from generate_series(0, 26) g
  `.execute(w.server.db);
  const expected = await w.server.db
    .selectFrom('bookings as b')
    .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
    .select(['b.id', 'b.status'])
    .where('b.calendar_id', '=', c.id)
    .orderBy('s.starts_at')
    .orderBy('b.created_at')
    .orderBy('b.id')
    .execute();
  return { c, expected };
}

async function allPages(path: string, limit: number) {
  const seen: string[] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: BookingPage = await json<BookingPage>(
      admin.request('GET', `${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      200,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map((b) => b.id));
    totals.add(page.total);
    cursor = page.next;
    pages++;
  } while (cursor && pages < 50);
  return { seen, totals: [...totals], pages };
}

describe('staff booking list paging (issue 13, V-05)', () => {
  it('V-05: pages of 4 give every booking once in slot, booking time and ID order, with equal times; filters and total hold on every page', async () => {
    const { c, expected } = await bookedCalendar();
    const created = await w.server.db
      .selectFrom('bookings')
      .select(sql<number>`count(distinct created_at)::int`.as('n'))
      .where('calendar_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(created.n).toBe(1);
    const every = await allPages(`/api/bookings?calendarId=${c.id}`, 4);
    expect(every.seen).toEqual(expected.map((b) => b.id));
    expect(new Set(every.seen).size).toBe(27);
    expect([every.totals, every.pages]).toEqual([[27], 7]);
    const booked = await allPages(`/api/bookings?calendarId=${c.id}&status=booked`, 5);
    expect(booked.seen).toEqual(expected.filter((b) => b.status === 'booked').map((b) => b.id));
    expect(booked.totals).toEqual([20]);
    // The first page without a limit: 100 at most, here all of them and no next page.
    const first = await json<BookingPage>(admin.request('GET', `/api/bookings?calendarId=${c.id}`), 200);
    expect([first.items.length, first.total, first.next]).toEqual([27, 27, null]);
  });

  it('V-05: the CSV and Excel exports hold every booking the filters match, not a page', async () => {
    const { c, expected } = await bookedCalendar();
    const csv = await admin.request('GET', `/api/bookings.csv?calendarId=${c.id}`);
    expect(csv.status).toBe(200);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\uFEFF予約ID,日時,人数,状態')).toBe(true);
    const lines = text.trim().split(/\r\n/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(expected.map((b) => b.id));
    const xlsx = await admin.request('GET', `/api/bookings.xlsx?calendarId=${c.id}&status=cancelled`);
    expect([xlsx.status, xlsx.headers.get('content-type')]).toEqual([
      200,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    const sheet = await readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect([sheet.name, sheet.rows[0]?.slice(0, 4)]).toEqual(['予約', ['予約ID', '日時', '人数', '状態']]);
    expect(sheet.rows.slice(1).map((r) => [r[0], r[3]])).toEqual(
      expected.filter((b) => b.status === 'cancelled').map((b) => [b.id, '取消']),
    );
  });

  it('bad input: a cursor that is not the server’s and limits out of range are 400 with codes', async () => {
    const { c } = await bookedCalendar();
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [
      'abc',
      b64(['2026-12-01 10:00:00+00', '00000000-0000-4000-8000-000000000000']),
      b64(['not a time', '2026-12-01 10:00:00+00', '00000000-0000-4000-8000-000000000000']),
      b64(['2026-12-01 10:00:00+00', '2026-12-01 10:00:00+00', "x'; drop table bookings; --"]),
      b64({ a: 1 }),
    ]) {
      const r = await json<{ code: string; details: { path: string }[] }>(
        admin.request('GET', `/api/bookings?calendarId=${c.id}&cursor=${encodeURIComponent(cursor)}`),
        400,
      );
      expect([cursor, r.code, r.details.map((d) => d.path)]).toEqual([
        cursor,
        'BOOKING_PAGE_KEY',
        ['cursor'],
      ]);
    }
    for (const limit of ['0', '501', 'x', '1.5'])
      expect(
        (
          await json<{ code: string }>(
            admin.request('GET', `/api/bookings?calendarId=${c.id}&limit=${limit}`),
            400,
          )
        ).code,
      ).toBe('VALIDATION_FAILED');
    expect(
      (await json<{ code: string }>(admin.request('GET', '/api/bookings.csv?calendarId=x'), 400)).code,
    ).toBe('VALIDATION_FAILED');
  });
});
