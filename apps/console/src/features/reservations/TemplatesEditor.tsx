import { RESERVATION_LIMITS } from '@madoguchi/contracts/reservations.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { weekdayLabel } from './labels.ts';
import { EMPTY_TEMPLATE, type TemplateRow } from './settingsForm.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];

/** 予約枠（毎週）: one row per weekly slot (weekday, start, end, capacity), added and removed here. */
export function TemplatesEditor({
  rows,
  onChange,
  errors,
  listError,
}: {
  rows: TemplateRow[];
  onChange: (rows: TemplateRow[]) => void;
  /** Messages keyed `templates.<index>.<field>`. */
  errors: Record<string, string>;
  listError?: string | undefined;
}) {
  const t = useT();
  const setRow = (index: number, key: keyof TemplateRow) => (value: string) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, [key]: value } : r)));
  const e = (index: number, key: keyof TemplateRow) => errors[`templates.${index}.${key}`];
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-std-17B-170 text-solid-gray-800">
        {t('reservations.field.templates')}
      </legend>
      <p className="text-std-16N-170 text-solid-gray-600">{t('reservations.field.templatesHint')}</p>
      {listError && <ErrorText>{listError}</ErrorText>}
      {rows.length === 0 && (
        <p className="text-std-16N-170 text-solid-gray-700">{t('reservations.field.noTemplates')}</p>
      )}
      <ol className="flex flex-col gap-3">
        {rows.map((row, index) => (
          // Rows have no identity of their own; the index is their key (removing re-renders the rest).
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index}>
            <fieldset className="flex flex-wrap items-start gap-3 rounded-8 border border-solid-gray-420 p-3">
              <legend className="px-1 text-std-16B-170">
                {t('reservations.field.templateRow', { n: index + 1 })}
              </legend>
              <Select
                label={t('reservations.field.weekday')}
                value={row.weekday}
                onChange={setRow(index, 'weekday')}
                options={WEEKDAYS.map((d) => ({ value: String(d), label: weekdayLabel(t, d) }))}
                className="w-28"
              />
              <TextField
                label={t('reservations.field.start')}
                type="time"
                step={60}
                required
                value={row.start}
                onChange={setRow(index, 'start')}
                error={e(index, 'start')}
                className="w-40"
              />
              <TextField
                label={t('reservations.field.end')}
                type="time"
                step={60}
                required
                value={row.end}
                onChange={setRow(index, 'end')}
                error={e(index, 'end')}
                className="w-40"
              />
              <TextField
                label={t('reservations.field.capacity')}
                inputMode="numeric"
                required
                value={row.capacity}
                onChange={setRow(index, 'capacity')}
                error={e(index, 'capacity')}
                className="w-32"
              />
              <Button
                size="sm"
                variant="tertiary"
                className="mt-9"
                aria-label={t('reservations.field.removeTemplate', { n: index + 1 })}
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                {t('reservations.field.remove')}
              </Button>
            </fieldset>
          </li>
        ))}
      </ol>
      <div>
        <Button
          size="sm"
          variant="secondary"
          disabled={rows.length >= RESERVATION_LIMITS.templates}
          onClick={() => onChange([...rows, { ...(rows.at(-1) ?? EMPTY_TEMPLATE) }])}
        >
          {t('reservations.field.addTemplate')}
        </Button>
      </div>
    </fieldset>
  );
}
