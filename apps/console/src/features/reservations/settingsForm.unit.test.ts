import { describe, expect, it } from 'vitest';
import { cutoffOf, type SettingsForm, settingsRequest } from './settingsForm.ts';

const FORM: SettingsForm = {
  category: ' 施設予約 ',
  name: ' 市民体育館 ',
  description: '',
  templates: [{ weekday: '1', start: '09:00', end: '10:00', capacity: '4' }],
  openOnHolidays: false,
  closedDates: ['2026-12-24'],
  openedDates: [],
  bookingCutoff: '2',
  bookingCutoffUnit: 'hours',
  cancelCutoff: '1',
  cancelCutoffUnit: 'days',
  perPersonLimit: '',
  maxSeatsPerBooking: '4',
  reminderHour: '',
};

describe('settingsRequest', () => {
  it('stores the cutoffs as minutes, an empty limit and reminder as null', () => {
    const result = settingsRequest(FORM);
    expect(result).toEqual({
      settings: {
        category: '施設予約',
        name: '市民体育館',
        description: '',
        templates: [{ weekday: 1, start: '09:00', end: '10:00', capacity: 4 }],
        openOnHolidays: false,
        closedDates: ['2026-12-24'],
        openedDates: [],
        bookingCutoffMinutes: 120,
        cancelCutoffMinutes: 1440,
        perPersonLimit: null,
        maxSeatsPerBooking: 4,
        reminderHour: null,
      },
    });
  });

  it('names the template fields to fix as the server does (templates.<i>.<field>)', () => {
    const result = settingsRequest({
      ...FORM,
      templates: [{ weekday: '2', start: '10:00', end: '09:30', capacity: '0' }],
      perPersonLimit: '0',
      bookingCutoff: '-1',
    });
    expect(result).toEqual({
      errors: {
        'templates.0.end': 'reservations.err.endBeforeStart',
        'templates.0.capacity': 'reservations.err.capacity',
        bookingCutoffMinutes: 'reservations.err.cutoff',
        perPersonLimit: 'reservations.err.perPersonLimit',
      },
    });
  });
});

describe('cutoffOf', () => {
  it('shows whole days as days, anything else as hours', () => {
    expect(cutoffOf(2880)).toEqual({ value: '2', unit: 'days' });
    expect(cutoffOf(90)).toEqual({ value: '1.5', unit: 'hours' });
    expect(cutoffOf(0)).toEqual({ value: '0', unit: 'hours' });
  });
});
