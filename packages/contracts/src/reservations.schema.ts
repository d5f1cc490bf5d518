import { z } from 'zod';
import { answersSchema } from './forms.schema.ts';
import { BOOKING_STATUSES, RESERVATION_LIMITS } from './reservations.ts';
import { displayText, plainText } from './text.ts';

// The request schemas of reservations (/api/booking-calendars, /api/bookings, /api/citizen/…); the
// types: reservations.ts.

const id = z.uuid('ID の形式が正しくありません');
const day = z.iso.date('日付は YYYY-MM-DD で指定してください');
const at = z.iso.datetime({ offset: true, message: '日時は ISO 8601 で指定してください' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '時刻は HH:MM（24時間）で指定してください');
const minutes = z.number().int().min(0).max(RESERVATION_LIMITS.cutoffMinutes);

export const slotTemplateSchema = z
  .strictObject({
    weekday: z.number().int().min(0).max(6),
    start: hhmm,
    end: hhmm,
    capacity: z.number().int().min(1).max(RESERVATION_LIMITS.capacity),
  })
  .refine((t) => t.start < t.end, { message: '終了時刻は開始時刻より後にしてください', path: ['end'] });

const calendarFields = {
  category: displayText(50),
  name: displayText(RESERVATION_LIMITS.name),
  description: plainText(RESERVATION_LIMITS.description),
  templates: z.array(slotTemplateSchema).max(RESERVATION_LIMITS.templates),
  openOnHolidays: z.boolean(),
  closedDates: z.array(day).max(366),
  openedDates: z.array(day).max(366),
  bookingCutoffMinutes: minutes,
  cancelCutoffMinutes: minutes,
  perPersonLimit: z.number().int().min(1).max(100).nullable(),
  maxSeatsPerBooking: z.number().int().min(1).max(RESERVATION_LIMITS.seats),
  reminderHour: z.number().int().min(0).max(23).nullable(),
};

export const calendarCreateSchema = z.strictObject({
  channelId: id,
  category: calendarFields.category,
  name: calendarFields.name,
  description: calendarFields.description.default(''),
  templates: calendarFields.templates.default([]),
  openOnHolidays: calendarFields.openOnHolidays.default(false),
  closedDates: calendarFields.closedDates.default([]),
  openedDates: calendarFields.openedDates.default([]),
  bookingCutoffMinutes: calendarFields.bookingCutoffMinutes.default(0),
  cancelCutoffMinutes: calendarFields.cancelCutoffMinutes.default(0),
  perPersonLimit: calendarFields.perPersonLimit.default(null),
  maxSeatsPerBooking: calendarFields.maxSeatsPerBooking.default(1),
  reminderHour: calendarFields.reminderHour.default(18),
});
export type CalendarCreate = z.infer<typeof calendarCreateSchema>;

export const calendarUpdateSchema = z
  .strictObject({
    category: calendarFields.category.optional(),
    name: calendarFields.name.optional(),
    description: calendarFields.description.optional(),
    templates: calendarFields.templates.optional(),
    openOnHolidays: calendarFields.openOnHolidays.optional(),
    closedDates: calendarFields.closedDates.optional(),
    openedDates: calendarFields.openedDates.optional(),
    bookingCutoffMinutes: calendarFields.bookingCutoffMinutes.optional(),
    cancelCutoffMinutes: calendarFields.cancelCutoffMinutes.optional(),
    perPersonLimit: calendarFields.perPersonLimit.optional(),
    maxSeatsPerBooking: calendarFields.maxSeatsPerBooking.optional(),
    reminderHour: calendarFields.reminderHour.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');
export type CalendarUpdate = z.infer<typeof calendarUpdateSchema>;

export const calendarParams = z.object({ calendarId: id });
export const slotParams = z.object({ slotId: id });
export const bookingParams = z.object({ bookingId: id });
export const channelQuery = z.object({ channelId: id });

/** Slots from `from` for `days` days (Tokyo dates). */
export const slotRangeQuery = z.object({
  from: day,
  days: z.coerce.number().int().min(1).max(RESERVATION_LIMITS.slotDays).default(14),
});

export const slotUpdateSchema = z
  .strictObject({
    capacity: z.number().int().min(0).max(RESERVATION_LIMITS.capacity).optional(),
    cancelled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');

/** The bookings of a calendar for the CSV / Excel export: the list's filters, every row. */
export const bookingExportQuery = z.object({
  calendarId: id,
  slotId: id.optional(),
  status: z.enum(BOOKING_STATUSES, '予約の状態が正しくありません').optional(),
  from: at.optional(),
  to: at.optional(),
});

/** The staff list: the filters, in slot time order, `cursor` = the `next` of the previous page. */
export const bookingListQuery = bookingExportQuery.extend({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(RESERVATION_LIMITS.page).default(100),
});

export const bookingUpdateSchema = z
  .strictObject({
    status: z.enum(BOOKING_STATUSES, '予約の状態が正しくありません').optional(),
    /** Move the booking to another slot of the same calendar. */
    slotId: id.optional(),
    staffAnswers: answersSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');

export const remindSchema = z.strictObject({ text: displayText(1000) });

/** A citizen books seats in a slot; `requestKey` makes a retried tap book once. */
export const bookingCreateSchema = z.strictObject({
  slotId: id,
  seats: z.number().int().min(1).max(RESERVATION_LIMITS.seats).default(1),
  answers: answersSchema.default({}),
  requestKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '送信キーの形式が正しくありません'),
});

/** A citizen joins a full slot's waiting list with the booking form's answers (carried onto the booking). */
export const waitlistSchema = z.strictObject({
  seats: z.number().int().min(1).max(RESERVATION_LIMITS.seats).default(1),
  answers: answersSchema.default({}),
});
