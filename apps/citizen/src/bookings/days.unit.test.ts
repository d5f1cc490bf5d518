import type { PublicCalendar, PublicSlot } from '@madoguchi/contracts/reservations.ts';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { ja } from '../i18n/ja.ts';
import {
  addDays,
  beforeText,
  calendarsByCategory,
  dayText,
  seatChoices,
  slotState,
  slotsByDay,
  slotText,
  tokyoDate,
} from './days.ts';

// The booking pages' pure parts (V-01 … V-03): slots by Tokyo day, a slot's state, calendars by
// category, the texts of dates and the status labels.

const slot = (id: string, startsAt: string, left = 2, bookable = true): PublicSlot => ({
  id,
  startsAt,
  endsAt: new Date(new Date(startsAt).getTime() + 3600_000).toISOString(),
  left,
  bookable,
});

describe('booking days', () => {
  it('groups slots by their Tokyo date, in time order (a 00:30 Tokyo slot is on its own day)', () => {
    const days = slotsByDay([
      slot('c', '2027-04-15T05:00:00.000Z'),
      slot('a', '2027-04-14T01:00:00.000Z'),
      slot('d', '2027-04-14T15:30:00.000Z'), // 00:30 on the 15th in Tokyo
      slot('b', '2027-04-14T05:00:00.000Z'),
    ]);
    expect(days.map((d) => [d.date, d.slots.map((s) => s.id)])).toEqual([
      ['2027-04-14', ['a', 'b']],
      ['2027-04-15', ['d', 'c']],
    ]);
    expect(slotsByDay([])).toEqual([]);
  });

  it('a slot is open with seats left, full (満席) with none, closed (受付終了) when no longer bookable', () => {
    expect(slotState({ left: 2, bookable: true })).toBe('open');
    expect(slotState({ left: 0, bookable: true })).toBe('full');
    expect(slotState({ left: 3, bookable: false })).toBe('closed');
    expect(slotState({ left: 0, bookable: false })).toBe('closed');
    expect(ja['booking.slot.left'].replace('{n}', '2')).toBe('残り 2 席');
    expect(ja['booking.slot.full']).toBe('満席');
    expect(ja['booking.slot.closed']).toBe('受付終了');
  });

  it('Tokyo dates, day arithmetic across months and the texts of a day and a slot', () => {
    expect(tokyoDate('2027-04-14T14:59:00.000Z')).toBe('2027-04-14');
    expect(tokyoDate('2027-04-14T15:00:00.000Z')).toBe('2027-04-15');
    expect(addDays('2027-01-31', 1)).toBe('2027-02-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(dayText('2027-04-14', 'ja')).toBe('4月14日(水)');
    expect(dayText('2027-04-14', 'en')).toBe('Wed 14 April');
    const s = { startsAt: '2027-04-14T01:00:00.000Z', endsAt: '2027-04-14T02:30:00.000Z' };
    expect(slotText(s, 'ja')).toBe('2027年4月14日(水) 10:00〜11:30');
    expect(slotText(s, 'en')).toBe('Wed 14 April 2027, 10:00–11:30');
  });

  it('groups calendars by category in the order they first appear; seats 1 … max', () => {
    const cal = (id: string, category: string) => ({ id, category }) as PublicCalendar;
    const groups = calendarsByCategory([cal('1', '講座'), cal('2', '施設'), cal('3', '講座')]);
    expect(groups.map((g) => [g.category, g.calendars.map((c) => c.id)])).toEqual([
      ['講座', ['1', '3']],
      ['施設', ['2']],
    ]);
    expect(seatChoices(3)).toEqual([1, 2, 3]);
    expect(seatChoices(0)).toEqual([1]);
  });

  it('status labels: the contract’s in Japanese, and every one in English', () => {
    expect([ja['booking.status.booked'], ja['booking.status.cancelled']]).toEqual(['予約済', '取消']);
    expect(ja['booking.status.no_show']).toBe('無断キャンセル');
    expect(en['booking.status.attended']).toBe('Attended');
  });
});

describe('cutoffs as people say them (V-01)', () => {
  it('V-01: whole days, else whole hours, else minutes', () => {
    expect(beforeText(1440)).toBe('1日前');
    expect(beforeText(2880)).toBe('2日前');
    expect(beforeText(180)).toBe('3時間前');
    expect(beforeText(90)).toBe('90分前');
    expect(beforeText(60, 'en')).toBe('1 hour before');
    expect(beforeText(4320, 'en')).toBe('3 days before');
  });
});
