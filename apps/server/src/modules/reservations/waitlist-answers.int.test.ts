import { randomUUID } from 'node:crypto';
import type { BookingView, CalendarView, SlotView } from '@madoguchi/contracts/reservations.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenOf, expectJson } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { addDays, tokyoDate } from './calendar.rules.ts';

// Bookings that come from the waiting list carry the booking form's answers (issue 13, V-02 / V-03):
// a friend joining a full slot's waiting list fills the booking form, checked by the form engine as a
// booking is; the answers are kept sealed with the entry, and the booking a freed seat makes has them.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

beforeAll(async () => {
  w = await startLineWorld('2400000031');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
});
afterAll(async () => w?.close());

const json = expectJson;
const day = () => addDays(tokyoDate(new Date()), 2);

/** An open calendar with one 1-seat slot a day at 10:00 and a form: phone (required), e-mail, a choice. */
async function fullSlot() {
  const c = await json<CalendarView>(
    admin.request('POST', '/api/booking-calendars', {
      channelId: w.channelId,
      category: '講座',
      name: `待ち 講座 ${Math.random().toString(36).slice(2, 6)}`,
      openOnHolidays: true,
      maxSeatsPerBooking: 2,
      templates: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
        weekday,
        start: '10:00',
        end: '11:00',
        capacity: 2,
      })),
    }),
    201,
  );
  const item = (body: Record<string, unknown>) =>
    json<CalendarView['form']>(admin.request('POST', `/api/forms/${c.form.id}/items`, body), 201);
  await item({ key: 'tel', type: 'phone', label: '電話番号', required: true });
  await item({ key: 'mail', type: 'email', label: 'メールアドレス' });
  const form = await item({
    key: 'kind',
    type: 'single',
    label: '参加区分',
    choices: [{ label: '大人' }, { label: '子ども' }],
  });
  const child = form.items.find((i) => i.key === 'kind')!.choices[1]!.id;
  await json(admin.request('POST', `/api/booking-calendars/${c.id}/open`), 200);
  const [slot] = await json<SlotView[]>(
    admin.request('GET', `/api/booking-calendars/${c.id}/slots?from=${day()}&days=1`),
    200,
  );
  const holder = await citizenOf(w, '先約 太郎');
  const held = await json<{ bookingId: string }>(
    holder.call('POST', '/api/citizen/bookings', {
      slotId: slot!.id,
      seats: 2,
      requestKey: `hold-${randomUUID()}`,
      answers: { tel: '090-1111-2222' },
    }),
    201,
  );
  return { c, slot: slot!, child, holder, held };
}

describe('waiting list with the booking form (issue 13, V-02 / V-03)', () => {
  it('V-02/V-03: answers given on joining the waiting list are on the booking a freed seat makes, sealed at rest, and mailed', async () => {
    const { c, slot, child, holder, held } = await fullSlot();
    const waiter = await citizenOf(w, '待ち 花子');
    const answers = { tel: '03-1234-5678', mail: 'hanako@example.jp', kind: child };
    await json(
      waiter.call('POST', `/api/citizen/booking-slots/${slot.id}/waitlist`, { seats: 2, answers }),
      204,
    );
    // Kept with the entry, the texts sealed (the plain phone number is nowhere in the row).
    const entry = await w.server.db
      .selectFrom('booking_waitlist')
      .selectAll()
      .where('slot_id', '=', slot.id)
      .executeTakeFirstOrThrow();
    expect(entry.choice_ids.map(String)).toEqual([child]);
    expect(entry.text_keys.sort()).toEqual(['mail', 'tel']);
    expect(entry.texts_enc).not.toBeNull();
    expect(entry.texts_enc!.toString('latin1')).not.toContain('03-1234-5678');
    // The seat is freed: the waiting friend is booked with those answers.
    await json(holder.call('POST', `/api/citizen/bookings/${held.bookingId}/cancel`), 204);
    const list = await json<{ items: BookingView[] }>(
      admin.request('GET', `/api/bookings?calendarId=${c.id}&slotId=${slot.id}&status=booked`),
      200,
    );
    expect(list.items.map((b) => [b.friend, b.seats, b.answers])).toEqual([['待ち 花子', 2, answers]]);
    const booking = await w.server.db
      .selectFrom('bookings')
      .select(['texts_enc', 'text_keys'])
      .where('id', '=', list.items[0]!.id)
      .executeTakeFirstOrThrow();
    expect(booking.text_keys.sort()).toEqual(['mail', 'tel']);
    expect(booking.texts_enc!.toString('latin1')).not.toContain('03-1234-5678');
    // The export shows them too, and the confirmation went by mail as well (V-03).
    const csv = await (
      await admin.request('GET', `/api/bookings.csv?calendarId=${c.id}&status=booked`)
    ).text();
    expect(csv).toContain('03-1234-5678');
    expect(csv).toContain('子ども');
    const mails = await w.server.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject'])
      .where('booking_id', '=', list.items[0]!.id)
      .execute();
    expect(mails).toEqual([
      { to_address: 'hanako@example.jp', subject: '【予約】キャンセル待ちの予約が確定しました。' },
    ]);
  });

  it('V-02: joining again replaces the answers; bad input is refused with codes and stores nothing', async () => {
    const { slot } = await fullSlot();
    const p = await citizenOf(w, '待ち 次郎');
    const join = (body: unknown) => p.call('POST', `/api/citizen/booking-slots/${slot.id}/waitlist`, body);
    const count = async () =>
      (
        await w.server.db
          .selectFrom('booking_waitlist')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('slot_id', '=', slot.id)
          .executeTakeFirstOrThrow()
      ).n;
    // The required phone number is missing; a wrong phone number; an unknown item; a wrong type.
    const missing = await json<{ code: string; details: { path: string }[] }>(join({ seats: 1 }), 400);
    expect(missing.code).toBe('FORM_ANSWER_INVALID');
    expect(missing.details.map((d) => d.path)).toEqual(['answers.tel']);
    const badPhone = await json<{ code: string; details: { path: string }[] }>(
      join({ seats: 1, answers: { tel: 'abc' } }),
      400,
    );
    expect([badPhone.code, badPhone.details.map((d) => d.path)]).toEqual([
      'FORM_ANSWER_INVALID',
      ['answers.tel'],
    ]);
    expect(
      (await json<{ code: string }>(join({ seats: 1, answers: { tel: '03-1234-5678', nope: 'x' } }), 400))
        .code,
    ).toBe('FORM_ANSWER_INVALID');
    expect((await json<{ code: string }>(join({ seats: 1, answers: 'tel' }), 400)).code).toBeTruthy();
    expect(
      (await json<{ code: string }>(join({ seats: 3, answers: { tel: '03-1234-5678' } }), 400)).code,
    ).toBe('BOOKING_TOO_MANY_SEATS');
    expect(await count()).toBe('0');
    await json(join({ seats: 1, answers: { tel: '03-1234-5678' } }), 204);
    await json(join({ seats: 2, answers: { tel: '06-9999-0000' } }), 204);
    const rows = await w.server.db
      .selectFrom('booking_waitlist')
      .select(['seats', 'text_keys'])
      .where('slot_id', '=', slot.id)
      .execute();
    expect(rows).toEqual([{ seats: 2, text_keys: ['tel'] }]);
  });
});
