import { RESERVATION_LIMITS } from '@madoguchi/contracts/reservations.ts';
import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useRequestSubmit } from '../../lib/useFormSubmit.ts';
import { type CalendarView, reservationsApi } from './api.ts';
import type { CalendarSave } from './CalendarEditorPage.tsx';
import { DateListField } from './DateListField.tsx';
import { type CutoffUnit, type SettingsForm, settingsOf, settingsRequest } from './settingsForm.ts';
import { TemplatesEditor } from './TemplatesEditor.tsx';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** 設定: name, category, description, weekly slots, holidays, dates, cutoffs and limits, saved by PATCH. */
export function CalendarSettingsSection({ view, save }: { view: CalendarView; save: CalendarSave }) {
  const t = useT();
  const [value, setValue] = useState(() => settingsOf(view));
  const set =
    <K extends keyof SettingsForm>(key: K) =>
    (v: SettingsForm[K]) =>
      setValue((s) => ({ ...s, [key]: v }));

  // A failure's message is the editor's; the server's field messages (Japanese) go to their fields
  // (`templates.0.end` …).
  const { errors, submitting, onSubmit } = useRequestSubmit({
    request: () => settingsRequest(value),
    save: (settings) => save(() => reservationsApi.update(view.id, settings), t('reservations.editor.saved')),
  });

  const unitOptions = (['hours', 'days'] as const).map((u) => ({
    value: u,
    label: t(`reservations.unit.${u}`),
  }));

  return (
    <Section title={t('reservations.editor.settingsSection')}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex max-w-4xl flex-col gap-6">
        <div className="flex flex-wrap gap-4">
          <TextField
            label={t('reservations.field.category')}
            hint={t('reservations.field.categoryHint')}
            required
            value={value.category}
            onChange={set('category')}
            maxLength={50}
            error={errors.category}
            className="w-72"
          />
          <TextField
            label={t('reservations.field.name')}
            required
            value={value.name}
            onChange={set('name')}
            maxLength={RESERVATION_LIMITS.name}
            error={errors.name}
            className="min-w-72 flex-1"
          />
        </div>
        <TextArea
          label={t('reservations.field.description')}
          hint={t('reservations.field.descriptionHint')}
          value={value.description}
          onChange={set('description')}
          rows={4}
          maxLength={RESERVATION_LIMITS.description}
          error={errors.description}
        />

        <TemplatesEditor
          rows={value.templates}
          onChange={set('templates')}
          errors={errors}
          listError={errors.templates}
        />

        <Checkbox
          label={t('reservations.field.openOnHolidays')}
          hint={t('reservations.field.openOnHolidaysHint')}
          checked={value.openOnHolidays}
          onChange={set('openOnHolidays')}
        />
        <DateListField
          legend={t('reservations.field.closedDates')}
          hint={t('reservations.field.closedDatesHint')}
          dates={value.closedDates}
          onChange={set('closedDates')}
        />
        <DateListField
          legend={t('reservations.field.openedDates')}
          hint={t('reservations.field.openedDatesHint')}
          dates={value.openedDates}
          onChange={set('openedDates')}
        />
        {errors.dates && <ErrorText>{errors.dates}</ErrorText>}

        <CutoffFields
          legend={t('reservations.field.bookingCutoff')}
          hint={t('reservations.field.bookingCutoffHint')}
          value={value.bookingCutoff}
          unit={value.bookingCutoffUnit}
          onChange={set('bookingCutoff')}
          onUnit={set('bookingCutoffUnit')}
          unitOptions={unitOptions}
          error={errors.bookingCutoffMinutes}
        />
        <CutoffFields
          legend={t('reservations.field.cancelCutoff')}
          hint={t('reservations.field.cancelCutoffHint')}
          value={value.cancelCutoff}
          unit={value.cancelCutoffUnit}
          onChange={set('cancelCutoff')}
          onUnit={set('cancelCutoffUnit')}
          unitOptions={unitOptions}
          error={errors.cancelCutoffMinutes}
        />

        <div className="flex flex-wrap items-start gap-4">
          <TextField
            label={t('reservations.field.perPersonLimit')}
            hint={t('reservations.field.perPersonLimitHint')}
            inputMode="numeric"
            value={value.perPersonLimit}
            onChange={set('perPersonLimit')}
            error={errors.perPersonLimit}
            className="w-72"
          />
          <TextField
            label={t('reservations.field.maxSeats')}
            hint={t('reservations.field.maxSeatsHint', { max: RESERVATION_LIMITS.seats })}
            inputMode="numeric"
            required
            value={value.maxSeatsPerBooking}
            onChange={set('maxSeatsPerBooking')}
            error={errors.maxSeatsPerBooking}
            className="w-72"
          />
        </div>
        <Select
          label={t('reservations.field.reminder')}
          hint={t('reservations.field.reminderHint')}
          value={value.reminderHour}
          onChange={set('reminderHour')}
          placeholder={t('reservations.field.reminderNone')}
          options={HOURS.map((h) => ({
            value: String(h),
            label: t('reservations.field.reminderAt', { hour: h }),
          }))}
          error={errors.reminderHour}
          className="w-72"
        />
        <div>
          <Button type="submit" disabled={submitting}>
            {t('reservations.editor.saveSettings')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

/** A cutoff: a number and its unit (時間前 / 日前). */
function CutoffFields({
  legend,
  hint,
  value,
  unit,
  onChange,
  onUnit,
  unitOptions,
  error,
}: {
  legend: string;
  hint: string;
  value: string;
  unit: CutoffUnit;
  onChange: (value: string) => void;
  onUnit: (unit: CutoffUnit) => void;
  unitOptions: { value: string; label: string }[];
  error: string | undefined;
}) {
  const t = useT();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{legend}</legend>
      <p className="text-std-16N-170 text-solid-gray-600">{hint}</p>
      <div className="flex flex-wrap items-start gap-3">
        <TextField
          label={t('reservations.field.cutoffValue', { label: legend })}
          inputMode="decimal"
          value={value}
          onChange={onChange}
          error={error}
          className="w-40"
        />
        <Select
          label={t('reservations.field.cutoffUnit', { label: legend })}
          value={unit}
          onChange={(v) => onUnit(v as CutoffUnit)}
          options={unitOptions}
          className="w-40"
        />
      </div>
    </fieldset>
  );
}
