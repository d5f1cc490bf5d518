import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { Weekday } from './api.ts';
import type { ScheduleErrors, ScheduleForm, ScheduleMode } from './composer.ts';
import {
  describeRecurrence,
  NTH_VALUES,
  nthName,
  type RecurrenceForm,
  recurrenceFromForm,
  WEEKDAYS,
  weekdayName,
} from './recurrence.ts';
import { formatJst, isDate } from './time.ts';

const DATES = Array.from({ length: 31 }, (_, i) => i + 1);

/** 配信日時: now, at a date and time (Asia/Tokyo) or recurring (G-07, G-08). */
export function ScheduleSection({
  value,
  onChange,
  errors,
  disabled,
  upcoming,
}: {
  value: ScheduleForm;
  onChange: (value: ScheduleForm) => void;
  errors: ScheduleErrors;
  disabled: boolean;
  /** The recurrence's next sending times from the server (useOccurrences); null while unknown. */
  upcoming: string[] | null;
}) {
  const t = useT();
  const e = (key: string) => (errors[key] ? t(errors[key]) : undefined);
  return (
    <fieldset disabled={disabled} className="flex flex-col gap-5">
      <RadioGroup
        legend={t('schedule.legend')}
        name="schedule"
        value={value.mode}
        onChange={(mode) => onChange({ ...value, mode: mode as ScheduleMode })}
        hint={t('schedule.jstNote')}
        options={[
          { value: 'now', label: t('schedule.now') },
          { value: 'at', label: t('schedule.at') },
          { value: 'recurring', label: t('schedule.recurring') },
        ]}
      />
      {value.mode === 'at' && (
        <div className="flex flex-wrap items-start gap-4">
          <TextField
            label={t('schedule.date')}
            type="date"
            required
            value={value.date}
            onChange={(date) => onChange({ ...value, date })}
            error={e('schedule.date')}
            className="w-56"
          />
          <TextField
            label={t('schedule.time')}
            type="time"
            required
            step={60}
            value={value.time}
            onChange={(time) => onChange({ ...value, time })}
            error={e('schedule.time')}
            className="w-44"
          />
        </div>
      )}
      {value.mode === 'recurring' && (
        <RecurrenceFields
          value={value.recurrence}
          onChange={(recurrence) => onChange({ ...value, recurrence })}
          error={e}
          upcoming={upcoming}
        />
      )}
    </fieldset>
  );
}

function RecurrenceFields({
  value,
  onChange,
  error,
  upcoming,
}: {
  value: RecurrenceForm;
  onChange: (value: RecurrenceForm) => void;
  error: (key: string) => string | undefined;
  upcoming: string[] | null;
}) {
  const t = useT();
  const [exceptDay, setExceptDay] = useState('');
  const set = <K extends keyof RecurrenceForm>(key: K, v: RecurrenceForm[K]) =>
    onChange({ ...value, [key]: v });
  const toggle = <T extends number>(list: T[], item: T, on: boolean) =>
    on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);

  const parsed = recurrenceFromForm(value);

  return (
    <div className="flex flex-col gap-5 rounded-12 border border-solid-gray-420 bg-white p-4">
      <RadioGroup
        legend={t('rec.kind')}
        name="recurrence-kind"
        value={value.kind}
        onChange={(kind) => set('kind', kind as RecurrenceForm['kind'])}
        options={[
          { value: 'weekly', label: t('rec.weekly') },
          { value: 'monthly', label: t('rec.monthly') },
        ]}
      />
      {value.kind === 'weekly' && (
        <fieldset aria-describedby={error('recurrence.weekdays') ? 'rec-weekdays-error' : undefined}>
          <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">{t('rec.weekdays')}</legend>
          <div className="flex flex-wrap gap-x-4">
            {WEEKDAYS.map((w) => (
              <Checkbox
                key={w}
                label={t('rec.weekdayLong', { day: weekdayName(t, w) })}
                checked={value.weekdays.includes(w)}
                onChange={(on) => set('weekdays', toggle<Weekday>(value.weekdays, w, on))}
              />
            ))}
          </div>
          {error('recurrence.weekdays') && (
            <ErrorText id="rec-weekdays-error">{error('recurrence.weekdays')}</ErrorText>
          )}
        </fieldset>
      )}
      {value.kind === 'monthly' && (
        <>
          <RadioGroup
            legend={t('rec.monthlyType')}
            name="recurrence-monthly"
            value={value.monthlyType}
            onChange={(v) => set('monthlyType', v as RecurrenceForm['monthlyType'])}
            options={[
              { value: 'dates', label: t('rec.type.dates') },
              { value: 'nthWeekday', label: t('rec.type.nthWeekday') },
              { value: 'monthEnd', label: t('rec.type.monthEnd') },
            ]}
          />
          {value.monthlyType === 'dates' && (
            <fieldset aria-describedby={error('recurrence.dates') ? 'rec-dates-error' : 'rec-dates-hint'}>
              <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">{t('rec.dates')}</legend>
              <p id="rec-dates-hint" className="mb-1 text-std-16N-170 text-solid-gray-600">
                {t('rec.datesHint')}
              </p>
              <div className="grid grid-cols-7 gap-x-2 sm:max-w-[36rem]">
                {DATES.map((d) => (
                  <Checkbox
                    key={d}
                    label={t('rec.dateN', { n: d })}
                    checked={value.dates.includes(d)}
                    onChange={(on) => set('dates', toggle(value.dates, d, on))}
                  />
                ))}
              </div>
              {error('recurrence.dates') && (
                <ErrorText id="rec-dates-error">{error('recurrence.dates')}</ErrorText>
              )}
            </fieldset>
          )}
          {value.monthlyType === 'nthWeekday' && (
            <div className="flex flex-wrap gap-4">
              <Select
                label={t('rec.nthLabel')}
                value={value.nth}
                onChange={(v) => set('nth', v)}
                options={NTH_VALUES.map((n) => ({ value: n, label: nthName(t, Number(n)) }))}
                className="w-40"
              />
              <Select
                label={t('rec.nthWeekday')}
                value={value.nthWeekday}
                onChange={(v) => set('nthWeekday', v)}
                options={WEEKDAYS.map((w) => ({
                  value: String(w),
                  label: t('rec.weekdayLong', { day: weekdayName(t, w) }),
                }))}
                className="w-40"
              />
            </div>
          )}
        </>
      )}
      <div className="flex flex-wrap items-start gap-4">
        <TextField
          label={t('rec.time')}
          type="time"
          required
          value={value.time}
          onChange={(v) => set('time', v)}
          error={error('recurrence.time')}
          className="w-44"
        />
        <TextField
          label={t('rec.from')}
          type="date"
          required
          value={value.from}
          onChange={(v) => set('from', v)}
          error={error('recurrence.from')}
          className="w-56"
        />
        <TextField
          label={t('rec.until')}
          type="date"
          value={value.until}
          onChange={(v) => set('until', v)}
          error={error('recurrence.until')}
          className="w-56"
        />
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">{t('rec.except')}</legend>
        <div className="flex flex-wrap items-end gap-3">
          <TextField
            label={t('rec.exceptDate')}
            type="date"
            value={exceptDay}
            onChange={setExceptDay}
            className="w-56"
          />
          <Button
            variant="secondary"
            size="sm"
            disabled={!isDate(exceptDay) || value.except.includes(exceptDay)}
            onClick={() => {
              set('except', [...value.except, exceptDay].sort());
              setExceptDay('');
            }}
          >
            {t('rec.exceptAdd')}
          </Button>
        </div>
        {value.except.length > 0 && (
          <ul className="flex flex-wrap gap-2">
            {value.except.map((d) => (
              <li
                key={d}
                className="inline-flex items-center gap-1 rounded-8 border border-solid-gray-420 pl-3"
              >
                {d.replaceAll('-', '/')}
                <Button
                  variant="tertiary"
                  size="sm"
                  aria-label={t('rec.exceptRemove', { date: d.replaceAll('-', '/') })}
                  onClick={() =>
                    set(
                      'except',
                      value.except.filter((x) => x !== d),
                    )
                  }
                >
                  ×
                </Button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      {parsed.ok && (
        <div aria-live="polite" className="rounded-8 bg-blue-50 px-4 py-3 text-std-16N-170">
          <p className="font-bold" data-testid="recurrence-summary">
            {describeRecurrence(t, parsed.value)}
          </p>
          {upcoming && (
            <p>
              {upcoming.length > 0
                ? t('rec.next', { list: upcoming.map((iso) => formatJst(iso)).join(t('rec.listSeparator')) })
                : t('rec.noNext')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
