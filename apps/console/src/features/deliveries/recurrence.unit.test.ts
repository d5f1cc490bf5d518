import { describe, expect, it } from 'vitest';
import type { Recurrence } from './api.ts';
import {
  describeRecurrence,
  emptyRecurrenceForm,
  recurrenceFromForm,
  recurrenceToForm,
} from './recurrence.ts';
import { deliveriesJa } from './strings.ts';

const t = (key: string, vars?: Record<string, string | number>) =>
  ((deliveriesJa as Record<string, string>)[key] ?? key).replace(/\{(\w+)\}/g, (_, n: string) =>
    String(vars?.[n]),
  );

const base = emptyRecurrenceForm('2026-11-01', '09:00');

describe('G-08 recurrence form → contract object', () => {
  it('weekly: sorted, distinct weekdays with the period and excluded days', () => {
    const r = recurrenceFromForm({
      ...base,
      weekdays: [3, 1, 3],
      until: '2027-03-31',
      except: ['2026-12-30', '2026-12-28', '2026-12-30'],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'weekly',
        weekdays: [1, 3],
        time: '09:00',
        from: '2026-11-01',
        until: '2027-03-31',
        except: ['2026-12-28', '2026-12-30'],
      },
    });
  });

  it('monthly: dates, n-th weekday (last = -1) and month end', () => {
    const monthly = { ...base, kind: 'monthly' as const };
    expect(recurrenceFromForm({ ...monthly, dates: [31, 1, 15] })).toMatchObject({
      ok: true,
      value: { kind: 'monthly', rule: { type: 'dates', dates: [1, 15, 31] } },
    });
    expect(
      recurrenceFromForm({ ...monthly, monthlyType: 'nthWeekday', nth: '-1', nthWeekday: '5' }),
    ).toMatchObject({ ok: true, value: { rule: { type: 'nthWeekday', nth: -1, weekday: 5 } } });
    const end = recurrenceFromForm({ ...monthly, monthlyType: 'monthEnd' });
    expect(end).toMatchObject({ ok: true, value: { rule: { type: 'monthEnd' } } });
    expect(end.ok && 'until' in end.value).toBe(false);
  });

  it('reports missing weekdays / dates, a bad time and an end before the start', () => {
    expect(recurrenceFromForm(base)).toEqual({ ok: false, errors: { weekdays: 'rec.errWeekdays' } });
    expect(recurrenceFromForm({ ...base, kind: 'monthly' })).toEqual({
      ok: false,
      errors: { dates: 'rec.errDates' },
    });
    expect(recurrenceFromForm({ ...base, weekdays: [1], time: '', until: '2026-10-01' })).toEqual({
      ok: false,
      errors: { time: 'rec.errTime', until: 'rec.errUntilOrder' },
    });
  });

  it('round-trips through the form', () => {
    const rec: Recurrence = {
      kind: 'monthly',
      rule: { type: 'nthWeekday', nth: 2, weekday: 2 },
      time: '18:30',
      from: '2026-12-01',
      except: ['2027-01-12'],
    };
    expect(recurrenceFromForm(recurrenceToForm(rec, '2026-11-01'))).toEqual({ ok: true, value: rec });
  });
});

describe('G-08 recurrence summary (the occurrences come from the server)', () => {
  it('describes the rule in Japanese', () => {
    expect(
      describeRecurrence(t, {
        kind: 'weekly',
        weekdays: [1, 3],
        time: '09:00',
        from: '2026-12-01',
        until: '2027-03-31',
      }),
    ).toBe('毎週 月・水曜日 09:00（2026/12/01から2027/03/31まで）');
    expect(
      describeRecurrence(t, {
        kind: 'monthly',
        rule: { type: 'nthWeekday', nth: 2, weekday: 2 },
        time: '18:30',
        from: '2026-12-01',
      }),
    ).toBe('毎月 第2火曜日 18:30（2026/12/01から）');
  });
});
