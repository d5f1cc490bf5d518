import { type InputHTMLAttributes, type ReactNode, useEffect, useId, useState } from 'react';
import { api } from '../../api/client.ts';
import { fieldErrors } from '../../api/errors.ts';
import type { Channel, Desk, RecordFieldType } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { controlClass, describedBy } from '../../components/Field.tsx';
import { FormPage } from '../../components/FormPage.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';
import { isCounselor, type StaffAccount, useStaffAccounts } from '../consultation/counselors.ts';
import { loadDesks } from '../consultation/live.ts';
import {
  type CannedRow,
  type ContactRow,
  type DeskForm,
  deskBody,
  emptyForm,
  errorKeyOfPath,
  type FieldRow,
  formFromDesk,
  rowKey,
  validateDesk,
  WEEKDAYS,
  type Weekday,
  weekdayLabel,
} from './deskForm.ts';

const cell = 'border-b border-solid-gray-420 px-2 py-2 align-top';
/** controlClass without its full width, for controls given an explicit width. */
const sizedControl = controlClass.replace('w-full', '');

/** Add (no id) or edit a consultation desk (POST /api/desks, PATCH /api/desks/:id). */
export function DeskFormPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const desks = useApi<Desk[]>(editing ? '/api/desks' : null);
  // The LINE channel selector is offered only when the account may read the channels.
  const channels = useApi<Channel[]>('/api/channels');
  // 担当の相談員 is offered only when the accounts can be read (accounts.view).
  const staff = useStaffAccounts();
  const original = desks.data?.find((d) => d.id === id);
  const [form, setForm] = useState<DeskForm>(emptyForm);

  useEffect(() => {
    if (original) setForm(formFromDesk(original));
  }, [original]);

  const set =
    <K extends keyof DeskForm>(key: K) =>
    (value: DeskForm[K]) =>
      setForm((f) => ({ ...f, [key]: value }));

  const submit = useFormSubmit({
    validate: () => validateDesk(t, form),
    backTo: '/desks',
    save: async () => {
      const body = deskBody(form, {
        editing,
        channelKnown: channels.data !== undefined,
        counselorsKnown: staff !== undefined,
      });
      if (editing) await api.patch<Desk>(`/api/desks/${encodeURIComponent(id)}`, body);
      else await api.post<Desk>('/api/desks', body);
      void loadDesks(true);
      return editing ? t('desks.updated') : t('desks.created');
    },
    serverFieldErrors: (error) => {
      const mapped: Record<string, string> = {};
      for (const [path, message] of Object.entries(fieldErrors(error))) {
        mapped[errorKeyOfPath(form, path)] = message;
      }
      return mapped;
    },
  });
  const { errors } = submit;

  return (
    <FormPage
      title={editing ? t('desks.editTitle') : t('desks.newTitle')}
      description={original?.name}
      load={{
        error: editing ? desks.error : null,
        onRetry: () => void desks.reload(),
        loading: editing && !desks.data,
        notFound: editing && !original ? t('errors.NOT_FOUND') : null,
      }}
      submit={submit}
      className="max-w-5xl gap-6"
    >
      <Section title={t('desks.basicSection')}>
        <div className="grid grid-cols-2 gap-x-6 gap-y-5">
          <TextField
            label={t('desks.name')}
            hint={t('desks.nameHint')}
            required
            value={form.name}
            onChange={set('name')}
            error={errors.name}
          />
          <TextField
            label={t('desks.slug')}
            hint={t('desks.slugHint')}
            required
            value={form.slug}
            onChange={set('slug')}
            error={errors.slug}
            spellCheck={false}
            autoComplete="off"
            inputClassName="font-mono"
          />
          <TextArea
            label={t('desks.description')}
            hint={t('desks.descriptionHint')}
            value={form.description}
            onChange={set('description')}
            error={errors.description}
            rows={2}
            className="col-span-2"
          />
          {channels.data && (
            <Select
              label={t('desks.channel')}
              value={form.channelId}
              onChange={set('channelId')}
              placeholder={t('desks.noChannel')}
              options={channels.data.map((c) => ({ value: c.id, label: c.name }))}
              error={errors.channelId}
            />
          )}
        </div>
      </Section>

      {staff && (
        <Section title={t('desks.counselorsSection')} description={t('desks.counselorsHint')}>
          <CounselorChecklist staff={staff} selected={form.counselorIds} onChange={set('counselorIds')} />
        </Section>
      )}

      <Section title={t('desks.hoursSection')} description={t('desks.hoursLead')}>
        <HoursEditor form={form} setForm={setForm} errors={errors} />
        <div className="mt-4 flex flex-col gap-4">
          <Checkbox
            label={t('desks.closedOnHolidays')}
            checked={form.closedOnHolidays}
            onChange={set('closedOnHolidays')}
          />
          <TextArea
            label={t('desks.closedDates')}
            hint={t('desks.closedDatesHint')}
            value={form.closedDates}
            onChange={set('closedDates')}
            error={errors.closedDates}
            rows={3}
            spellCheck={false}
            textareaClassName="max-w-80 font-mono"
          />
        </div>
      </Section>

      <Section title={t('desks.messagesSection')}>
        <div className="flex flex-col gap-5">
          <TextArea
            label={t('desks.greeting')}
            hint={t('desks.greetingHint')}
            value={form.greeting}
            onChange={set('greeting')}
            error={errors.greeting}
            rows={3}
          />
          <TextArea
            label={t('desks.outOfHoursReply')}
            hint={t('desks.outOfHoursReplyHint')}
            value={form.outOfHoursReply}
            onChange={set('outOfHoursReply')}
            error={errors.outOfHoursReply}
            rows={3}
          />
        </div>
      </Section>

      <Section title={t('desks.emergencySection')} description={t('desks.emergencyLead')}>
        <RowsEditor<ContactRow>
          rows={form.contacts}
          onChange={set('contacts')}
          columns={[t('desks.contactName'), t('desks.contactPhone'), t('desks.contactHours')]}
          addLabel={t('desks.addContact')}
          newRow={() => ({ key: rowKey(), name: '', phone: '', hours: '' })}
          renderCells={(row, n, update) => (
            <>
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.contactName'), n })}
                value={row.name}
                onChange={(v) => update({ name: v })}
                error={errors[`contact.${row.key}.name`]}
              />
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.contactPhone'), n })}
                value={row.phone}
                onChange={(v) => update({ phone: v })}
                error={errors[`contact.${row.key}.phone`]}
                inputMode="tel"
              />
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.contactHours'), n })}
                value={row.hours}
                onChange={(v) => update({ hours: v })}
              />
            </>
          )}
        />
      </Section>

      <Section title={t('desks.recordSection')} description={t('desks.recordLead')}>
        <RowsEditor<FieldRow>
          rows={form.fields}
          onChange={set('fields')}
          columns={[
            t('desks.fieldKey'),
            t('desks.fieldLabel'),
            t('desks.fieldType'),
            t('desks.fieldOptions'),
            t('desks.fieldRequired'),
          ]}
          addLabel={t('desks.addField')}
          newRow={() => ({
            key: rowKey(),
            fieldKey: '',
            label: '',
            type: 'select',
            options: '',
            required: true,
          })}
          renderCells={(row, n, update) => (
            <>
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.fieldKey'), n })}
                value={row.fieldKey}
                onChange={(v) => update({ fieldKey: v })}
                error={errors[`field.${row.key}.key`]}
                spellCheck={false}
                className="w-36 font-mono"
              />
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.fieldLabel'), n })}
                value={row.label}
                onChange={(v) => update({ label: v })}
                error={errors[`field.${row.key}.label`]}
              />
              <td className={cell}>
                <select
                  aria-label={t('desks.rowLabel', { column: t('desks.fieldType'), n })}
                  value={row.type}
                  onChange={(e) => update({ type: e.target.value as RecordFieldType })}
                  className={`${sizedControl} w-44`}
                >
                  <option value="select">{t('desks.typeSelect')}</option>
                  <option value="text">{t('desks.typeText')}</option>
                  <option value="textarea">{t('desks.typeTextarea')}</option>
                </select>
              </td>
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.fieldOptions'), n })}
                value={row.options}
                onChange={(v) => update({ options: v })}
                error={errors[`field.${row.key}.options`]}
                disabled={row.type !== 'select'}
              />
              <td className={`${cell} text-center`}>
                <input
                  type="checkbox"
                  aria-label={t('desks.rowLabel', { column: t('desks.fieldRequired'), n })}
                  checked={row.required}
                  onChange={(e) => update({ required: e.target.checked })}
                  className="mt-3 size-6 cursor-pointer accent-blue-900"
                />
              </td>
            </>
          )}
        />
        <Checkbox
          className="mt-4"
          label={t('desks.allowIncomplete')}
          checked={form.allowIncompleteRecords}
          onChange={set('allowIncompleteRecords')}
        />
      </Section>

      <Section title={t('desks.cannedSection')} description={t('desks.cannedLead')}>
        <RowsEditor<CannedRow>
          rows={form.canned}
          onChange={set('canned')}
          columns={[t('desks.cannedTitle'), t('desks.cannedText')]}
          addLabel={t('desks.addCanned')}
          newRow={() => ({ key: rowKey(), title: '', text: '' })}
          renderCells={(row, n, update) => (
            <>
              <CellInput
                label={t('desks.rowLabel', { column: t('desks.cannedTitle'), n })}
                value={row.title}
                onChange={(v) => update({ title: v })}
                error={errors[`canned.${row.key}.title`]}
                className="w-56"
              />
              <CellTextArea
                label={t('desks.rowLabel', { column: t('desks.cannedText'), n })}
                value={row.text}
                onChange={(v) => update({ text: v })}
                error={errors[`canned.${row.key}.text`]}
              />
            </>
          )}
        />
      </Section>

      <Section title={t('desks.webSection')}>
        <div className="flex flex-col gap-5">
          <Checkbox label={t('desks.webEnabled')} checked={form.webEnabled} onChange={set('webEnabled')} />
          <TextField
            label={t('desks.accessCode')}
            hint={original?.hasAccessCode ? t('desks.accessCodeHintSet') : t('desks.accessCodeHintUnset')}
            value={form.accessCode}
            onChange={set('accessCode')}
            error={errors.accessCode}
            disabled={form.clearAccessCode}
            autoComplete="off"
            spellCheck={false}
            inputClassName="max-w-80 font-mono"
          />
          {original?.hasAccessCode && (
            <Checkbox
              label={t('desks.accessCodeClear')}
              checked={form.clearAccessCode}
              onChange={(v) =>
                setForm((f) => ({ ...f, clearAccessCode: v, accessCode: v ? '' : f.accessCode }))
              }
            />
          )}
          <TextField
            label={t('desks.maxConcurrent')}
            hint={t('desks.maxConcurrentHint')}
            required
            inputMode="numeric"
            value={form.maxConcurrent}
            onChange={set('maxConcurrent')}
            error={errors.maxConcurrent}
            inputClassName="max-w-32"
          />
        </div>
      </Section>

      <Section title={t('desks.detectSection')}>
        <div className="grid grid-cols-2 gap-5">
          <TextArea
            label={t('desks.riskWords')}
            hint={t('desks.riskWordsHint')}
            value={form.riskWords}
            onChange={set('riskWords')}
            error={errors.riskWords}
            rows={6}
          />
          <TextArea
            label={t('desks.keywords')}
            hint={t('desks.keywordsHint')}
            value={form.keywords}
            onChange={set('keywords')}
            error={errors.keywords}
            rows={6}
          />
        </div>
      </Section>
    </FormPage>
  );
}

/**
 * 担当の相談員: accounts that may handle consultations (every account when the roles are unknown), plus
 * any account already assigned, so that it can be unticked.
 */
function CounselorChecklist({
  staff,
  selected,
  onChange,
}: {
  staff: StaffAccount[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  const t = useT();
  const shown = staff.filter((a) => isCounselor(a) || selected.includes(a.id));
  if (shown.length === 0) return <p className="text-std-16N-170">{t('desks.counselorsEmpty')}</p>;
  return (
    <fieldset>
      <legend className="sr-only">{t('desks.counselorsSection')}</legend>
      <div className="grid grid-cols-3 gap-x-6">
        {shown.map((a) => (
          <Checkbox
            key={a.id}
            label={t(a.disabled ? 'desks.counselorDisabled' : 'desks.counselorLabel', {
              name: a.displayName,
              loginId: a.loginId,
            })}
            checked={selected.includes(a.id)}
            onChange={(checked) =>
              onChange(checked ? [...selected, a.id] : selected.filter((id) => id !== a.id))
            }
          />
        ))}
      </div>
    </fieldset>
  );
}

function plusOneHour(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const total = Math.min(h * 60 + m + 60, 23 * 60 + 59);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Weekday rows, each with start–end time ranges. */
function HoursEditor({
  form,
  setForm,
  errors,
}: {
  form: DeskForm;
  setForm: (update: (f: DeskForm) => DeskForm) => void;
  errors: Record<string, string>;
}) {
  const t = useT();
  const setDay = (day: Weekday, update: (slots: DeskForm['hours'][Weekday]) => DeskForm['hours'][Weekday]) =>
    setForm((f) => ({ ...f, hours: { ...f.hours, [day]: update(f.hours[day]) } }));

  return (
    <table className="w-full border-collapse text-left">
      <tbody>
        {WEEKDAYS.map((day) => {
          const dayName = t(weekdayLabel(day));
          const slots = form.hours[day];
          return (
            <tr key={day}>
              <th scope="row" className={`${cell} w-24 py-4 text-dns-16B-130`}>
                {dayName}
              </th>
              <td className={cell}>
                {slots.length === 0 && (
                  <p className="py-2 text-std-16N-170 text-solid-gray-700">{t('desks.dayOff')}</p>
                )}
                <ul className="flex flex-col gap-2">
                  {slots.map((slot, i) => {
                    const n = i + 1;
                    const error = errors[`hours.${day}.${slot.key}`];
                    const errorId = `hours-${day}-${slot.key}-error`;
                    const update = (patch: Partial<typeof slot>) =>
                      setDay(day, (list) => list.map((s) => (s.key === slot.key ? { ...s, ...patch } : s)));
                    return (
                      <li key={slot.key} className="flex flex-col gap-1">
                        <div className="flex flex-wrap items-center gap-2">
                          <input
                            type="time"
                            aria-label={t('desks.startLabel', { day: dayName, n })}
                            value={slot.start}
                            onChange={(e) => update({ start: e.target.value })}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={describedBy(error && errorId)}
                            className={`${sizedControl} w-36`}
                          />
                          <span aria-hidden="true">〜</span>
                          <input
                            type="time"
                            aria-label={t('desks.endLabel', { day: dayName, n })}
                            value={slot.end}
                            onChange={(e) => update({ end: e.target.value })}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={describedBy(error && errorId)}
                            className={`${sizedControl} w-36`}
                          />
                          <Button
                            variant="tertiary"
                            size="sm"
                            aria-label={t('desks.removeSlotLabel', { day: dayName, n })}
                            onClick={() => setDay(day, (list) => list.filter((s) => s.key !== slot.key))}
                          >
                            {t('common.delete')}
                          </Button>
                        </div>
                        {error && (
                          <p id={errorId} className="text-dns-16B-130 text-error-1">
                            ＊{error}
                          </p>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </td>
              <td className={`${cell} w-44 text-right`}>
                <Button
                  variant="secondary"
                  size="sm"
                  aria-label={t('desks.addSlotLabel', { day: dayName })}
                  onClick={() => {
                    // After the last range: one hour from its end (the counselor adjusts it).
                    const start = slots[slots.length - 1]?.end || '09:00';
                    setDay(day, (list) => [...list, { key: rowKey(), start, end: plusOneHour(start) }]);
                  }}
                >
                  {t('desks.addSlot')}
                </Button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A table of editable rows with 行を削除 per row and an add button (same pattern as the IP lists). */
function RowsEditor<R extends { key: number }>({
  rows,
  onChange,
  columns,
  addLabel,
  newRow,
  renderCells,
}: {
  rows: R[];
  onChange: (rows: R[]) => void;
  columns: string[];
  addLabel: string;
  newRow: () => R;
  renderCells: (row: R, n: number, update: (patch: Partial<R>) => void) => ReactNode;
}) {
  const t = useT();
  return (
    <div className="flex flex-col gap-3">
      {rows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left">
            <thead>
              <tr>
                <Th className="w-10">#</Th>
                {columns.map((c) => (
                  <Th key={c}>{c}</Th>
                ))}
                <Th className="w-20">
                  <span className="sr-only">{t('common.actions')}</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={row.key}>
                  <td className={`${cell} py-4 text-dns-16N-130`}>{i + 1}</td>
                  {renderCells(row, i + 1, (patch) =>
                    onChange(rows.map((r) => (r.key === row.key ? { ...r, ...patch } : r))),
                  )}
                  <td className={cell}>
                    <Button
                      variant="tertiary"
                      size="sm"
                      aria-label={t('desks.removeRow', { n: i + 1 })}
                      onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                    >
                      {t('common.delete')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div>
        <Button variant="secondary" size="sm" onClick={() => onChange([...rows, newRow()])}>
          {addLabel}
        </Button>
      </div>
    </div>
  );
}

function CellError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="mt-1 text-dns-16B-130 text-error-1">
      ＊{error}
    </p>
  );
}

function CellInput({
  label,
  value,
  onChange,
  error,
  className = '',
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const errorId = useId();
  return (
    <td className={cell}>
      <input
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && errorId)}
        autoComplete="off"
        className={className ? `${sizedControl} ${className}` : controlClass}
        {...rest}
      />
      <CellError id={errorId} error={error} />
    </td>
  );
}

function CellTextArea({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const errorId = useId();
  return (
    <td className={cell}>
      <textarea
        aria-label={label}
        value={value}
        rows={2}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && errorId)}
        className={controlClass}
      />
      <CellError id={errorId} error={error} />
    </td>
  );
}
