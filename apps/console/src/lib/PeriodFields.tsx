import { type FormEvent, useState } from 'react';
import { TextField } from '../components/TextField.tsx';
import { useT } from '../i18n/i18n.tsx';
import { focusFirstInvalid } from './focus.ts';
import { type Period, type PeriodErrors, periodErrors } from './period.ts';

/**
 * The state of a filter form with a period (and any other fields): the values being edited, the
 * period's errors, and a submit handler that applies the values only when the period is valid.
 */
export function usePeriodForm<V extends Period>(
  initial: V,
  onApply: (values: V) => void,
  /** periodErrors (both days required), or openPeriodErrors. */
  check: typeof periodErrors = periodErrors,
) {
  const t = useT();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<PeriodErrors>({});
  const set = (key: keyof V) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = check(values, t);
    setErrors(next);
    if (next.from || next.to) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    onApply(values);
  }

  return { values, set, errors, onSubmit };
}

/** The 開始日 / 終了日 date fields of a period filter. */
export function PeriodFields({
  values,
  errors,
  onChange,
  className,
}: {
  values: Period;
  errors: PeriodErrors;
  onChange: (key: 'from' | 'to') => (value: string) => void;
  /** Of each field (e.g. its width). */
  className?: string;
}) {
  const t = useT();
  return (
    <>
      <TextField
        label={t('audit.from')}
        type="date"
        value={values.from}
        onChange={onChange('from')}
        error={errors.from}
        className={className}
      />
      <TextField
        label={t('audit.to')}
        type="date"
        value={values.to}
        onChange={onChange('to')}
        error={errors.to}
        className={className}
      />
    </>
  );
}
