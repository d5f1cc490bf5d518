import type { BookingStatus, CalendarStatus } from '@madoguchi/contracts/reservations.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { isoToJst } from '../deliveries/time.ts';

// Labels, tones and paths shared by the reservation pages.

export const CALENDAR_TONE: Record<CalendarStatus, BadgeTone> = {
  draft: 'neutral',
  open: 'success',
  closed: 'info',
};

export const BOOKING_TONE: Record<BookingStatus, BadgeTone> = {
  booked: 'info',
  attended: 'success',
  no_show: 'danger',
  cancelled: 'neutral',
};

export const calendarStatusLabel = (t: TFunction, status: CalendarStatus) =>
  t(`reservations.status.${status}` as MessageKey);
export const bookingStatusLabel = (t: TFunction, status: BookingStatus) =>
  t(`reservations.booking.${status}` as MessageKey);
/** 日 … 土 (0 = Sunday). */
export const weekdayLabel = (t: TFunction, weekday: number) =>
  t(`reservations.weekday.${weekday}` as MessageKey);

/** `2026/12/01（火）` of a Tokyo date `YYYY-MM-DD`. */
export function dayText(t: TFunction, date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return t('reservations.dayText', { date: date.replaceAll('-', '/'), weekday: weekdayLabel(t, weekday) });
}

/** `09:00〜09:30` (Tokyo) of a slot. */
export function slotTimeText(t: TFunction, slot: { startsAt: string; endsAt: string }): string {
  return t('reservations.timeRange', {
    from: isoToJst(slot.startsAt)?.time ?? '',
    to: isoToJst(slot.endsAt)?.time ?? '',
  });
}

/** `2026/12/01（火） 09:00〜09:30` of a slot. */
export function slotText(t: TFunction, slot: { startsAt: string; endsAt: string }): string {
  const date = isoToJst(slot.startsAt)?.date;
  return date ? `${dayText(t, date)} ${slotTimeText(t, slot)}` : slotTimeText(t, slot);
}

export const calendarsListPath = '/reservations';
export const editorPath = (id: string) => `/reservations/${encodeURIComponent(id)}`;
export const slotsPagePath = (id: string) => `/reservations/${encodeURIComponent(id)}/slots`;
export const bookingsPagePath = (id: string) => `/reservations/${encodeURIComponent(id)}/bookings`;
