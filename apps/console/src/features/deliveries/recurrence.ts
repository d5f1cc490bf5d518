import type { TFunction } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import type { MonthlyRule, Recurrence, Weekday } from './api.ts';
import { isDate, isTime } from './time.ts';

/** The 繰り返し part of the composer, as the form keeps it (strings as the inputs give them). */
export type RecurrenceForm = {
  kind: 'weekly' | 'monthly';
  weekdays: Weekday[];
  monthlyType: MonthlyRule['type'];
  dates: number[];
  /** '1' … '5', '-1' = 最終 */
  nth: string;
  /** '0' (日) … '6' (土) */
  nthWeekday: string;
  time: string;
  from: string;
  until: string;
  except: string[];
};

export const WEEKDAYS: Weekday[] = [0, 1, 2, 3, 4, 5, 6];
export const NTH_VALUES = ['1', '2', '3', '4', '5', '-1'] as const;

export function emptyRecurrenceForm(today: string, time = '09:00'): RecurrenceForm {
  return {
    kind: 'weekly',
    weekdays: [],
    monthlyType: 'dates',
    dates: [],
    nth: '1',
    nthWeekday: '1',
    time,
    from: today,
    until: '',
    except: [],
  };
}

export type RecurrenceErrors = Partial<Record<'weekdays' | 'dates' | 'time' | 'from' | 'until', MessageKey>>;

/** The contract's Recurrence from the form, or the errors (message keys) per field. */
export function recurrenceFromForm(
  form: RecurrenceForm,
): { ok: true; value: Recurrence } | { ok: false; errors: RecurrenceErrors } {
  const errors: RecurrenceErrors = {};
  if (form.kind === 'weekly' && form.weekdays.length === 0) errors.weekdays = 'rec.errWeekdays';
  if (form.kind === 'monthly' && form.monthlyType === 'dates' && form.dates.length === 0)
    errors.dates = 'rec.errDates';
  if (!isTime(form.time)) errors.time = 'rec.errTime';
  if (!isDate(form.from)) errors.from = 'rec.errFrom';
  if (form.until && !isDate(form.until)) errors.until = 'rec.errUntil';
  else if (form.until && isDate(form.from) && form.until < form.from) errors.until = 'rec.errUntilOrder';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const common = {
    time: form.time,
    from: form.from,
    ...(form.until ? { until: form.until } : {}),
    ...(form.except.length > 0 ? { except: [...new Set(form.except)].filter(isDate).sort() } : {}),
  };
  if (form.kind === 'weekly') {
    return { ok: true, value: { kind: 'weekly', weekdays: [...new Set(form.weekdays)].sort(), ...common } };
  }
  let rule: MonthlyRule;
  if (form.monthlyType === 'dates')
    rule = { type: 'dates', dates: [...new Set(form.dates)].sort((a, b) => a - b) };
  else if (form.monthlyType === 'nthWeekday')
    rule = {
      type: 'nthWeekday',
      nth: Number(form.nth) as 1 | 2 | 3 | 4 | 5 | -1,
      weekday: Number(form.nthWeekday) as Weekday,
    };
  else rule = { type: 'monthEnd' };
  return { ok: true, value: { kind: 'monthly', rule, ...common } };
}

/** A saved Recurrence back into the form (editing a recurring delivery). */
export function recurrenceToForm(rec: Recurrence, today: string): RecurrenceForm {
  const form = emptyRecurrenceForm(today, rec.time);
  form.kind = rec.kind;
  form.from = rec.from;
  form.until = rec.until ?? '';
  form.except = rec.except ?? [];
  if (rec.kind === 'weekly') form.weekdays = [...rec.weekdays] as Weekday[];
  else {
    form.monthlyType = rec.rule.type;
    if (rec.rule.type === 'dates') form.dates = [...rec.rule.dates];
    if (rec.rule.type === 'nthWeekday') {
      form.nth = String(rec.rule.nth);
      form.nthWeekday = String(rec.rule.weekday);
    }
  }
  return form;
}

const WEEKDAY_KEYS: MessageKey[] = [
  'deliveries.wd.0',
  'deliveries.wd.1',
  'deliveries.wd.2',
  'deliveries.wd.3',
  'deliveries.wd.4',
  'deliveries.wd.5',
  'deliveries.wd.6',
];

export function weekdayName(t: TFunction, weekday: number): string {
  return t(WEEKDAY_KEYS[weekday] ?? 'deliveries.wd.0');
}

export function nthName(t: TFunction, nth: number): string {
  return nth === -1 ? t('rec.nthLast') : t('rec.nth', { n: nth });
}

/** 「毎週 月・水 9:00」, 「毎月 第2火曜日 9:00」… with the period. */
export function describeRecurrence(t: TFunction, rec: Recurrence): string {
  const sep = t('rec.daySeparator');
  let rule: string;
  if (rec.kind === 'weekly') {
    rule = t('rec.weeklyText', { days: rec.weekdays.map((w) => weekdayName(t, w)).join(sep) });
  } else if (rec.rule.type === 'dates') {
    rule = t('rec.datesText', {
      dates: rec.rule.dates.map((d) => t('rec.dateN', { n: d })).join(sep),
    });
  } else if (rec.rule.type === 'nthWeekday') {
    rule = t('rec.nthText', {
      nth: nthName(t, rec.rule.nth),
      weekday: weekdayName(t, rec.rule.weekday),
    });
  } else {
    rule = t('rec.monthEndText');
  }
  const from = rec.from.replaceAll('-', '/');
  const period = rec.until
    ? t('rec.period', { from, until: rec.until.replaceAll('-', '/') })
    : t('rec.periodOpen', { from });
  return `${rule} ${rec.time}${period}`;
}
