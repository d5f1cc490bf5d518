import type { Answers } from '@madoguchi/contracts/forms.ts';
import type {
  BookingPage,
  BookingStatus,
  BookingView,
  CalendarView,
  SlotTemplate,
  SlotView,
} from '@madoguchi/contracts/reservations.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/booking-calendars, /api/booking-slots and /api/bookings (V-01 … V-06),
// as packages/contracts/src/reservations.ts lists them. The booking form's items are edited through
// features/forms (formsApi) with view.form.id.

export type { BookingPage, BookingStatus, BookingView, CalendarView, SlotTemplate, SlotView };

/** What the settings form of a calendar saves (PATCH); the create dialog sends the first three. */
export type CalendarSettings = {
  category: string;
  name: string;
  description: string;
  templates: SlotTemplate[];
  openOnHolidays: boolean;
  closedDates: string[];
  openedDates: string[];
  bookingCutoffMinutes: number;
  cancelCutoffMinutes: number;
  perPersonLimit: number | null;
  maxSeatsPerBooking: number;
  reminderHour: number | null;
};

export type CalendarCreate = Pick<CalendarSettings, 'category' | 'name' | 'description'> & {
  channelId: string;
};

/** The filters of the bookings list (and of its CSV / Excel export). */
export type BookingFilter = {
  slotId?: string | undefined;
  status?: BookingStatus | undefined;
  /** ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
};

export type BookingUpdate = { status?: BookingStatus; slotId?: string; staffAnswers?: Answers };

const calendar = (id: string) => `/api/booking-calendars/${encodeURIComponent(id)}`;
const slot = (id: string) => `/api/booking-slots/${encodeURIComponent(id)}`;

export const calendarsPath = (channelId: string) => `/api/booking-calendars${query({ channelId })}`;
export const calendarPath = calendar;
/** Slots of `days` Tokyo days from `from` (YYYY-MM-DD). */
export const slotsPath = (calendarId: string, from: string, days: number) =>
  `${calendar(calendarId)}/slots${query({ from, days })}`;
/** A page of the bookings list; `cursor` is the `next` of the page before (none: the first page). */
export const bookingsPath = (calendarId: string, filter: BookingFilter, cursor?: string | null) =>
  `/api/bookings${query({ calendarId, ...filter, cursor: cursor ?? undefined })}`;
export const bookingsExportHref = (calendarId: string, filter: BookingFilter, format: 'csv' | 'xlsx') =>
  `/api/bookings.${format}${query({ calendarId, ...filter })}`;

export const reservationsApi = {
  create: (body: CalendarCreate) => api.post<CalendarView>('/api/booking-calendars', body),
  update: (id: string, body: Partial<CalendarSettings>) => api.patch<CalendarView>(calendar(id), body),
  open: (id: string) => api.post<CalendarView>(`${calendar(id)}/open`),
  close: (id: string) => api.post<CalendarView>(`${calendar(id)}/close`),
  updateSlot: (id: string, body: { capacity?: number; cancelled?: boolean }) =>
    api.patch<void>(slot(id), body),
  remind: (id: string, text: string) => api.post<{ sent: number }>(`${slot(id)}/remind`, { text }),
  bookings: (calendarId: string, filter: BookingFilter, cursor?: string | null, signal?: AbortSignal) =>
    api.get<BookingPage>(bookingsPath(calendarId, filter, cursor), signal ? { signal } : undefined),
  updateBooking: (id: string, body: BookingUpdate) =>
    api.patch<BookingView>(`/api/bookings/${encodeURIComponent(id)}`, body),
};
