import type { MessageKey } from '../../i18n/ja.ts';
import {
  ALL_FRIENDS_TREE,
  type Audience,
  type DeliveryView,
  EMPTY_TREE,
  isCountable,
  type Recurrence,
  type Schedule,
  type Segment,
  type SegmentTree,
  UNREGISTERED_TREE,
} from './api.ts';
import {
  emptyRecurrenceForm,
  type RecurrenceForm,
  recurrenceFromForm,
  recurrenceToForm,
} from './recurrence.ts';
import { defaultScheduleJst, isDate, isoToJst, isTime, jstToIso, todayJst } from './time.ts';

// Audience and schedule parts of the composer: form state ↔ the contract's objects.

export type AudienceKind = 'all' | 'segment' | 'tree' | 'unregistered';
export type AudienceForm = { kind: AudienceKind; segmentId: string; tree: SegmentTree };

export const emptyAudienceForm = (): AudienceForm => ({ kind: 'all', segmentId: '', tree: EMPTY_TREE });

/** The contract's audience; null while 保存したセグメント has no segment chosen. */
export function audienceFromForm(form: AudienceForm): Audience | null {
  switch (form.kind) {
    case 'all':
      return { kind: 'all' };
    case 'unregistered':
      return { kind: 'unregistered' };
    case 'tree':
      return isCountable(form.tree) ? { kind: 'tree', tree: form.tree } : null;
    case 'segment':
      return form.segmentId ? { kind: 'segment', segmentId: form.segmentId } : null;
  }
}

export function audienceToForm(audience: Audience): AudienceForm {
  const form = emptyAudienceForm();
  if (audience.kind === 'segment') return { ...form, kind: 'segment', segmentId: audience.segmentId };
  if (audience.kind === 'tree') return { ...form, kind: 'tree', tree: audience.tree };
  if (audience.kind === 'unregistered') return { ...form, kind: 'unregistered' };
  return form;
}

/** The tree whose size is the audience count (null: nothing to count yet). */
export function audienceTree(form: AudienceForm, segments: Segment[] | undefined): SegmentTree | null {
  switch (form.kind) {
    case 'all':
      return ALL_FRIENDS_TREE;
    case 'unregistered':
      return UNREGISTERED_TREE;
    case 'tree':
      return isCountable(form.tree) ? form.tree : null;
    case 'segment':
      return segments?.find((s) => s.id === form.segmentId)?.tree ?? null;
  }
}

export type ScheduleMode = 'now' | 'at' | 'recurring';
export type ScheduleForm = { mode: ScheduleMode; date: string; time: string; recurrence: RecurrenceForm };

export function emptyScheduleForm(now: Date): ScheduleForm {
  const next = defaultScheduleJst(now);
  return { mode: 'now', ...next, recurrence: emptyRecurrenceForm(todayJst(now), next.time) };
}

/** The form of a saved delivery (editing a draft or a scheduled one). */
export function scheduleToForm(delivery: DeliveryView, now: Date): ScheduleForm {
  const form = emptyScheduleForm(now);
  if (delivery.recurrence) {
    return { ...form, mode: 'recurring', recurrence: recurrenceToForm(delivery.recurrence, todayJst(now)) };
  }
  const at = delivery.scheduledAt ? isoToJst(delivery.scheduledAt) : null;
  if (at) return { ...form, mode: delivery.status === 'scheduled' ? 'at' : form.mode, ...at };
  return form;
}

export type ScheduleErrors = Record<string, MessageKey>;

/**
 * The schedule (and recurrence) to send. A recurring delivery is saved as scheduled at its first
 * occurrence, with the recurrence; the server creates the later occurrences. `upcoming` are the
 * recurrence's next sending times as the server gave them (useOccurrences), null while unknown: then
 * the server picks the first occurrence itself.
 */
export function scheduleFromForm(
  form: ScheduleForm,
  now: Date,
  upcoming: string[] | null = null,
):
  | { ok: true; schedule: Schedule; recurrence?: Recurrence; first?: string }
  | { ok: false; errors: ScheduleErrors } {
  if (form.mode === 'now') return { ok: true, schedule: { mode: 'now' } };
  if (form.mode === 'at') {
    const errors: ScheduleErrors = {};
    if (!isDate(form.date)) errors['schedule.date'] = 'schedule.errDate';
    if (!isTime(form.time)) errors['schedule.time'] = 'schedule.errTime';
    const at = jstToIso(form.date, form.time);
    if (at && Date.parse(at) <= now.getTime()) errors['schedule.date'] = 'schedule.errPast';
    if (!at || Object.keys(errors).length > 0) return { ok: false, errors };
    return { ok: true, schedule: { mode: 'at', at }, first: at };
  }
  const result = recurrenceFromForm(form.recurrence);
  if (!result.ok) {
    const errors: ScheduleErrors = {};
    for (const [key, message] of Object.entries(result.errors)) errors[`recurrence.${key}`] = message;
    return { ok: false, errors };
  }
  if (upcoming === null) return { ok: true, schedule: { mode: 'now' }, recurrence: result.value };
  const [first] = upcoming;
  if (!first) return { ok: false, errors: { 'recurrence.from': 'schedule.errNoOccurrence' } };
  return { ok: true, schedule: { mode: 'at', at: first }, recurrence: result.value, first };
}
