/** Form state of the desk editor, and its conversion to / from the API shape (docs/dev/consultation-api.md). */
import type { Dispatch, SetStateAction } from 'react';
import type { Desk, DeskUpdate, Hours, RecordFieldType } from '../../api/types.ts';
import type { TFunction } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const; // shown Monday first
export type Weekday = (typeof WEEKDAYS)[number];
export const weekdayLabel = (day: string) => `desks.weekday${day}` as MessageKey;

export type SlotRow = { key: number; start: string; end: string };
export type ContactRow = { key: number; name: string; phone: string; hours: string };
export type FieldRow = {
  key: number;
  fieldKey: string;
  label: string;
  type: RecordFieldType;
  options: string;
  required: boolean;
};
export type CannedRow = { key: number; title: string; text: string };

export type DeskForm = {
  name: string;
  slug: string;
  description: string;
  channelId: string;
  hours: Record<Weekday, SlotRow[]>;
  closedOnHolidays: boolean;
  closedDates: string;
  greeting: string;
  outOfHoursReply: string;
  contacts: ContactRow[];
  fields: FieldRow[];
  allowIncompleteRecords: boolean;
  canned: CannedRow[];
  webEnabled: boolean;
  accessCode: string;
  clearAccessCode: boolean;
  maxConcurrent: string;
  riskWords: string;
  keywords: string;
  /** 担当の相談員; empty = every counselor. */
  counselorIds: string[];
};

/** What each section of the desk form is given: the form, its setter and the field errors. */
export type DeskSectionProps = {
  form: DeskForm;
  setForm: Dispatch<SetStateAction<DeskForm>>;
  errors: Record<string, string>;
};

/** `set('name')(value)` changes one field of the form. */
export const fieldSetter =
  (setForm: DeskSectionProps['setForm']) =>
  <K extends keyof DeskForm>(key: K) =>
  (value: DeskForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

let nextKey = 1;
export const rowKey = () => nextKey++;

const emptyHours = (): Record<Weekday, SlotRow[]> => ({
  '0': [],
  '1': [],
  '2': [],
  '3': [],
  '4': [],
  '5': [],
  '6': [],
});

export function emptyForm(): DeskForm {
  const hours = emptyHours();
  for (const day of ['1', '2', '3', '4', '5'] as const)
    hours[day] = [{ key: rowKey(), start: '17:00', end: '21:00' }];
  return {
    name: '',
    slug: '',
    description: '',
    channelId: '',
    hours,
    closedOnHolidays: true,
    closedDates: '',
    greeting: '',
    outOfHoursReply: '',
    contacts: [],
    fields: [],
    allowIncompleteRecords: false,
    canned: [],
    webEnabled: false,
    accessCode: '',
    clearAccessCode: false,
    maxConcurrent: '3',
    riskWords: '',
    keywords: '',
    counselorIds: [],
  };
}

export function formFromDesk(desk: Desk): DeskForm {
  const hours = emptyHours();
  for (const day of WEEKDAYS) {
    hours[day] = (desk.hours[day] ?? []).map((s) => ({ key: rowKey(), start: s.start, end: s.end }));
  }
  return {
    name: desk.name,
    slug: desk.slug,
    description: desk.description,
    channelId: desk.channelId ?? '',
    hours,
    closedOnHolidays: desk.closedOnHolidays,
    closedDates: desk.closedDates.join('\n'),
    greeting: desk.greeting,
    outOfHoursReply: desk.outOfHoursReply,
    contacts: desk.emergencyContacts.map((c) => ({ key: rowKey(), ...c })),
    fields: desk.recordFields.map((f) => ({
      key: rowKey(),
      fieldKey: f.key,
      label: f.label,
      type: f.type,
      options: (f.options ?? []).join(', '),
      required: f.required,
    })),
    allowIncompleteRecords: desk.allowIncompleteRecords,
    canned: desk.cannedResponses.map((c) => ({ key: rowKey(), ...c })),
    webEnabled: desk.webEnabled,
    accessCode: '',
    clearAccessCode: false,
    maxConcurrent: String(desk.maxConcurrent),
    riskWords: desk.riskWords.join('\n'),
    keywords: desk.keywords.join('\n'),
    counselorIds: [...desk.counselorIds],
  };
}

const splitList = (text: string, separators: RegExp) =>
  text
    .split(separators)
    .map((s) => s.trim())
    .filter(Boolean);

export const splitDates = (text: string) => splitList(text, /[\s,、，]+/);
export const splitLines = (text: string) => splitList(text, /\r?\n/);
export const splitOptions = (text: string) => splitList(text, /[,、，]/);

const isBlank = (...values: string[]) => values.every((v) => !v.trim());

/** Rows that are not completely empty (those are sent; empty ones are dropped). */
export function filledRows(form: DeskForm) {
  return {
    contacts: form.contacts.filter((c) => !isBlank(c.name, c.phone, c.hours)),
    fields: form.fields.filter((f) => !isBlank(f.fieldKey, f.label, f.options)),
    canned: form.canned.filter((c) => !isBlank(c.title, c.text)),
  };
}

function validDate(ymd: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return false;
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Client-side checks. Error keys: `name`, `slug`, `hours.<day>.<rowKey>`, `closedDates`,
 * `contact.<rowKey>.<name|phone>`, `field.<rowKey>.<key|label|options>`, `canned.<rowKey>.<title|text>`,
 * `maxConcurrent`, `accessCode`.
 */
export function validateDesk(t: TFunction, form: DeskForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = (key: string, value: string, label: MessageKey) => {
    if (!value.trim()) errors[key] = t('common.fieldRequired', { label: t(label) });
  };
  required('name', form.name, 'desks.name');
  required('slug', form.slug, 'desks.slug');
  if (form.slug.trim() && !/^[a-z0-9][a-z0-9-]{1,39}$/.test(form.slug.trim()))
    errors.slug = t('desks.slugInvalid');

  for (const day of WEEKDAYS) {
    for (const slot of form.hours[day]) {
      const ok = /^\d{2}:\d{2}$/.test(slot.start) && /^\d{2}:\d{2}$/.test(slot.end) && slot.start < slot.end;
      if (!ok) errors[`hours.${day}.${slot.key}`] = t('desks.timeInvalid');
    }
  }

  const badDate = splitDates(form.closedDates).find((d) => !validDate(d));
  if (badDate) errors.closedDates = t('desks.dateInvalid', { value: badDate });

  const rows = filledRows(form);
  for (const c of rows.contacts) {
    required(`contact.${c.key}.name`, c.name, 'desks.contactName');
    required(`contact.${c.key}.phone`, c.phone, 'desks.contactPhone');
    if (c.phone.trim() && !/^[0-9+\-() ]{3,20}$/.test(c.phone.trim())) {
      errors[`contact.${c.key}.phone`] = t('desks.phoneInvalid');
    }
  }
  const seen = new Set<string>();
  for (const f of rows.fields) {
    const key = f.fieldKey.trim();
    if (!key) errors[`field.${f.key}.key`] = t('common.fieldRequired', { label: t('desks.fieldKey') });
    else if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) errors[`field.${f.key}.key`] = t('desks.keyInvalid');
    else if (seen.has(key)) errors[`field.${f.key}.key`] = t('desks.keyDuplicate');
    seen.add(key);
    required(`field.${f.key}.label`, f.label, 'desks.fieldLabel');
    if (f.type === 'select' && splitOptions(f.options).length === 0) {
      errors[`field.${f.key}.options`] = t('desks.optionsRequired');
    }
  }
  for (const c of rows.canned) {
    required(`canned.${c.key}.title`, c.title, 'desks.cannedTitle');
    required(`canned.${c.key}.text`, c.text, 'desks.cannedText');
  }
  const max = Number(form.maxConcurrent.trim());
  if (!/^\d+$/.test(form.maxConcurrent.trim()) || max < 1 || max > 20)
    errors.maxConcurrent = t('desks.maxInvalid');
  const code = form.accessCode.trim();
  if (!form.clearAccessCode && code && !/^[\x21-\x7e]{4,64}$/.test(code))
    errors.accessCode = t('desks.accessCodeInvalid');
  return errors;
}

/**
 * The POST / PATCH body. `channelKnown`: the channel list could be read (otherwise channelId is left
 * unchanged on edit). `counselorsKnown`: the accounts could be read and 担当の相談員 was shown (otherwise
 * counselorIds is `[]` on create and left unchanged on edit). The access code is write-only: blank =
 * unchanged, 消去 = null.
 */
export function deskBody(
  form: DeskForm,
  options: { editing: boolean; channelKnown: boolean; counselorsKnown: boolean },
): DeskUpdate {
  const rows = filledRows(form);
  const hours: Hours = {};
  for (const day of WEEKDAYS) hours[day] = form.hours[day].map((s) => ({ start: s.start, end: s.end }));
  const body: DeskUpdate = {
    name: form.name.trim(),
    slug: form.slug.trim(),
    description: form.description.trim(),
    hours,
    closedOnHolidays: form.closedOnHolidays,
    closedDates: splitDates(form.closedDates),
    greeting: form.greeting.trim(),
    outOfHoursReply: form.outOfHoursReply.trim(),
    emergencyContacts: rows.contacts.map((c) => ({
      name: c.name.trim(),
      phone: c.phone.trim(),
      hours: c.hours.trim(),
    })),
    recordFields: rows.fields.map((f) => ({
      key: f.fieldKey.trim(),
      label: f.label.trim(),
      type: f.type,
      ...(f.type === 'select' ? { options: splitOptions(f.options) } : {}),
      required: f.required,
    })),
    allowIncompleteRecords: form.allowIncompleteRecords,
    cannedResponses: rows.canned.map((c) => ({ title: c.title.trim(), text: c.text.trim() })),
    webEnabled: form.webEnabled,
    maxConcurrent: Number(form.maxConcurrent),
    riskWords: splitLines(form.riskWords),
    keywords: splitLines(form.keywords),
  };
  if (options.channelKnown) body.channelId = form.channelId || null;
  else if (!options.editing) body.channelId = null;
  if (options.counselorsKnown) body.counselorIds = form.counselorIds;
  else if (!options.editing) body.counselorIds = [];
  if (form.clearAccessCode) body.accessCode = null;
  else if (form.accessCode.trim()) body.accessCode = form.accessCode.trim();
  return body;
}

/** Maps a server VALIDATION_FAILED path (`recordFields.0.key`, `hours.1.0.start`…) to a form error key. */
export function errorKeyOfPath(form: DeskForm, path: string): string {
  const rows = filledRows(form);
  const [head, a, b] = path.split('.');
  const index = Number(a);
  switch (head) {
    case 'hours': {
      const slot =
        a && (WEEKDAYS as readonly string[]).includes(a) ? form.hours[a as Weekday][Number(b)] : undefined;
      return slot ? `hours.${a}.${slot.key}` : 'hours';
    }
    case 'emergencyContacts': {
      const row = rows.contacts[index];
      return row ? `contact.${row.key}.${b === 'phone' ? 'phone' : 'name'}` : 'emergencyContacts';
    }
    case 'recordFields': {
      const row = rows.fields[index];
      const part = b === 'label' || b === 'options' ? b : 'key';
      return row ? `field.${row.key}.${part}` : 'recordFields';
    }
    case 'cannedResponses': {
      const row = rows.canned[index];
      return row ? `canned.${row.key}.${b === 'text' ? 'text' : 'title'}` : 'cannedResponses';
    }
    default:
      return head ?? path;
  }
}
