import { RESERVATION_LIMITS } from '@madoguchi/contracts/reservations.ts';
import type { MessageKey } from '../../i18n/ja.ts';
import { isDate, isTime } from '../deliveries/time.ts';
import type { CalendarSettings, CalendarView } from './api.ts';

// A calendar's settings as the editor edits them: numbers as the text of their inputs, the cutoffs
// in hours or days (stored as minutes), the reminder hour as '' (none) or 0–23; checked here and
// sent as CalendarSettings (PATCH).

export type CutoffUnit = 'hours' | 'days';
export type TemplateRow = { weekday: string; start: string; end: string; capacity: string };

export type SettingsForm = {
  category: string;
  name: string;
  description: string;
  templates: TemplateRow[];
  openOnHolidays: boolean;
  closedDates: string[];
  openedDates: string[];
  bookingCutoff: string;
  bookingCutoffUnit: CutoffUnit;
  cancelCutoff: string;
  cancelCutoffUnit: CutoffUnit;
  /** '' = no limit. */
  perPersonLimit: string;
  maxSeatsPerBooking: string;
  /** '' = no reminder. */
  reminderHour: string;
};

const MINUTES: Record<CutoffUnit, number> = { hours: 60, days: 60 * 24 };

/** Minutes as the cutoff inputs show them: whole days when they are, else hours. */
export function cutoffOf(minutes: number): { value: string; unit: CutoffUnit } {
  if (minutes > 0 && minutes % MINUTES.days === 0)
    return { value: String(minutes / MINUTES.days), unit: 'days' };
  return { value: String(Math.round((minutes / MINUTES.hours) * 100) / 100), unit: 'hours' };
}

export const EMPTY_TEMPLATE: TemplateRow = { weekday: '1', start: '09:00', end: '10:00', capacity: '1' };

export function settingsOf(view: CalendarView): SettingsForm {
  const booking = cutoffOf(view.bookingCutoffMinutes);
  const cancel = cutoffOf(view.cancelCutoffMinutes);
  return {
    category: view.category,
    name: view.name,
    description: view.description,
    templates: view.templates.map((s) => ({
      weekday: String(s.weekday),
      start: s.start,
      end: s.end,
      capacity: String(s.capacity),
    })),
    openOnHolidays: view.openOnHolidays,
    closedDates: [...view.closedDates].sort(),
    openedDates: [...view.openedDates].sort(),
    bookingCutoff: booking.value,
    bookingCutoffUnit: booking.unit,
    cancelCutoff: cancel.value,
    cancelCutoffUnit: cancel.unit,
    perPersonLimit: view.perPersonLimit === null ? '' : String(view.perPersonLimit),
    maxSeatsPerBooking: String(view.maxSeatsPerBooking),
    reminderHour: view.reminderHour === null ? '' : String(view.reminderHour),
  };
}

/** Message keys per field; template fields are `templates.<index>.<field>` (as the server's paths). */
export type SettingsErrors = Record<string, MessageKey>;

const wholeNumber = (text: string, min: number, max: number): number | null => {
  if (!/^[0-9]+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
};

/** The name, category and description checks shared with the create dialog. */
export function basicErrors(f: Pick<SettingsForm, 'category' | 'name' | 'description'>): SettingsErrors {
  const errors: SettingsErrors = {};
  if (!f.category.trim()) errors.category = 'reservations.err.category';
  else if (f.category.trim().length > 50) errors.category = 'reservations.err.categoryLong';
  if (!f.name.trim()) errors.name = 'reservations.err.name';
  else if (f.name.trim().length > RESERVATION_LIMITS.name) errors.name = 'reservations.err.nameLong';
  if (f.description.trim().length > RESERVATION_LIMITS.description)
    errors.description = 'reservations.err.descriptionLong';
  return errors;
}

/** The request, or the message keys of the fields to fix. */
export function settingsRequest(
  f: SettingsForm,
): { settings: CalendarSettings } | { errors: SettingsErrors } {
  const errors = basicErrors(f);
  if (f.templates.length > RESERVATION_LIMITS.templates) errors.templates = 'reservations.err.templatesMany';
  const templates = f.templates.map((row, i) => {
    const at = `templates.${i}`;
    if (!isTime(row.start)) errors[`${at}.start`] = 'reservations.err.time';
    if (!isTime(row.end)) errors[`${at}.end`] = 'reservations.err.time';
    else if (isTime(row.start) && row.end <= row.start)
      errors[`${at}.end`] = 'reservations.err.endBeforeStart';
    const capacity = wholeNumber(row.capacity, 1, RESERVATION_LIMITS.capacity);
    if (capacity === null) errors[`${at}.capacity`] = 'reservations.err.capacity';
    return { weekday: Number(row.weekday), start: row.start, end: row.end, capacity: capacity ?? 0 };
  });
  const cutoff = (text: string, unit: CutoffUnit, key: string) => {
    const value = text.trim() === '' ? '0' : text.trim();
    const minutes = /^[0-9]+(\.[0-9]+)?$/.test(value)
      ? Math.round(Number(value) * MINUTES[unit])
      : Number.NaN;
    if (!(minutes >= 0 && minutes <= RESERVATION_LIMITS.cutoffMinutes))
      errors[key] = 'reservations.err.cutoff';
    return minutes;
  };
  const bookingCutoffMinutes = cutoff(f.bookingCutoff, f.bookingCutoffUnit, 'bookingCutoffMinutes');
  const cancelCutoffMinutes = cutoff(f.cancelCutoff, f.cancelCutoffUnit, 'cancelCutoffMinutes');
  const perPersonLimit = f.perPersonLimit.trim() === '' ? null : wholeNumber(f.perPersonLimit, 1, 100);
  if (f.perPersonLimit.trim() !== '' && perPersonLimit === null)
    errors.perPersonLimit = 'reservations.err.perPersonLimit';
  const maxSeatsPerBooking = wholeNumber(f.maxSeatsPerBooking, 1, RESERVATION_LIMITS.seats);
  if (maxSeatsPerBooking === null) errors.maxSeatsPerBooking = 'reservations.err.seats';
  if ([...f.closedDates, ...f.openedDates].some((d) => !isDate(d))) errors.dates = 'reservations.err.date';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    settings: {
      category: f.category.trim(),
      name: f.name.trim(),
      description: f.description.trim(),
      templates,
      openOnHolidays: f.openOnHolidays,
      closedDates: f.closedDates,
      openedDates: f.openedDates,
      bookingCutoffMinutes,
      cancelCutoffMinutes,
      perPersonLimit,
      maxSeatsPerBooking: maxSeatsPerBooking ?? 1,
      reminderHour: f.reminderHour === '' ? null : Number(f.reminderHour),
    },
  };
}
