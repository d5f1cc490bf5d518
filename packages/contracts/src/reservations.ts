// Reservations (V-01 … V-06): booking calendars per facility or event, their time slots and
// capacities, bookings with a booking form on the one form engine (forms.ts, purpose 'booking'),
// statuses, reminders and a waiting list. The zod schemas are in reservations.schema.ts.

import type { Answers, FormView, PublicForm } from './forms.ts';

export const CALENDAR_STATUSES = ['draft', 'open', 'closed'] as const;
export type CalendarStatus = (typeof CALENDAR_STATUSES)[number];

/** 予約済 / 来場 / 無断キャンセル / 取消. */
export const BOOKING_STATUSES = ['booked', 'attended', 'no_show', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  booked: '予約済',
  attended: '来場',
  no_show: '無断キャンセル',
  cancelled: '取消',
};

export const RESERVATION_LIMITS = {
  name: 100,
  description: 2000,
  /** Seats one booking may take (a family of 4, …). */
  seats: 20,
  capacity: 10_000,
  templates: 200,
  /** Slots listed at once. */
  slotDays: 92,
  cutoffMinutes: 60 * 24 * 90,
  /** Bookings per page of the staff list (at most; default 100). */
  page: 500,
} as const;

/** A weekly slot: weekday (0 = Sunday … 6 = Saturday), start and end (HH:MM, Tokyo), seats. */
export interface SlotTemplate {
  weekday: number;
  start: string;
  end: string;
  capacity: number;
}

export interface CalendarView<Time = string> {
  id: string;
  channelId: string;
  category: string;
  name: string;
  description: string;
  status: CalendarStatus;
  templates: SlotTemplate[];
  /** Japanese holidays and 年末年始 (12/29–1/3) have no slots unless this is true. */
  openOnHolidays: boolean;
  /** Dates (YYYY-MM-DD) closed / opened against the weekly templates and holidays. */
  closedDates: string[];
  openedDates: string[];
  /** Booking closes this many minutes before a slot starts; cancelling by the citizen likewise. */
  bookingCutoffMinutes: number;
  cancelCutoffMinutes: number;
  /** Active (booked, upcoming) bookings one person may hold in this calendar; null: no limit. */
  perPersonLimit: number | null;
  maxSeatsPerBooking: number;
  /** The reminder the day before a slot, at this hour (Tokyo); null: none. */
  reminderHour: number | null;
  /** The booking form (its items are designed with /api/forms/:formId/…). */
  form: FormView<Time>;
  /** https://liff.line.me/<liffId>?page=booking&id=<id> (null while the channel has no LIFF ID). */
  link: string | null;
  updatedAt: Time;
}

export interface SlotView<Time = string> {
  id: string;
  startsAt: Time;
  endsAt: Time;
  capacity: number;
  /** Seats taken by bookings that hold them (booked, attended, no-show). */
  taken: number;
  waiting: number;
  cancelled: boolean;
}

export interface BookingView<Time = string> {
  id: string;
  calendarId: string;
  slot: { id: string; startsAt: Time; endsAt: Time };
  /** The friend's LINE display name. */
  friend: string | null;
  seats: number;
  status: BookingStatus;
  answers: Answers;
  createdAt: Time;
  updatedAt: Time;
  reminderSentAt: Time | null;
}

/** A page of the staff booking list, in slot time order (then booking time, then ID). */
export interface BookingPage<Time = string> {
  /** Bookings matching the filters, on every page. */
  total: number;
  items: BookingView<Time>[];
  /** Pass as `cursor` for the next page (null: no more). */
  next: string | null;
}

// ---- Citizens ----

export interface PublicCalendar {
  id: string;
  category: string;
  name: string;
  description: string;
  maxSeatsPerBooking: number;
  bookingCutoffMinutes: number;
  cancelCutoffMinutes: number;
  form: PublicForm;
}

export interface PublicSlot<Time = string> {
  id: string;
  startsAt: Time;
  endsAt: Time;
  /** Seats left; 0: full (満席), a waiting list may be joined. */
  left: number;
  /** Still bookable (before the booking cutoff, not cancelled). */
  bookable: boolean;
}

export interface MyBooking<Time = string> {
  id: string;
  calendar: { id: string; name: string };
  startsAt: Time;
  endsAt: Time;
  seats: number;
  status: BookingStatus;
  /** Still cancellable by the citizen (before the cancellation cutoff). */
  cancellable: boolean;
}

export interface BookingAccepted<Time = string> {
  bookingId: string;
  startsAt: Time;
  /** true when the same request key was already accepted (a retried tap): nothing was added. */
  repeated: boolean;
}
