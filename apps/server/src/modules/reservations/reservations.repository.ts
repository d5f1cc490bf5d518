import {
  type ExpressionBuilder,
  type Insertable,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Db } from '../../db/database.ts';
import type { BookingCalendarsTable, Database } from '../../db/schema.ts';

// All SQL of reservations (V-01 … V-06): calendars, slots, bookings, the waiting list and the history.
// Capacity is the database's (the bookings_capacity trigger): inserts and moves that would overbook
// fail with BOOKING_FULL, whatever the caller checked before.

type Tx = Db | Transaction<Database>;

export type CalendarRow = Selectable<BookingCalendarsTable>;

export const listCalendarRows = (db: Tx, channelId: string) =>
  db
    .selectFrom('booking_calendars')
    .selectAll()
    .where('channel_id', '=', channelId)
    .orderBy('category')
    .orderBy('name')
    .execute();

export const findCalendarRow = (db: Tx, id: string) =>
  db.selectFrom('booking_calendars').selectAll().where('id', '=', id).executeTakeFirst();

export const lockCalendarRow = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('booking_calendars').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function insertCalendarRow(db: Tx, values: Insertable<BookingCalendarsTable>) {
  return (await db.insertInto('booking_calendars').values(values).returning('id').executeTakeFirstOrThrow())
    .id;
}

export async function updateCalendarRow(db: Tx, id: string, change: Updateable<BookingCalendarsTable>) {
  await db
    .updateTable('booking_calendars')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Slots

/** Makes the slots the templates give (existing ones are kept as staff left them). */
export async function ensureSlotRows(
  db: Tx,
  calendarId: string,
  slots: { startsAt: Date; endsAt: Date; capacity: number }[],
) {
  if (slots.length === 0) return;
  await db
    .insertInto('booking_slots')
    .values(
      slots.map((s) => ({
        calendar_id: calendarId,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        capacity: s.capacity,
      })),
    )
    .onConflict((oc) => oc.columns(['calendar_id', 'starts_at']).doNothing())
    .execute();
}

/** Slots of the calendar in [from, to) with the seats taken and the friends waiting. */
export const slotRows = (db: Tx, calendarId: string, from: Date, to: Date) =>
  db
    .selectFrom('booking_slots as s')
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.capacity',
      's.cancelled_at',
      (eb) =>
        eb
          .selectFrom('bookings as b')
          .select(sql<number>`coalesce(sum(b.seats), 0)::int`.as('n'))
          .whereRef('b.slot_id', '=', 's.id')
          .where('b.status', '<>', 'cancelled')
          .as('taken'),
      (eb) =>
        eb
          .selectFrom('booking_waitlist as w')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('w.slot_id', '=', 's.id')
          .where('w.status', '=', 'waiting')
          .as('waiting'),
    ])
    .where('s.calendar_id', '=', calendarId)
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to)
    .orderBy('s.starts_at')
    .execute();

/**
 * Forgets the calendar's future slots that nobody booked or waits for (after its templates, holidays
 * or dates changed): they are made again from the new settings when their days are next shown.
 * Slots holding bookings stay as they are (staff move or cancel those).
 */
export async function dropUnbookedFutureSlots(db: Tx, calendarId: string, now: Date) {
  await sql`
    delete from booking_slots s
     where s.calendar_id = ${calendarId} and s.starts_at > ${now} and s.cancelled_at is null
       and not exists (select 1 from bookings b where b.slot_id = s.id)
       and not exists (select 1 from booking_waitlist w where w.slot_id = s.id)
  `.execute(db);
}

export const findSlotRow = (db: Tx, id: string) =>
  db
    .selectFrom('booking_slots as s')
    .innerJoin('booking_calendars as c', 'c.id', 's.calendar_id')
    .select([
      's.id',
      's.calendar_id',
      's.starts_at',
      's.ends_at',
      's.capacity',
      's.cancelled_at',
      'c.channel_id',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();

/** A slot to book, with its calendar and the stamp of the calendar's booking form: one round trip. */
export const findSlotToBook = (db: Tx, id: string) =>
  db
    .selectFrom('booking_slots as s')
    .innerJoin('booking_calendars as c', 'c.id', 's.calendar_id')
    .innerJoin('forms as f', 'f.id', 'c.form_id')
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.cancelled_at',
      'c.id as calendar_id',
      'c.channel_id',
      'c.name',
      'c.status',
      'c.form_id',
      'c.booking_cutoff_minutes',
      'c.per_person_limit',
      'c.max_seats_per_booking',
      'f.updated_at as form_updated_at',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();

export async function updateSlotRow(db: Tx, id: string, change: { capacity?: number; cancelled?: boolean }) {
  await db
    .updateTable('booking_slots')
    .set({
      ...(change.capacity !== undefined ? { capacity: change.capacity } : {}),
      ...(change.cancelled !== undefined ? { cancelled_at: change.cancelled ? new Date() : null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export const seatsTaken = async (db: Tx, slotId: string) =>
  (
    await db
      .selectFrom('bookings')
      .select(sql<number>`coalesce(sum(seats), 0)::int`.as('n'))
      .where('slot_id', '=', slotId)
      .where('status', '<>', 'cancelled')
      .executeTakeFirstOrThrow()
  ).n;

// ---------------------------------------------------------------------------------------------
// Bookings

export const findBookingByRequest = (db: Tx, friendId: string, requestKey: string) =>
  db
    .selectFrom('bookings as b')
    .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
    .select(['b.id', 'b.slot_id', 's.starts_at'])
    .where('b.friend_id', '=', friendId)
    .where('b.request_key', '=', requestKey)
    .executeTakeFirst();

/** Serialises one friend's bookings in a calendar (the per-person limit holds under concurrency). */
export async function lockFriendInCalendar(trx: Transaction<Database>, calendarId: string, friendId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${calendarId}:${friendId}`}, 0))`.execute(trx);
}

/** The friend's bookings in the calendar that hold seats in slots not yet started. */
export const activeBookingsOf = async (db: Tx, calendarId: string, friendId: string, now: Date) =>
  (
    await db
      .selectFrom('bookings as b')
      .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('b.calendar_id', '=', calendarId)
      .where('b.friend_id', '=', friendId)
      .where('b.status', '=', 'booked')
      .where('s.starts_at', '>', now)
      .executeTakeFirstOrThrow()
  ).n;

export interface BookingWrite {
  calendarId: string;
  slotId: string;
  friendId: string;
  seats: number;
  requestKey: string;
  choiceIds: string[];
  numbers: Record<string, number>;
  textsEnc: Buffer | null;
  textKeys: string[];
}

/** The booking form's answers as kept with a booking or a waiting-list entry (texts sealed). */
export type StoredBookingAnswers = Pick<BookingWrite, 'choiceIds' | 'numbers' | 'textsEnc' | 'textKeys'>;

/**
 * Books (the trigger refuses it past the capacity). Answers the new row, or null when this friend's
 * request key was already used (a retried tap: nothing added).
 */
export async function insertBookingRow(db: Tx, b: BookingWrite) {
  return (
    (await db
      .insertInto('bookings')
      .values({
        calendar_id: b.calendarId,
        slot_id: b.slotId,
        friend_id: b.friendId,
        seats: b.seats,
        request_key: b.requestKey,
        choice_ids: b.choiceIds,
        numbers: JSON.stringify(b.numbers),
        texts_enc: b.textsEnc,
        text_keys: b.textKeys,
      })
      .onConflict((oc) => oc.columns(['friend_id', 'request_key']).doNothing())
      .returning(['id', 'created_at'])
      .executeTakeFirst()) ?? null
  );
}

const BOOKING_COLUMNS = [
  'b.id',
  'b.calendar_id',
  'b.slot_id',
  'b.friend_id',
  'b.seats',
  'b.status',
  'b.choice_ids',
  'b.numbers',
  'b.texts_enc',
  'b.reminder_sent_at',
  'b.created_at',
  'b.updated_at',
  's.starts_at',
  's.ends_at',
] as const;

export const lockBookingRow = (trx: Transaction<Database>, id: string) =>
  trx
    .selectFrom('bookings as b')
    .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
    .innerJoin('booking_calendars as c', 'c.id', 'b.calendar_id')
    .innerJoin('friends as fr', 'fr.id', 'b.friend_id')
    .select([
      ...BOOKING_COLUMNS,
      'c.channel_id',
      'c.name as calendar_name',
      'c.cancel_cutoff_minutes',
      'c.form_id',
      'fr.line_user_id',
    ])
    .where('b.id', '=', id)
    .forUpdate('b')
    .executeTakeFirst();

export async function setBookingStatus(
  db: Tx,
  id: string,
  status: 'booked' | 'attended' | 'no_show' | 'cancelled',
) {
  await db.updateTable('bookings').set({ status, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function moveBookingRow(db: Tx, id: string, slotId: string) {
  await db
    .updateTable('bookings')
    .set({ slot_id: slotId, reminder_sent_at: null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function updateBookingAnswers(db: Tx, id: string, a: StoredBookingAnswers) {
  await db
    .updateTable('bookings')
    .set({
      choice_ids: a.choiceIds,
      numbers: JSON.stringify(a.numbers),
      texts_enc: a.textsEnc,
      text_keys: a.textKeys,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertBookingChange(
  db: Tx,
  c: {
    bookingId: string;
    staffId: string | null;
    field: 'status' | 'slot' | 'staff_answers';
    from: string;
    to: string;
  },
) {
  await db
    .insertInto('booking_changes')
    .values({
      booking_id: c.bookingId,
      staff_id: c.staffId,
      field: c.field,
      from_value: c.from,
      to_value: c.to,
    })
    .execute();
}

export interface BookingFilter {
  calendarId: string;
  slotId?: string;
  status?: 'booked' | 'attended' | 'no_show' | 'cancelled';
  from?: Date;
  to?: Date;
  friendId?: string;
  /** Page key: bookings after this one in the list's order (times as PostgreSQL wrote them; id). */
  after?: { startsAt: string; createdAt: string; id: string };
}

type WithBookingAndSlot = Database & { b: Database['bookings']; s: Database['booking_slots'] };

/** The filters of the list (and of its count), on bookings `b` joined with their slots `s`. */
const matching =
  (f: Omit<BookingFilter, 'after'>) => (eb: ExpressionBuilder<WithBookingAndSlot, 'b' | 's'>) =>
    eb.and([
      eb('b.calendar_id', '=', f.calendarId),
      ...(f.slotId ? [eb('b.slot_id', '=', f.slotId)] : []),
      ...(f.status ? [eb('b.status', '=', f.status)] : []),
      ...(f.from ? [eb('s.starts_at', '>=', f.from)] : []),
      ...(f.to ? [eb('s.starts_at', '<', f.to)] : []),
      ...(f.friendId ? [eb('b.friend_id', '=', f.friendId)] : []),
    ]);

/**
 * Bookings in the list's order — slot time, then booking time, then ID, so that pages neither repeat
 * nor skip rows with equal times — with the friend's LINE name and user ID, and the page key columns.
 */
export function bookingRows(db: Tx, f: BookingFilter) {
  let q = db
    .selectFrom('bookings as b')
    .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
    .innerJoin('friends as fr', 'fr.id', 'b.friend_id')
    .select([
      ...BOOKING_COLUMNS,
      'fr.display_name',
      'fr.line_user_id',
      sql<string>`s.starts_at::text`.as('page_starts_at'),
      sql<string>`b.created_at::text`.as('page_created_at'),
    ])
    .where(matching(f));
  if (f.after) {
    const a = f.after;
    q = q.where(
      sql<boolean>`(s.starts_at, b.created_at, b.id) > (${a.startsAt}::timestamptz, ${a.createdAt}::timestamptz, ${a.id}::uuid)`,
    );
  }
  return q.orderBy('s.starts_at').orderBy('b.created_at').orderBy('b.id');
}

/** How many bookings the list's filters match (the same on every page). */
export const countBookings = async (db: Tx, f: Omit<BookingFilter, 'after'>) =>
  (
    await db
      .selectFrom('bookings as b')
      .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(matching(f))
      .executeTakeFirstOrThrow()
  ).n;

/** A friend's bookings across the channel's calendars, newest slot first. */
export const myBookingRows = (db: Tx, channelId: string, friendId: string) =>
  db
    .selectFrom('bookings as b')
    .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
    .innerJoin('booking_calendars as c', 'c.id', 'b.calendar_id')
    .select([
      'b.id',
      'b.seats',
      'b.status',
      's.starts_at',
      's.ends_at',
      'c.id as calendar_id',
      'c.name',
      'c.cancel_cutoff_minutes',
    ])
    .where('c.channel_id', '=', channelId)
    .where('b.friend_id', '=', friendId)
    .orderBy('s.starts_at', 'desc')
    .limit(100)
    .execute();

// ---------------------------------------------------------------------------------------------
// Waiting list and reminders

/** Joins (or joins again) the slot's waiting list with the seats and the booking form's answers. */
export async function joinWaitlistRow(
  db: Tx,
  w: { slotId: string; friendId: string; seats: number } & StoredBookingAnswers,
) {
  const answers = {
    choice_ids: w.choiceIds,
    numbers: JSON.stringify(w.numbers),
    texts_enc: w.textsEnc,
    text_keys: w.textKeys,
  };
  await db
    .insertInto('booking_waitlist')
    .values({ slot_id: w.slotId, friend_id: w.friendId, seats: w.seats, ...answers })
    .onConflict((oc) =>
      oc.columns(['slot_id', 'friend_id']).doUpdateSet({ seats: w.seats, status: 'waiting', ...answers }),
    )
    .execute();
}

/** The slot's waiting friends in the order they joined, with their answers, locked. */
export const waitingRows = (trx: Transaction<Database>, slotId: string) =>
  trx
    .selectFrom('booking_waitlist as w')
    .innerJoin('friends as fr', 'fr.id', 'w.friend_id')
    .select([
      'w.id',
      'w.friend_id',
      'w.seats',
      'w.choice_ids',
      'w.numbers',
      'w.texts_enc',
      'w.text_keys',
      'fr.line_user_id',
    ])
    .where('w.slot_id', '=', slotId)
    .where('w.status', '=', 'waiting')
    .orderBy('w.id')
    .forUpdate('w')
    .execute();

export async function markWaitlistBooked(db: Tx, id: string, bookingId: string) {
  await db
    .updateTable('booking_waitlist')
    .set({ status: 'booked', booking_id: bookingId })
    .where('id', '=', id)
    .execute();
}

/** Bookings whose reminder is due (the day before at the calendar's hour) and not yet sent, locked. */
export const dueReminderRows = (trx: Transaction<Database>, now: Date, limit: number) =>
  trx
    .selectFrom('bookings as b')
    .innerJoin('booking_slots as s', 's.id', 'b.slot_id')
    .innerJoin('booking_calendars as c', 'c.id', 'b.calendar_id')
    .innerJoin('friends as fr', 'fr.id', 'b.friend_id')
    .select([
      'b.id',
      'b.seats',
      's.starts_at',
      's.ends_at',
      'c.channel_id',
      'c.name',
      'c.reminder_hour',
      'fr.line_user_id',
    ])
    .where('b.status', '=', 'booked')
    .where('b.reminder_sent_at', 'is', null)
    .where('c.reminder_hour', 'is not', null)
    .where('s.cancelled_at', 'is', null)
    .where('s.starts_at', '>', now)
    // The day before the slot (Tokyo) at the reminder hour, or later.
    .where(
      sql<boolean>`((s.starts_at at time zone 'Asia/Tokyo')::date - 1 + make_interval(hours => c.reminder_hour)) at time zone 'Asia/Tokyo' <= ${now}`,
    )
    .orderBy('s.starts_at')
    .limit(limit)
    .forUpdate('b')
    .skipLocked()
    .execute();

export async function markReminded(db: Tx, ids: string[]) {
  if (ids.length === 0) return;
  await db.updateTable('bookings').set({ reminder_sent_at: new Date() }).where('id', 'in', ids).execute();
}
