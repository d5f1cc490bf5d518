import type { messagingApi } from '@line/bot-sdk';
import type { Answers } from '@madoguchi/contracts/forms.ts';
import {
  BOOKING_STATUS_LABELS,
  type BookingAccepted,
  type BookingPage,
  type BookingStatus,
  type BookingView,
  type CalendarView,
  type MyBooking,
  type PublicCalendar,
  type PublicSlot,
  type SlotTemplate,
  type SlotView,
} from '@madoguchi/contracts/reservations.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { type AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { decodePageKey, encodePageKey } from '../../platform/http/page-key.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import {
  answerFormatter,
  answerProblems,
  answersOf,
  applyAnswers,
  createForm,
  type FormView,
  loadForm,
  loadFormAt,
  publicForm,
  type StoredAnswers,
  sealTexts,
  setFormText,
  storedAnswers,
  textKeysOf,
} from '../forms/forms.service.ts';
import { findFriendByLineUser } from '../friends/friends.service.ts';
import { createLineEffects } from '../line-events/line-event-bus.ts';
import { queueMails } from '../mail/mail.service.ts';
import { addDays, beforeCutoff, slotsFor, tokyoDate, tokyoInstant } from './calendar.rules.ts';
import { bookingMessage, reminderMessage } from './reservation-messages.ts';
import {
  activeBookingsOf,
  type BookingFilter,
  bookingRows,
  type CalendarRow,
  countBookings,
  dropUnbookedFutureSlots,
  dueReminderRows,
  ensureSlotRows,
  findBookingByRequest,
  findCalendarRow,
  findSlotRow,
  findSlotToBook,
  insertBookingChange,
  insertBookingRow,
  insertCalendarRow,
  joinWaitlistRow,
  listCalendarRows,
  lockBookingRow,
  lockCalendarRow,
  lockFriendInCalendar,
  markReminded,
  markWaitlistBooked,
  moveBookingRow,
  myBookingRows,
  type StoredBookingAnswers,
  seatsTaken,
  setBookingStatus,
  slotRows,
  updateBookingAnswers,
  updateCalendarRow,
  updateSlotRow,
  waitingRows,
} from './reservations.repository.ts';
import type { CalendarCreate, CalendarUpdate } from './reservations.schema.ts';

// Reservations (V-01 … V-06). Staff make calendars (weekly slot templates, holidays closed unless
// opened, exceptions, cutoffs, limits) whose booking form is the form engine's; friends book from LINE
// — the database refuses any booking past a slot's capacity (the bookings_capacity trigger over the
// booking rows), a retried tap books once (request key) — and get a LINE message on booking, change
// and cancellation, and a reminder the day before. A freed seat goes to the waiting list in order.

export interface ReservationDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  /** Queues the outbox sender after a commit that recorded LINE pushes. */
  onOutbox: () => void;
  /** Queues the mail sender after a commit that recorded mails (modules/mail). */
  onMail: () => void;
}

/**
 * The same news by e-mail when the booking form has an e-mail item the citizen answered (V-03):
 * queued in the booking's transaction (mail outbox). Answers whether a mail was queued.
 */
async function mailBooking(
  trx: Transaction<Database>,
  bookingId: string,
  form: FormView,
  stored: StoredAnswers,
  message: messagingApi.TextMessage,
): Promise<boolean> {
  const item = form.items.find((i) => i.type === 'email' && !i.retired && stored.texts[i.key]);
  if (!item) return false;
  const [first] = message.text.split('\n');
  await queueMails(trx, [
    {
      booking_id: bookingId,
      to_address: stored.texts[item.key]!,
      subject: `【予約】${first}`,
      body: `${message.text}\n\n（このメールは送信専用です。予約の確認・取消は LINE の「予約する」からできます）`,
    },
  ]);
  return true;
}

/** Answers checked by the form engine, as a booking or a waiting-list entry keeps them (texts sealed). */
const sealedAnswers = (cipher: Cipher, form: FormView, answers: StoredAnswers): StoredBookingAnswers => ({
  choiceIds: answers.choiceIds,
  numbers: answers.numbers,
  textsEnc: sealTexts(cipher, answers.texts),
  textKeys: textKeysOf(form, answers),
});

const link = (liffId: string | null, id: string) =>
  liffId ? `https://liff.line.me/${liffId}?page=booking&id=${id}` : null;

async function requireCalendar(db: Db | Transaction<Database>, id: string) {
  const row = await findCalendarRow(db, id);
  if (!row) throw notFound('予約カレンダー');
  return row;
}

const rulesOf = (row: CalendarRow) => ({
  templates: row.templates as SlotTemplate[],
  openOnHolidays: row.open_on_holidays,
  closedDates: row.closed_dates,
  openedDates: row.opened_dates,
});

export async function calendarView(deps: ReservationDeps, row: CalendarRow): Promise<CalendarView<Date>> {
  const [form, channel] = await Promise.all([
    loadForm(deps.db, row.form_id),
    deps.channels.get(row.channel_id),
  ]);
  return {
    id: row.id,
    channelId: row.channel_id,
    category: row.category,
    name: row.name,
    description: row.description,
    status: row.status,
    templates: row.templates as SlotTemplate[],
    openOnHolidays: row.open_on_holidays,
    closedDates: row.closed_dates,
    openedDates: row.opened_dates,
    bookingCutoffMinutes: row.booking_cutoff_minutes,
    cancelCutoffMinutes: row.cancel_cutoff_minutes,
    perPersonLimit: row.per_person_limit,
    maxSeatsPerBooking: row.max_seats_per_booking,
    reminderHour: row.reminder_hour,
    form,
    link: link(channel.liffId, row.id),
    updatedAt: row.updated_at,
  };
}

export async function listCalendars(deps: ReservationDeps, channelId: string) {
  await deps.channels.get(channelId);
  return Promise.all((await listCalendarRows(deps.db, channelId)).map((r) => calendarView(deps, r)));
}

export async function getCalendar(deps: ReservationDeps, id: string) {
  return calendarView(deps, await requireCalendar(deps.db, id));
}

const columnsOf = (c: CalendarUpdate) => ({
  ...(c.category !== undefined ? { category: c.category } : {}),
  ...(c.name !== undefined ? { name: c.name } : {}),
  ...(c.description !== undefined ? { description: c.description } : {}),
  ...(c.templates !== undefined ? { templates: JSON.stringify(c.templates) } : {}),
  ...(c.openOnHolidays !== undefined ? { open_on_holidays: c.openOnHolidays } : {}),
  ...(c.closedDates !== undefined ? { closed_dates: c.closedDates } : {}),
  ...(c.openedDates !== undefined ? { opened_dates: c.openedDates } : {}),
  ...(c.bookingCutoffMinutes !== undefined ? { booking_cutoff_minutes: c.bookingCutoffMinutes } : {}),
  ...(c.cancelCutoffMinutes !== undefined ? { cancel_cutoff_minutes: c.cancelCutoffMinutes } : {}),
  ...(c.perPersonLimit !== undefined ? { per_person_limit: c.perPersonLimit } : {}),
  ...(c.maxSeatsPerBooking !== undefined ? { max_seats_per_booking: c.maxSeatsPerBooking } : {}),
  ...(c.reminderHour !== undefined ? { reminder_hour: c.reminderHour } : {}),
});

export async function createCalendar(deps: ReservationDeps, input: CalendarCreate) {
  await deps.channels.get(input.channelId);
  const { channelId, ...rest } = input;
  const id = await deps.db.transaction().execute(async (trx) =>
    insertCalendarRow(trx, {
      channel_id: channelId,
      form_id: await createForm(trx, {
        channelId,
        purpose: 'booking',
        title: input.name,
        description: input.description,
      }),
      category: input.category,
      name: input.name,
      ...columnsOf(rest),
    }),
  );
  return getCalendar(deps, id);
}

export async function updateCalendar(deps: ReservationDeps, id: string, change: CalendarUpdate) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockCalendarRow(trx, id);
    if (!row) throw notFound('予約カレンダー');
    await updateCalendarRow(trx, id, columnsOf(change));
    const slotsChange = [change.templates, change.openOnHolidays, change.closedDates, change.openedDates];
    if (slotsChange.some((c) => c !== undefined)) await dropUnbookedFutureSlots(trx, id, new Date());
    if (change.name !== undefined || change.description !== undefined)
      await setFormText(trx, row.form_id, {
        ...(change.name !== undefined ? { title: change.name } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
      });
  });
  return getCalendar(deps, id);
}

export async function setCalendarStatus(deps: ReservationDeps, id: string, status: 'open' | 'closed') {
  const row = await requireCalendar(deps.db, id);
  if (status === 'open' && (row.templates as SlotTemplate[]).length === 0)
    throw conflict(
      'CALENDAR_NO_SLOTS',
      '予約枠（曜日と時間）が1つもありません。枠を追加してから公開してください',
    );
  await updateCalendarRow(deps.db, id, { status });
  return getCalendar(deps, id);
}

// ---------------------------------------------------------------------------------------------
// Slots

/** The calendar's slots for `days` days from `from` (Tokyo dates), made from the templates as needed. */
async function slotsOf(deps: ReservationDeps, row: CalendarRow, from: string, days: number) {
  await ensureSlotRows(deps.db, row.id, slotsFor(rulesOf(row), from, days));
  return slotRows(deps.db, row.id, tokyoInstant(from, '00:00'), tokyoInstant(addDays(from, days), '00:00'));
}

export async function listSlots(deps: ReservationDeps, calendarId: string, from: string, days: number) {
  const row = await requireCalendar(deps.db, calendarId);
  return (await slotsOf(deps, row, from, days)).map(
    (s): SlotView<Date> => ({
      id: s.id,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      capacity: s.capacity,
      taken: s.taken ?? 0,
      waiting: s.waiting ?? 0,
      cancelled: s.cancelled_at !== null,
    }),
  );
}

export async function updateSlot(
  deps: ReservationDeps,
  slotId: string,
  change: { capacity?: number; cancelled?: boolean },
) {
  const slot = await findSlotRow(deps.db, slotId);
  if (!slot) throw notFound('予約枠');
  let offered = false;
  await deps.db.transaction().execute(async (trx) => {
    if (change.capacity !== undefined && change.capacity < (await seatsTaken(trx, slotId)))
      throw conflict(
        'SLOT_CAPACITY_BELOW_BOOKED',
        '予約済みの人数より少ない定員にはできません。先に予約を移動か取消してください',
      );
    await updateSlotRow(trx, slotId, change);
    // More seats: the waiting list gets them first, in order.
    if (change.capacity !== undefined && change.capacity > slot.capacity && !change.cancelled) {
      await offerFreedSeats(deps, trx, slotId);
      offered = true;
    }
    if (change.cancelled) {
      // Every booking of a cancelled slot is cancelled, and its friend told.
      const rows = await bookingRows(trx, {
        calendarId: slot.calendar_id,
        slotId,
        status: 'booked',
      }).execute();
      const calendar = await requireCalendar(trx, slot.calendar_id);
      for (const b of rows) {
        await setBookingStatus(trx, b.id, 'cancelled');
        await createLineEffects(trx, deps.cipher).push(slot.channel_id, b.line_user_id, [
          bookingMessage('slot_cancelled', calendar.name, slot.starts_at, slot.ends_at, b.seats),
        ]);
      }
      if (rows.length > 0) deps.onOutbox();
    }
  });
  if (offered) {
    deps.onOutbox();
    deps.onMail();
  }
}

// ---------------------------------------------------------------------------------------------
// Citizens

/** Whether the channel has a calendar open for booking (マイページ lists 予約 then). */
export const hasOpenCalendar = async (db: Db, channelId: string) =>
  (await listCalendarRows(db, channelId)).some((r) => r.status === 'open');

export async function publicCalendars(deps: ReservationDeps, channelId: string): Promise<PublicCalendar[]> {
  const rows = (await listCalendarRows(deps.db, channelId)).filter((r) => r.status === 'open');
  return Promise.all(rows.map((r) => publicCalendarOf(deps, r)));
}

async function publicCalendarOf(deps: ReservationDeps, row: CalendarRow): Promise<PublicCalendar> {
  return {
    id: row.id,
    category: row.category,
    name: row.name,
    description: row.description,
    maxSeatsPerBooking: row.max_seats_per_booking,
    bookingCutoffMinutes: row.booking_cutoff_minutes,
    cancelCutoffMinutes: row.cancel_cutoff_minutes,
    form: publicForm(await loadForm(deps.db, row.form_id)),
  };
}

async function openCalendarFor(deps: ReservationDeps, channelId: string, id: string) {
  const row = await findCalendarRow(deps.db, id);
  if (row?.status !== 'open' || row.channel_id !== channelId) throw notFound('予約カレンダー');
  return row;
}

export async function calendarForCitizen(deps: ReservationDeps, channelId: string, id: string) {
  return publicCalendarOf(deps, await openCalendarFor(deps, channelId, id));
}

export async function publicSlots(
  deps: ReservationDeps,
  channelId: string,
  id: string,
  from: string,
  days: number,
  now = new Date(),
): Promise<PublicSlot<Date>[]> {
  const row = await openCalendarFor(deps, channelId, id);
  const start = from < tokyoDate(now) ? tokyoDate(now) : from;
  return (await slotsOf(deps, row, start, days))
    .filter((s) => s.starts_at > now)
    .map((s) => {
      const left = s.cancelled_at ? 0 : Math.max(0, s.capacity - (s.taken ?? 0));
      return {
        id: s.id,
        startsAt: s.starts_at,
        endsAt: s.ends_at,
        left,
        bookable: !s.cancelled_at && beforeCutoff(s.starts_at, row.booking_cutoff_minutes, now),
      };
    });
}

/** The database's refusals (the capacity trigger) as answers with codes. */
function capacityError(err: unknown): AppError | null {
  const e = err as { code?: string; message?: string };
  if (e.code !== 'P0001') return null;
  if (e.message === 'BOOKING_FULL')
    return conflict(
      'BOOKING_FULL',
      '満席のため予約できませんでした。別の日時を選ぶか、キャンセル待ちに登録してください',
    );
  if (e.message === 'BOOKING_SLOT_CANCELLED')
    return conflict('BOOKING_SLOT_CANCELLED', 'この予約枠は中止になりました');
  return null;
}

async function friendOf(deps: ReservationDeps, channelId: string, lineUserId: string) {
  const friend = await findFriendByLineUser(deps.db, channelId, lineUserId);
  if (!friend) throw conflict('NOT_A_FRIEND', 'LINE 公式アカウントを友だち追加してから予約してください');
  return friend;
}

/**
 * Books `seats` in a slot for the friend, with the booking form's answers. A retried request key
 * answers the first booking; a full slot (the database decides) is 409 BOOKING_FULL.
 */
export async function book(
  deps: ReservationDeps,
  who: { channelId: string; lineUserId: string },
  input: { slotId: string; seats: number; answers: Answers; requestKey: string },
  now = new Date(),
): Promise<BookingAccepted<Date>> {
  const [friend, slot] = await Promise.all([
    friendOf(deps, who.channelId, who.lineUserId),
    findSlotToBook(deps.db, input.slotId),
  ]);
  if (!slot || slot.channel_id !== who.channelId || slot.status !== 'open') throw notFound('予約枠');
  if (slot.cancelled_at) throw conflict('BOOKING_SLOT_CANCELLED', 'この予約枠は中止になりました');
  if (input.seats > slot.max_seats_per_booking)
    throw badRequest('BOOKING_TOO_MANY_SEATS', `1回の予約は${slot.max_seats_per_booking}人までです`, [
      { path: 'seats', message: `1回の予約は${slot.max_seats_per_booking}人までです` },
    ]);
  const form = await loadFormAt(deps.db, slot.form_id, slot.form_updated_at);
  const { answers, problems } = applyAnswers(form, null, input.answers, now);
  if (problems.length > 0) throw answerProblems(problems);
  const repeated = async (db: Db | Transaction<Database>) => {
    const first = await findBookingByRequest(db, friend.id, input.requestKey);
    return first ? { bookingId: first.id, startsAt: first.starts_at, repeated: true } : null;
  };
  // A retried tap after its booking's slot closed (the cutoff) still answers the booking it made.
  if (!beforeCutoff(slot.starts_at, slot.booking_cutoff_minutes, now)) {
    const earlier = await repeated(deps.db);
    if (earlier) return earlier;
    throw conflict('BOOKING_CUTOFF_PASSED', 'この日時の予約の受付は終了しました');
  }
  try {
    const r = await deps.db.transaction().execute(async (trx) => {
      if (slot.per_person_limit !== null) {
        await lockFriendInCalendar(trx, slot.calendar_id, friend.id);
        const earlier = await repeated(trx);
        if (earlier) return earlier;
        if ((await activeBookingsOf(trx, slot.calendar_id, friend.id, now)) >= slot.per_person_limit)
          throw conflict(
            'BOOKING_LIMIT_REACHED',
            `このカレンダーで同時にできる予約は${slot.per_person_limit}件までです`,
          );
      }
      // The capacity is the database's (the trigger); a used request key inserts nothing.
      const made = await insertBookingRow(trx, {
        calendarId: slot.calendar_id,
        slotId: slot.id,
        friendId: friend.id,
        seats: input.seats,
        requestKey: input.requestKey,
        ...sealedAnswers(deps.cipher, form, answers),
      });
      if (!made) return (await repeated(trx))!;
      const message = bookingMessage('booked', slot.name, slot.starts_at, slot.ends_at, input.seats);
      await createLineEffects(trx, deps.cipher).push(who.channelId, who.lineUserId, [message]);
      const mailed = await mailBooking(trx, made.id, form, answers, message);
      return { bookingId: made.id, startsAt: slot.starts_at, repeated: false, mailed };
    });
    if (!r.repeated) deps.onOutbox();
    if ('mailed' in r && r.mailed) deps.onMail();
    return r;
  } catch (err) {
    const full = capacityError(err);
    if (!full) throw err;
    // A retried tap whose first try took the last seat is not told 満席.
    const earlier = await repeated(deps.db);
    if (earlier) return earlier;
    throw full;
  }
}

export async function myBookings(
  deps: ReservationDeps,
  who: { channelId: string; lineUserId: string },
  now = new Date(),
) {
  const friend = await friendOf(deps, who.channelId, who.lineUserId);
  return (await myBookingRows(deps.db, who.channelId, friend.id)).map(
    (r): MyBooking<Date> => ({
      id: r.id,
      calendar: { id: r.calendar_id, name: r.name },
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      seats: r.seats,
      status: r.status,
      cancellable: r.status === 'booked' && beforeCutoff(r.starts_at, r.cancel_cutoff_minutes, now),
    }),
  );
}

/**
 * Frees a cancelled booking's seats for the waiting list: each waiting friend who fits is booked, in
 * order, with the booking form's answers they gave when joining, told on LINE and, when they gave an
 * e-mail address, by mail (V-03).
 */
async function offerFreedSeats(deps: ReservationDeps, trx: Transaction<Database>, slotId: string) {
  const slot = await findSlotRow(trx, slotId);
  if (!slot || slot.cancelled_at || slot.starts_at <= new Date()) return;
  const calendar = await requireCalendar(trx, slot.calendar_id);
  let form: FormView | undefined;
  let left = slot.capacity - (await seatsTaken(trx, slotId));
  for (const w of await waitingRows(trx, slotId)) {
    if (left <= 0) break;
    if (w.seats > left) continue;
    const made = await insertBookingRow(trx, {
      calendarId: calendar.id,
      slotId,
      friendId: w.friend_id,
      seats: w.seats,
      requestKey: `waitlist-${w.id}`,
      choiceIds: w.choice_ids.map(String),
      numbers: w.numbers,
      textsEnc: w.texts_enc,
      textKeys: w.text_keys,
    });
    if (!made) continue;
    await markWaitlistBooked(trx, w.id, made.id);
    left -= w.seats;
    const message = bookingMessage('from_waitlist', calendar.name, slot.starts_at, slot.ends_at, w.seats);
    await createLineEffects(trx, deps.cipher).push(slot.channel_id, w.line_user_id, [message]);
    form ??= await loadForm(trx, calendar.form_id);
    await mailBooking(trx, made.id, form, storedAnswers(deps.cipher, w), message);
  }
}

export async function cancelMyBooking(
  deps: ReservationDeps,
  who: { channelId: string; lineUserId: string },
  bookingId: string,
  now = new Date(),
) {
  const friend = await friendOf(deps, who.channelId, who.lineUserId);
  await deps.db.transaction().execute(async (trx) => {
    const b = await lockBookingRow(trx, bookingId);
    if (!b || b.friend_id !== friend.id || b.channel_id !== who.channelId) throw notFound('予約');
    if (b.status !== 'booked')
      throw conflict('BOOKING_NOT_ACTIVE', 'この予約はすでに取り消されているか、終了しています');
    if (!beforeCutoff(b.starts_at, b.cancel_cutoff_minutes, now))
      throw conflict(
        'BOOKING_CANCEL_CUTOFF_PASSED',
        '取消の受付期限を過ぎています。お手数ですが担当課へお電話ください',
      );
    await setBookingStatus(trx, bookingId, 'cancelled');
    await insertBookingChange(trx, {
      bookingId,
      staffId: null,
      field: 'status',
      from: '予約済',
      to: '取消（本人）',
    });
    const message = bookingMessage('cancelled', b.calendar_name, b.starts_at, b.ends_at, b.seats);
    await createLineEffects(trx, deps.cipher).push(who.channelId, who.lineUserId, [message]);
    await mailBooking(trx, bookingId, await loadForm(trx, b.form_id), storedAnswers(deps.cipher, b), message);
    await offerFreedSeats(deps, trx, b.slot_id);
  });
  deps.onOutbox();
  deps.onMail();
}

/**
 * Puts the friend on a slot's waiting list with the seats and the booking form's answers, checked by
 * the form engine as a booking's are (V-02): the booking a freed seat makes carries them.
 */
export async function joinWaitlist(
  deps: ReservationDeps,
  who: { channelId: string; lineUserId: string },
  slotId: string,
  input: { seats: number; answers: Answers },
  now = new Date(),
) {
  const [friend, slot] = await Promise.all([
    friendOf(deps, who.channelId, who.lineUserId),
    findSlotToBook(deps.db, slotId),
  ]);
  if (!slot || slot.channel_id !== who.channelId || slot.status !== 'open') throw notFound('予約枠');
  if (input.seats > slot.max_seats_per_booking)
    throw badRequest('BOOKING_TOO_MANY_SEATS', `1回の予約は${slot.max_seats_per_booking}人までです`, [
      { path: 'seats', message: `1回の予約は${slot.max_seats_per_booking}人までです` },
    ]);
  if (slot.cancelled_at || slot.starts_at <= now)
    throw conflict('BOOKING_SLOT_CANCELLED', 'この予約枠は受け付けていません');
  const form = await loadFormAt(deps.db, slot.form_id, slot.form_updated_at);
  const { answers, problems } = applyAnswers(form, null, input.answers, now);
  if (problems.length > 0) throw answerProblems(problems);
  await joinWaitlistRow(deps.db, {
    slotId,
    friendId: friend.id,
    seats: input.seats,
    ...sealedAnswers(deps.cipher, form, answers),
  });
}

// ---------------------------------------------------------------------------------------------
// Staff

type BookingRow = Awaited<ReturnType<ReturnType<typeof bookingRows>['execute']>>[number];

const bookingViewOf = (cipher: Cipher, form: FormView, r: BookingRow): BookingView<Date> => ({
  id: r.id,
  calendarId: r.calendar_id,
  slot: { id: r.slot_id, startsAt: r.starts_at, endsAt: r.ends_at },
  friend: r.display_name,
  seats: r.seats,
  status: r.status,
  answers: answersOf(form, storedAnswers(cipher, r), { includeRetired: true }),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  reminderSentAt: r.reminder_sent_at,
});

/** The list's and the export's filters (the API's query; times ISO 8601). */
export interface BookingQuery {
  calendarId: string;
  slotId?: string | undefined;
  status?: BookingStatus | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const filterOf = (q: BookingQuery): BookingFilter => ({
  calendarId: q.calendarId,
  ...(q.slotId ? { slotId: q.slotId } : {}),
  ...(q.status ? { status: q.status } : {}),
  ...(q.from ? { from: new Date(q.from) } : {}),
  ...(q.to ? { to: new Date(q.to) } : {}),
});

const pageKey = (r: { page_starts_at: string; page_created_at: string; id: string }) =>
  encodePageKey([r.page_starts_at, r.page_created_at, r.id]);

function parseCursor(cursor: string | undefined): BookingFilter['after'] {
  if (!cursor) return undefined;
  const parts = decodePageKey(cursor, ['stamp', 'stamp', 'uuid']);
  if (!parts)
    throw badRequest('BOOKING_PAGE_KEY', '続きの指定（cursor）が正しくありません', [
      { path: 'cursor', message: '続きの指定（cursor）が正しくありません' },
    ]);
  return { startsAt: parts[0]!, createdAt: parts[1]!, id: parts[2]! };
}

/**
 * A page of the calendar's bookings (V-05) in slot time order, `limit` at a time: `next` is the
 * cursor of the following page, `total` how many match the filters.
 */
export async function listBookings(
  deps: ReservationDeps,
  q: BookingQuery & { cursor?: string | undefined; limit: number },
): Promise<BookingPage<Date>> {
  const after = parseCursor(q.cursor);
  const calendar = await requireCalendar(deps.db, q.calendarId);
  const filter = filterOf(q);
  const [form, rows, total] = await Promise.all([
    loadForm(deps.db, calendar.form_id),
    bookingRows(deps.db, { ...filter, ...(after ? { after } : {}) })
      .limit(q.limit + 1)
      .execute(),
    countBookings(deps.db, filter),
  ]);
  const page = rows.slice(0, q.limit);
  return {
    total,
    items: page.map((r) => bookingViewOf(deps.cipher, form, r)),
    next: rows.length > q.limit ? pageKey(page.at(-1)!) : null,
  };
}

const EXPORT_PAGE = 2000;

/**
 * The bookings as a table for CSV / xlsx (V-05): one row per booking with its form's answers, every
 * booking the filters match, read page by page (keyset) while the answer is written.
 */
export async function bookingExport(deps: ReservationDeps, q: BookingQuery) {
  const calendar = await requireCalendar(deps.db, q.calendarId);
  const form = await loadForm(deps.db, calendar.form_id);
  const shown = { ...form, items: form.items.filter((i) => i.type !== 'description') };
  const cells = answerFormatter(shown);
  const filter = filterOf(q);
  const total = await countBookings(deps.db, filter);
  async function* pages() {
    let after: BookingFilter['after'];
    for (;;) {
      const rows = await bookingRows(deps.db, { ...filter, ...(after ? { after } : {}) })
        .limit(EXPORT_PAGE)
        .execute();
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = { startsAt: last.page_starts_at, createdAt: last.page_created_at, id: last.id };
      yield rows.map((r) => [
        r.id,
        tokyoDateTime(r.starts_at),
        r.seats,
        BOOKING_STATUS_LABELS[r.status],
        r.display_name ?? '',
        tokyoDateTime(r.created_at),
        ...cells(storedAnswers(deps.cipher, r)),
      ]);
      if (rows.length < EXPORT_PAGE) return;
    }
  }
  return {
    header: [
      '予約ID',
      '日時',
      '人数',
      '状態',
      'LINE の表示名',
      '予約日時',
      ...shown.items.map((i) => i.label),
    ],
    total,
    pages,
  };
}

/** Staff change a booking: its status (来場 / 無断キャンセル / 取消 …), its slot (a move), staff-only items. */
export async function updateBooking(
  deps: ReservationDeps,
  bookingId: string,
  change: { status?: BookingStatus; slotId?: string; staffAnswers?: Answers },
  staffId: string | null,
) {
  let calendarId = '';
  try {
    await deps.db.transaction().execute(async (trx) => {
      const b = await lockBookingRow(trx, bookingId);
      if (!b) throw notFound('予約');
      calendarId = b.calendar_id;
      const tell: messagingApi.Message[] = [];
      if (change.slotId && change.slotId !== b.slot_id) {
        const target = await findSlotRow(trx, change.slotId);
        if (!target || target.calendar_id !== b.calendar_id) throw notFound('移動先の予約枠');
        await moveBookingRow(trx, bookingId, change.slotId);
        await insertBookingChange(trx, {
          bookingId,
          staffId,
          field: 'slot',
          from: b.starts_at.toISOString(),
          to: target.starts_at.toISOString(),
        });
        tell.push(bookingMessage('moved', b.calendar_name, target.starts_at, target.ends_at, b.seats));
        if (b.status === 'booked') await offerFreedSeats(deps, trx, b.slot_id);
      }
      if (change.status && change.status !== b.status) {
        await setBookingStatus(trx, bookingId, change.status);
        await insertBookingChange(trx, {
          bookingId,
          staffId,
          field: 'status',
          from: BOOKING_STATUS_LABELS[b.status],
          to: BOOKING_STATUS_LABELS[change.status],
        });
        if (change.status === 'cancelled') {
          tell.push(bookingMessage('cancelled', b.calendar_name, b.starts_at, b.ends_at, b.seats));
          await offerFreedSeats(deps, trx, change.slotId ?? b.slot_id);
        }
      }
      if (change.staffAnswers && Object.keys(change.staffAnswers).length > 0) {
        const calendar = await requireCalendar(trx, b.calendar_id);
        const form = await loadForm(trx, calendar.form_id);
        const { answers, problems } = applyAnswers(
          form,
          storedAnswers(deps.cipher, b),
          change.staffAnswers,
          new Date(),
          'staff',
        );
        if (problems.length > 0) throw answerProblems(problems);
        await updateBookingAnswers(trx, bookingId, sealedAnswers(deps.cipher, form, answers));
        await insertBookingChange(trx, {
          bookingId,
          staffId,
          field: 'staff_answers',
          from: '',
          to: Object.keys(change.staffAnswers).join(','),
        });
      }
      if (tell.length > 0) {
        await createLineEffects(trx, deps.cipher).push(b.channel_id, b.line_user_id, tell);
        const form = await loadForm(trx, b.form_id);
        for (const m of tell)
          await mailBooking(
            trx,
            bookingId,
            form,
            storedAnswers(deps.cipher, b),
            m as messagingApi.TextMessage,
          );
      }
    });
  } catch (err) {
    throw capacityError(err) ?? err;
  }
  deps.onOutbox();
  deps.onMail();
  const calendar = await requireCalendar(deps.db, calendarId);
  const form = await loadForm(deps.db, calendar.form_id);
  const [row] = await bookingRows(deps.db, { calendarId }).where('b.id', '=', bookingId).execute();
  return bookingViewOf(deps.cipher, form, row!);
}

/** A manual reminder to every friend booked in the slot (V-06). Answers how many were sent. */
export async function remindSlot(deps: ReservationDeps, slotId: string, text: string) {
  const slot = await findSlotRow(deps.db, slotId);
  if (!slot) throw notFound('予約枠');
  const calendar = await requireCalendar(deps.db, slot.calendar_id);
  const n = await deps.db.transaction().execute(async (trx) => {
    const rows = await bookingRows(trx, { calendarId: slot.calendar_id, slotId, status: 'booked' }).execute();
    for (const b of rows)
      await createLineEffects(trx, deps.cipher).push(slot.channel_id, b.line_user_id, [
        reminderMessage(calendar.name, slot.starts_at, slot.ends_at, b.seats, text),
      ]);
    return rows.length;
  });
  deps.onOutbox();
  return n;
}

/** The automatic reminders that are due (the day before at the calendar's hour); answers how many. */
export async function sendDueReminders(deps: ReservationDeps, now = new Date()) {
  let total = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await dueReminderRows(trx, now, 200);
      for (const r of rows)
        await createLineEffects(trx, deps.cipher).push(r.channel_id, r.line_user_id, [
          reminderMessage(r.name, r.starts_at, r.ends_at, r.seats, null),
        ]);
      await markReminded(
        trx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
    total += n;
    if (n < 200) break;
  }
  if (total > 0) deps.onOutbox();
  return total;
}

export { requireCalendar };
