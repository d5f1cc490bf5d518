import type {
  BookingPage,
  BookingView,
  CalendarView,
  PublicSlot,
  SlotView,
} from '@madoguchi/contracts/reservations.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { citizenOf, expectJson } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { addDays, tokyoDate } from './calendar.rules.ts';
import { sendDueReminders } from './reservations.service.ts';

// Reservations (V-01 … V-06) against a real server, PostgreSQL and the LINE simulator: calendars with
// weekly slots, a booking form, concurrent bookings that never overbook, retried taps that book once,
// confirmations, cancellation with the waiting list, reminders, staff moves and exports.

let w: LineWorld;
type Client = Awaited<ReturnType<typeof staffClient>>;
let admin: Client;
let counselor: Client;

beforeAll(async () => {
  w = await startLineWorld('2400000014');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
});
afterAll(async () => w?.close());

const json = expectJson;

async function friend(name: string) {
  const c = await citizenOf(w, name);
  return {
    ...c,
    book: (slotId: string, requestKey: string, extra: Record<string, unknown> = {}) =>
      c.call('POST', '/api/citizen/bookings', { slotId, requestKey, ...extra }),
  };
}

const pushesTo = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: { via: string; message: { text?: string } }[];
    }
  ).messages
    .filter((m) => m.via === 'push')
    .map((m) => m.message.text ?? '');

const key = (n: number | string) => `req-${String(n).padStart(16, '0')}`;
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** A calendar open on every day (holidays too) with slots at 10:00 and 14:00 of `capacity` seats. */
async function calendar(extra: Record<string, unknown> = {}, capacity = 10) {
  const c = await json<CalendarView>(
    admin.request('POST', '/api/booking-calendars', {
      channelId: w.channelId,
      category: '講座',
      name: `子育て講座 ${Math.random().toString(36).slice(2, 6)}`,
      openOnHolidays: true,
      templates: EVERY_DAY.flatMap((weekday) => [
        { weekday, start: '10:00', end: '11:00', capacity },
        { weekday, start: '14:00', end: '15:30', capacity },
      ]),
      ...extra,
    }),
    201,
  );
  return c;
}

const tomorrow = () => addDays(tokyoDate(new Date()), 1);

async function slots(c: CalendarView, from = tomorrow(), days = 7) {
  return json<SlotView[]>(
    admin.request('GET', `/api/booking-calendars/${c.id}/slots?from=${from}&days=${days}`),
    200,
  );
}

describe('reservations (V-01 … V-06)', () => {
  it('V-01: weekly slots in Tokyo time; holidays and 年末年始 closed unless opened; closed dates; capacity changes', async () => {
    const c = await calendar({ openOnHolidays: false, closedDates: [addDays(tomorrow(), 1)] });
    const list = await slots(c, tomorrow(), 3);
    const days = new Set(list.map((s) => tokyoDate(new Date(s.startsAt))));
    expect(days.has(addDays(tomorrow(), 1))).toBe(false);
    // 2027-01-01 (元日) and 2026-12-30 (年末) have no slots; a weekday in spring has two, 10:00 and 14:00 Tokyo.
    expect(await slots(c, '2026-12-30', 1)).toEqual([]);
    expect(await slots(c, '2027-01-01', 1)).toEqual([]);
    const spring = await slots(c, '2027-04-14', 1);
    expect(spring.map((s) => s.startsAt)).toEqual(['2027-04-14T01:00:00.000Z', '2027-04-14T05:00:00.000Z']);
    await json(admin.request('PATCH', `/api/booking-slots/${spring[0]!.id}`, { capacity: 3 }), 204);
    expect((await slots(c, '2027-04-14', 1))[0]).toMatchObject({ capacity: 3, taken: 0 });
  });

  it('V-02 … V-05: a booking form with phone, e-mail and a staff-only field; no overbooking under 25 concurrent requests; a retried tap books once; the booking list and its CSV', async () => {
    const c = await calendar({ maxSeatsPerBooking: 4 });
    const f = c.form.id;
    await json(
      admin.request('POST', `/api/forms/${f}/items`, {
        key: 'tel',
        type: 'phone',
        label: '電話番号',
        required: true,
      }),
      201,
    );
    await json(
      admin.request('POST', `/api/forms/${f}/items`, { key: 'mail', type: 'email', label: 'メールアドレス' }),
      201,
    );
    await json(
      admin.request('POST', `/api/forms/${f}/items`, {
        key: 'memo',
        type: 'text',
        label: '受付メモ',
        config: { staffOnly: true },
      }),
      201,
    );
    // A draft calendar is not there for citizens.
    const first = await friend('予約 一郎');
    expect((await first.call('GET', `/api/citizen/booking-calendars/${c.id}`)).status).toBe(404);
    await json(admin.request('POST', `/api/booking-calendars/${c.id}/open`), 200);
    const pub = await json<{ form: { items: { key: string }[] } }>(
      first.call('GET', `/api/citizen/booking-calendars/${c.id}`),
      200,
    );
    expect(pub.form.items.map((i) => i.key)).toEqual(['tel', 'mail']);
    const [slot] = await json<PublicSlot[]>(
      first.call('GET', `/api/citizen/booking-calendars/${c.id}/slots?from=${addDays(tomorrow(), 1)}&days=1`),
      200,
    );
    expect(slot).toMatchObject({ left: 10, bookable: true });

    // Bad input: phone, e-mail, too many seats, a staff-only field.
    const bad = await json<{ code: string; details: { path: string; code: string }[] }>(
      first.book(slot!.id, key('bad'), { answers: { tel: '123', mail: 'x@' } }),
      400,
    );
    expect(bad.details.map((d) => [d.path, d.code])).toEqual([
      ['answers.tel', 'FORM_PHONE_INVALID'],
      ['answers.mail', 'FORM_EMAIL_INVALID'],
    ]);
    expect(
      (
        await json<{ code: string }>(
          first.book(slot!.id, key('seats'), { seats: 5, answers: { tel: '047-334-1111' } }),
          400,
        )
      ).code,
    ).toBe('BOOKING_TOO_MANY_SEATS');
    expect(
      (
        await json<{ details: { code: string }[] }>(
          first.book(slot!.id, key('memo'), { answers: { tel: '047-334-1111', memo: 'x' } }),
          400,
        )
      ).details[0]!.code,
    ).toBe('FORM_ITEM_UNKNOWN');

    // 25 friends at once for 10 seats: exactly 10 booked, the rest told 満席; their retries book nothing more.
    const crowd = await Promise.all(Array.from({ length: 25 }, (_, i) => friend(`混雑 ${i}`)));
    const answers = { tel: '090-1234-5678' };
    const results = await Promise.all(crowd.map((p, i) => p.book(slot!.id, key(i), { answers })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    for (const r of results.filter((x) => x.status === 409))
      expect(((await r.json()) as { code: string }).code).toBe('BOOKING_FULL');
    const winners = crowd.filter((_, i) => results[i]!.status === 201);
    const retries = await Promise.all(
      winners.map((p) => p.book(slot!.id, key(crowd.indexOf(p)), { answers })),
    );
    expect(retries.map((r) => r.status)).toEqual(winners.map(() => 200));
    const held = await w.server.db
      .selectFrom('bookings')
      .select(sql<number>`sum(seats)::int`.as('n'))
      .where('slot_id', '=', slot!.id)
      .where('status', '<>', 'cancelled')
      .executeTakeFirstOrThrow();
    expect(held.n).toBe(10);
    // The database itself refuses an 11th seat, whatever the code path.
    const someFriend = await w.server.db
      .selectFrom('friends')
      .select('id')
      .where('line_user_id', '=', crowd[0]!.userId)
      .executeTakeFirstOrThrow();
    await expect(
      sql`insert into bookings (calendar_id, slot_id, friend_id, seats, request_key) values (${c.id}, ${slot!.id}, ${someFriend.id}, 1, 'direct')`.execute(
        w.server.db,
      ),
    ).rejects.toThrow('BOOKING_FULL');
    // Each winner got one confirmation in LINE.
    await until('confirmations', async () =>
      (await pushesTo(winners[0]!.userId)).length === 1 ? true : null,
    );
    expect((await pushesTo(winners[0]!.userId))[0]).toContain('予約を受け付けました');

    // Staff see the bookings with the answers, fill the staff-only field, mark one attended; export.
    const { items: list } = await json<BookingPage>(
      admin.request('GET', `/api/bookings?calendarId=${c.id}&slotId=${slot!.id}`),
      200,
    );
    expect(list).toHaveLength(10);
    expect(list[0]!.answers).toMatchObject({ tel: '090-1234-5678' });
    const attended = await json<BookingView>(
      admin.request('PATCH', `/api/bookings/${list[0]!.id}`, {
        status: 'attended',
        staffAnswers: { memo: '受付済み' },
      }),
      200,
    );
    expect(attended).toMatchObject({ status: 'attended', answers: { memo: '受付済み' } });
    const csv = await admin.request('GET', `/api/bookings.csv?calendarId=${c.id}`);
    expect(csv.status).toBe(200);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.trim().split(/\r?\n/)).toHaveLength(11);
    expect(text).toContain('来場');
    expect(text).toContain('受付済み');
  });

  it('V-03/V-06: cutoffs, per-person limit, cancel with the waiting list in order, staff move, reminders once', async () => {
    const c = await calendar({ perPersonLimit: 1, cancelCutoffMinutes: 60, bookingCutoffMinutes: 30 }, 1);
    await json(admin.request('POST', `/api/booking-calendars/${c.id}/open`), 200);
    const [a, b, d] = [await friend('取消 太郎'), await friend('待ち 花子'), await friend('待ち 次郎')];
    const list = await slots(c, addDays(tomorrow(), 1), 1);
    const [morning, afternoon] = list;
    await json(a.book(morning!.id, key('a1')), 201);
    // Per-person limit: a second booking in the same calendar.
    expect((await json<{ code: string }>(a.book(afternoon!.id, key('a2')), 409)).code).toBe(
      'BOOKING_LIMIT_REACHED',
    );
    // Full: the others join the waiting list, in order.
    expect((await json<{ code: string }>(b.book(morning!.id, key('b1')), 409)).code).toBe('BOOKING_FULL');
    await json(b.call('POST', `/api/citizen/booking-slots/${morning!.id}/waitlist`, { seats: 1 }), 204);
    await json(d.call('POST', `/api/citizen/booking-slots/${morning!.id}/waitlist`, { seats: 1 }), 204);
    // a cancels: b (first in line) is booked and told; d keeps waiting.
    const mine = await json<{ id: string; cancellable: boolean }[]>(
      a.call('GET', '/api/citizen/bookings'),
      200,
    );
    expect(mine[0]!.cancellable).toBe(true);
    await json(a.call('POST', `/api/citizen/bookings/${mine[0]!.id}/cancel`), 204);
    await until('b booked from the waiting list', async () =>
      (await pushesTo(b.userId)).some((t) => t.includes('キャンセル待ちの予約が確定しました')) ? true : null,
    );
    expect(await pushesTo(a.userId)).toEqual([
      expect.stringContaining('予約を受け付けました'),
      expect.stringContaining('予約を取り消しました'),
    ]);
    expect(await pushesTo(d.userId)).toEqual([]);
    // Staff move b's booking to the afternoon: b is told the new time.
    const {
      items: [bBooking],
    } = await json<BookingPage>(
      admin.request('GET', `/api/bookings?calendarId=${c.id}&slotId=${morning!.id}&status=booked`),
      200,
    );
    await json(admin.request('PATCH', `/api/bookings/${bBooking!.id}`, { slotId: afternoon!.id }), 200);
    await until('move told', async () =>
      (await pushesTo(b.userId)).some((t) => t.includes('日時が変更されました')) ? true : null,
    );
    // The morning seat it freed goes to d.
    await until('d booked', async () =>
      (await pushesTo(d.userId)).some((t) => t.includes('キャンセル待ちの予約が確定しました')) ? true : null,
    );
    // A move into a full slot is refused (the database decides).
    const {
      items: [dBooking],
    } = await json<BookingPage>(
      admin.request('GET', `/api/bookings?calendarId=${c.id}&slotId=${morning!.id}&status=booked`),
      200,
    );
    expect(
      (
        await json<{ code: string }>(
          admin.request('PATCH', `/api/bookings/${dBooking!.id}`, { slotId: afternoon!.id }),
          409,
        )
      ).code,
    ).toBe('BOOKING_FULL');

    // Reminders: due the day before at 18:00 Tokyo, sent once.
    const deps = {
      db: w.server.db,
      cipher: createCipher(w.server.config.ENCRYPTION_KEY),
      channels: { get: async () => ({}) } as never,
      onOutbox: () => {},
      onMail: () => {},
    };
    const dayBefore = new Date(
      Date.parse(`${addDays(tokyoDate(new Date(morning!.startsAt)), -1)}T18:00:00+09:00`),
    );
    // (Other tests' bookings of the same day are due too: the job is for the whole server.)
    const earlyDue = await sendDueReminders(deps, new Date(dayBefore.getTime() - 60_000));
    expect(await sendDueReminders(deps, dayBefore)).toBeGreaterThanOrEqual(2);
    expect(await sendDueReminders(deps, dayBefore)).toBe(0);
    expect(earlyDue).toBe(0);
    // A manual reminder to the afternoon slot's bookers.
    const sent = await json<{ sent: number }>(
      admin.request('POST', `/api/booking-slots/${afternoon!.id}/remind`, { text: '持ち物：母子手帳' }),
      200,
    );
    expect(sent.sent).toBe(1);
    await until('reminders arrive', async () =>
      (await pushesTo(b.userId)).some((t) => t.includes('持ち物：母子手帳')) ? true : null,
    );
    // The manual reminder woke the outbox sender, which sends the automatic ones queued above too.
    for (const who of [b, d])
      await until('day-before reminder', async () =>
        (await pushesTo(who.userId)).some((t) => t.startsWith('明日のご予約のお知らせです。')) ? true : null,
      );

    // Booking cutoff: a slot starting in 10 minutes (30 minutes cutoff) cannot be booked.
    const soon = new Date(Date.now() + 10 * 60_000);
    const late = await w.server.db
      .insertInto('booking_slots')
      .values({
        calendar_id: c.id,
        starts_at: soon,
        ends_at: new Date(soon.getTime() + 3600_000),
        capacity: 5,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const e = await friend('遅い 人');
    expect((await json<{ code: string }>(e.book(late.id, key('late')), 409)).code).toBe(
      'BOOKING_CUTOFF_PASSED',
    );
  });

  it('V-01/V-06: changed weekly slots replace the unbooked future slots; more seats go to the waiting list first', async () => {
    const c = await calendar({}, 1);
    await json(admin.request('POST', `/api/booking-calendars/${c.id}/open`), 200);
    const day = addDays(tomorrow(), 2);
    const [booked, free] = await slots(c, day, 1);
    const [a, b] = [await friend('枠 変更'), await friend('枠 待ち')];
    await json(a.book(booked!.id, key('chg-a')), 201);
    await json(b.call('POST', `/api/citizen/booking-slots/${booked!.id}/waitlist`, { seats: 1 }), 204);
    // Raising the full slot's capacity books the waiting friend at once.
    await json(admin.request('PATCH', `/api/booking-slots/${booked!.id}`, { capacity: 2 }), 204);
    expect((await slots(c, day, 1))[0]).toMatchObject({ id: booked!.id, capacity: 2, taken: 2, waiting: 0 });
    // New templates (one slot a day at 13:00, 5 seats): the unbooked 14:00 slot goes, the booked 10:00 stays.
    await json(
      admin.request('PATCH', `/api/booking-calendars/${c.id}`, {
        templates: EVERY_DAY.map((weekday) => ({ weekday, start: '13:00', end: '14:00', capacity: 5 })),
      }),
      200,
    );
    const after = await slots(c, day, 1);
    expect(after.map((s) => [s.id === booked!.id, s.id === free!.id, s.capacity])).toEqual([
      [true, false, 2],
      [false, false, 5],
    ]);
  });

  it('V-03: a citizen who gave an e-mail address also gets the booking and its cancellation by e-mail (mail outbox)', async () => {
    const c = await calendar({ cancelCutoffMinutes: 0 });
    await json(
      admin.request('POST', `/api/forms/${c.form.id}/items`, {
        key: 'mail',
        type: 'email',
        label: 'メールアドレス',
      }),
      201,
    );
    await json(admin.request('POST', `/api/booking-calendars/${c.id}/open`), 200);
    const [slot] = await slots(c, addDays(tomorrow(), 3), 1);
    const [withMail, without] = [await friend('メール あり'), await friend('メール なし')];
    const made = await json<{ bookingId: string }>(
      withMail.book(slot!.id, key('mail-1'), { answers: { mail: 'hanako@example.jp' } }),
      201,
    );
    const other = await json<{ bookingId: string }>(without.book(slot!.id, key('mail-2')), 201);
    await json(withMail.call('POST', `/api/citizen/bookings/${made.bookingId}/cancel`), 204);
    const mails = await w.server.db
      .selectFrom('mail_outbox')
      .select(['booking_id', 'to_address', 'subject', 'body'])
      .where('booking_id', 'in', [made.bookingId, other.bookingId])
      .orderBy('id')
      .execute();
    expect(mails.map((m) => [m.booking_id, m.to_address, m.subject])).toEqual([
      [made.bookingId, 'hanako@example.jp', '【予約】予約を受け付けました。'],
      [made.bookingId, 'hanako@example.jp', '【予約】予約を取り消しました。'],
    ]);
    expect(mails[0]!.body).toContain(c.name);
  });

  it('bad input and permissions: codes for every mistake, 403 without the permission, writes audited', async () => {
    expect(
      (
        await admin.request('POST', '/api/booking-calendars', {
          channelId: w.channelId,
          category: '',
          name: 'x',
        })
      ).status,
    ).toBe(400);
    const wrongTime = await admin.request('POST', '/api/booking-calendars', {
      channelId: w.channelId,
      category: '講座',
      name: 'x',
      templates: [{ weekday: 1, start: '11:00', end: '10:00', capacity: 1 }],
    });
    expect(wrongTime.status).toBe(400);
    const c = await calendar();
    expect(
      await json<{ code: string }>(admin.request('POST', `/api/booking-calendars/${c.id}/open`), 200),
    ).toBeTruthy();
    const empty = await json<CalendarView>(
      admin.request('POST', '/api/booking-calendars', {
        channelId: w.channelId,
        category: '講座',
        name: '枠なし',
      }),
      201,
    );
    expect(
      (await json<{ code: string }>(admin.request('POST', `/api/booking-calendars/${empty.id}/open`), 409))
        .code,
    ).toBe('CALENDAR_NO_SLOTS');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin.request('GET', `/api/booking-calendars/${unknown}`)).status).toBe(404);
    expect((await admin.request('GET', `/api/booking-calendars/${c.id}/slots?from=2027-02-30`)).status).toBe(
      400,
    );
    expect(
      (await admin.request('GET', `/api/booking-calendars/${c.id}/slots?from=2027-02-01&days=400`)).status,
    ).toBe(400);
    expect((await admin.request('PATCH', `/api/bookings/${unknown}`, { status: 'attended' })).status).toBe(
      404,
    );
    const [s] = await slots(c);
    const p = await friend('予約 確認');
    await json(p.book(s!.id, key('p')), 201);
    expect(
      (
        await json<{ code: string }>(
          admin.request('PATCH', `/api/booking-slots/${s!.id}`, { capacity: 0 }),
          409,
        )
      ).code,
    ).toBe('SLOT_CAPACITY_BELOW_BOOKED');
    // Cancelling the slot cancels its bookings and tells the friend.
    await json(admin.request('PATCH', `/api/booking-slots/${s!.id}`, { cancelled: true }), 204);
    await until('slot cancelled told', async () =>
      (await pushesTo(p.userId)).some((t) => t.includes('中止')) ? true : null,
    );
    expect((await json<{ code: string }>(p.book(s!.id, key('p2')), 409)).code).toBe('BOOKING_SLOT_CANCELLED');
    expect((await p.call('POST', '/api/citizen/bookings', { slotId: s!.id })).status).toBe(400);
    expect((await fetch(`${w.server.url}/api/citizen/bookings`)).status).toBe(401);
    for (const [method, path, body] of [
      ['GET', `/api/booking-calendars?channelId=${w.channelId}`, undefined],
      ['POST', '/api/booking-calendars', { channelId: w.channelId, category: 'a', name: 'b' }],
      ['PATCH', `/api/booking-calendars/${c.id}`, { name: 'y' }],
      ['GET', `/api/booking-calendars/${c.id}/slots?from=2027-01-01`, undefined],
      ['PATCH', `/api/booking-slots/${s!.id}`, { capacity: 3 }],
      ['POST', `/api/booking-slots/${s!.id}/remind`, { text: 'x' }],
      ['GET', `/api/bookings?calendarId=${c.id}`, undefined],
      ['GET', `/api/bookings.csv?calendarId=${c.id}`, undefined],
      ['POST', `/api/forms/${c.form.id}/items`, { type: 'text', label: 'x' }],
    ] as const) {
      expect([path, (await counselor.request(method, path, body)).status]).toEqual([path, 403]);
    }
    const audited = await w.server.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'booking%')
      .execute();
    const actions = new Set(audited.map((a) => a.action));
    for (const a of [
      'booking-calendar.create',
      'booking-calendar.open',
      'booking-slot.update',
      'booking.update',
      'booking.list',
      'booking.export',
    ])
      expect([a, actions.has(a)]).toEqual([a, true]);
  });
});
