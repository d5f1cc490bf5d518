import { describe, expect, it } from 'vitest';
import { receptionEnd } from '../modules/consultation/desk-hours.ts';
import { RestoreInputError, resolveTarget } from './restore.ts';

// `madoguchi restore --to` (C-14): an ISO time with its offset, or the end of yesterday's reception hours.

describe('restore target time (C-14)', () => {
  it('C-14: takes an ISO time only with an offset', async () => {
    expect((await resolveTarget('2026-12-03T21:00:00+09:00', {})).target.toISOString()).toBe(
      '2026-12-03T12:00:00.000Z',
    );
    expect((await resolveTarget('2026-12-03T12:00:00.250Z', {})).target.toISOString()).toBe(
      '2026-12-03T12:00:00.250Z',
    );
    await expect(resolveTarget('2026-12-03T21:00:00', {})).rejects.toBeInstanceOf(RestoreInputError);
    await expect(resolveTarget('2026-13-45T21:00:00Z', {})).rejects.toThrow(/not a valid time/);
    await expect(resolveTarget('yesterday', {})).rejects.toThrow(/end-of-yesterday/);
  });

  it('C-14: end-of-yesterday is yesterday in Asia/Tokyo at --hours-end (21:00 by default) when no desk hours are read', async () => {
    // 2026-12-04 00:30 in Tokyo is 2026-12-03 15:30 UTC: yesterday there is 2026-12-03
    const now = new Date('2026-12-03T15:30:00Z');
    expect((await resolveTarget('end-of-yesterday', { now })).target.toISOString()).toBe(
      '2026-12-03T12:00:00.000Z',
    );
    const r = await resolveTarget('end-of-yesterday', { now, hoursEnd: '17:15' });
    expect(r.target.toISOString()).toBe('2026-12-03T08:15:00.000Z');
    expect(r.source).toContain('--hours-end 17:15 of 2026-12-03');
    await expect(resolveTarget('end-of-yesterday', { now, hoursEnd: '9pm' })).rejects.toThrow(/--hours-end/);
    await expect(resolveTarget('end-of-yesterday', { now, hoursEnd: '24:30' })).rejects.toThrow(
      /--hours-end/,
    );
  });

  it('C-14: the desks’ latest closing of the weekday is the end of that day’s reception hours', () => {
    // 2026-12-02 is a Wednesday (3)
    const a = {
      '3': [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    };
    const b = { '3': [{ start: '18:00', end: '22:30' }], '4': [{ start: '00:00', end: '24:00' }] };
    expect(receptionEnd([a, b], '2026-12-02')?.toISOString()).toBe('2026-12-02T13:30:00.000Z');
    expect(receptionEnd([a], '2026-12-02')?.toISOString()).toBe('2026-12-02T08:00:00.000Z');
    expect(receptionEnd([b], '2026-12-03')?.toISOString()).toBe('2026-12-03T15:00:00.000Z');
    expect(receptionEnd([a], '2026-12-03')).toBeNull();
  });
});
