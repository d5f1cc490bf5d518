import type { Answers } from '@madoguchi/contracts/forms.ts';
import type {
  BookingAccepted,
  MyBooking,
  PublicCalendar,
  PublicSlot,
} from '@madoguchi/contracts/reservations.ts';
import { request } from '../api/client.ts';

// Booking calendars as the citizen sees them (V-01 … V-06); the server knows the friend from the LIFF
// session. A requestKey makes a retried booking count once.

export type { BookingAccepted, MyBooking, PublicCalendar, PublicSlot };

const calendarPath = (calendarId: string) =>
  `/api/citizen/booking-calendars/${encodeURIComponent(calendarId)}`;

export const bookingsApi = {
  calendars: () => request<PublicCalendar[]>('GET', '/api/citizen/booking-calendars'),
  calendar: (calendarId: string) => request<PublicCalendar>('GET', calendarPath(calendarId)),
  slots: (calendarId: string, from: string, days: number) =>
    request<PublicSlot[]>(
      'GET',
      `${calendarPath(calendarId)}/slots?${new URLSearchParams({ from, days: String(days) })}`,
    ),
  book: (body: { slotId: string; seats: number; answers: Answers; requestKey: string }) =>
    request<BookingAccepted>('POST', '/api/citizen/bookings', body),
  mine: () => request<MyBooking[]>('GET', '/api/citizen/bookings'),
  cancel: (bookingId: string) =>
    request<void>('POST', `/api/citizen/bookings/${encodeURIComponent(bookingId)}/cancel`),
  /** The waiting list, with the booking form's answers (the booking a freed seat makes has them). */
  waitlist: (slotId: string, body: { seats: number; answers: Answers }) =>
    request<void>('POST', `/api/citizen/booking-slots/${encodeURIComponent(slotId)}/waitlist`, body),
};
