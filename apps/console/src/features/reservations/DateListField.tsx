import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { isDate } from '../deliveries/time.ts';
import { dayText } from './labels.ts';

/** A list of dates (休業日 / 臨時の受付日): the dates with 削除, and a date input with 追加. */
export function DateListField({
  legend,
  hint,
  dates,
  onChange,
}: {
  legend: string;
  hint: string;
  dates: string[];
  onChange: (dates: string[]) => void;
}) {
  const t = useT();
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<string | null>(null);

  function add() {
    const next = !isDate(adding)
      ? t('reservations.err.date')
      : dates.includes(adding)
        ? t('reservations.err.dateTwice')
        : null;
    setError(next);
    if (next) return;
    onChange([...dates, adding].sort());
    setAdding('');
  }

  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{legend}</legend>
      <p className="text-std-16N-170 text-solid-gray-600">{hint}</p>
      {dates.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t('reservations.field.noDates')}</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {dates.map((d) => (
            <li
              key={d}
              className="flex items-center gap-1 rounded-8 border border-solid-gray-420 py-0.5 pl-3 text-std-16N-170"
            >
              {dayText(t, d)}
              <Button
                size="sm"
                variant="tertiary"
                aria-label={t('reservations.field.removeDate', { date: dayText(t, d) })}
                onClick={() => onChange(dates.filter((x) => x !== d))}
              >
                {t('reservations.field.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-start gap-3">
        <TextField
          label={t('reservations.field.addDate', { list: legend })}
          type="date"
          value={adding}
          onChange={setAdding}
          error={error}
          className="w-56"
          onKeyDown={(e) => {
            // Enter adds the date instead of saving the whole form.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <Button size="sm" variant="secondary" className="mt-9" onClick={add}>
          {t('reservations.field.add')}
        </Button>
      </div>
    </fieldset>
  );
}
