import { describe, expect, it } from 'vitest';
import { ALL_FRIENDS_TREE, EMPTY_TREE, type Segment, UNREGISTERED_TREE } from './api.ts';
import {
  audienceFromForm,
  audienceTree,
  emptyAudienceForm,
  emptyScheduleForm,
  scheduleFromForm,
} from './composer.ts';

const now = new Date('2026-11-30T03:00:00Z'); // 2026-11-30 12:00 JST

describe('G-07 schedule form → contract schedule', () => {
  it('now, and a Tokyo date and time as an ISO instant', () => {
    const form = emptyScheduleForm(now);
    expect(scheduleFromForm(form, now)).toEqual({ ok: true, schedule: { mode: 'now' } });
    expect(scheduleFromForm({ ...form, mode: 'at', date: '2026-12-01', time: '08:00' }, now)).toEqual({
      ok: true,
      schedule: { mode: 'at', at: '2026-11-30T23:00:00.000Z' },
      first: '2026-11-30T23:00:00.000Z',
    });
  });

  it('refuses a time in the past and missing fields', () => {
    const form = { ...emptyScheduleForm(now), mode: 'at' as const };
    expect(scheduleFromForm({ ...form, date: '2026-11-30', time: '11:59' }, now)).toEqual({
      ok: false,
      errors: { 'schedule.date': 'schedule.errPast' },
    });
    expect(scheduleFromForm({ ...form, date: '', time: '' }, now)).toEqual({
      ok: false,
      errors: { 'schedule.date': 'schedule.errDate', 'schedule.time': 'schedule.errTime' },
    });
  });

  it('G-08 recurring: scheduled at the first occurrence, with the recurrence', () => {
    const form = emptyScheduleForm(now);
    const result = scheduleFromForm(
      {
        ...form,
        mode: 'recurring',
        recurrence: { ...form.recurrence, kind: 'monthly', monthlyType: 'monthEnd', time: '09:00' },
      },
      now,
      // The next occurrences as POST /api/deliveries/occurrences answers them.
      ['2026-12-31T00:00:00.000Z', '2027-01-31T00:00:00.000Z'],
    );
    expect(result).toEqual({
      ok: true,
      schedule: { mode: 'at', at: '2026-12-31T00:00:00.000Z' },
      recurrence: { kind: 'monthly', rule: { type: 'monthEnd' }, time: '09:00', from: '2026-11-30' },
      first: '2026-12-31T00:00:00.000Z',
    });
    const none = scheduleFromForm(
      {
        ...form,
        mode: 'recurring',
        recurrence: { ...form.recurrence, weekdays: [1], from: '2026-11-01', until: '2026-11-29' },
      },
      now,
      [],
    );
    expect(none).toEqual({ ok: false, errors: { 'recurrence.from': 'schedule.errNoOccurrence' } });
    // Not known yet (the request is pending): the server picks the first occurrence itself.
    const pending = scheduleFromForm(
      { ...form, mode: 'recurring', recurrence: { ...form.recurrence, weekdays: [1] } },
      now,
    );
    expect(pending).toMatchObject({ ok: true, schedule: { mode: 'now' }, recurrence: { kind: 'weekly' } });
    expect(scheduleFromForm({ ...form, mode: 'recurring' }, now)).toEqual({
      ok: false,
      errors: { 'recurrence.weekdays': 'rec.errWeekdays' },
    });
  });
});

describe('G-02 G-04 audience choices', () => {
  const segment: Segment = {
    id: 's1',
    channelId: 'c1',
    name: '中央区の子育て世帯',
    tree: { type: 'registered', value: true },
    createdAt: '',
    updatedAt: '',
  };

  it('maps each choice to the contract audience and the tree that is counted', () => {
    const form = emptyAudienceForm();
    expect(audienceFromForm(form)).toEqual({ kind: 'all' });
    expect(audienceTree(form, [])).toEqual(ALL_FRIENDS_TREE);
    expect(audienceFromForm({ ...form, kind: 'unregistered' })).toEqual({ kind: 'unregistered' });
    expect(audienceTree({ ...form, kind: 'unregistered' }, [])).toEqual(UNREGISTERED_TREE);
    expect(audienceFromForm({ ...form, kind: 'segment' })).toBeNull();
    expect(audienceFromForm({ ...form, kind: 'segment', segmentId: 's1' })).toEqual({
      kind: 'segment',
      segmentId: 's1',
    });
    expect(audienceTree({ ...form, kind: 'segment', segmentId: 's1' }, [segment])).toEqual(segment.tree);
    expect(audienceFromForm({ ...form, kind: 'tree', tree: EMPTY_TREE })).toBeNull();
    const tree = { type: 'test' as const, value: false };
    expect(audienceFromForm({ ...form, kind: 'tree', tree })).toEqual({ kind: 'tree', tree });
  });
});
