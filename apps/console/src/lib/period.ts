import type { useT } from '../i18n/i18n.tsx';

/** A from–to period of Tokyo days (YYYY-MM-DD, both inclusive). */
export type Period = { from: string; to: string };

export type PeriodErrors = { from?: string; to?: string };

/** Errors of a from–to period form (both days required, `to` not before `from`); empty when valid. */
export function periodErrors(values: Period, t: ReturnType<typeof useT>): PeriodErrors {
  const errors: PeriodErrors = {};
  if (!values.from) errors.from = t('common.fieldRequired', { label: t('audit.from') });
  if (!values.to) errors.to = t('common.fieldRequired', { label: t('audit.to') });
  else if (values.from && values.to < values.from) errors.to = t('audit.rangeInvalid');
  return errors;
}

/** Errors of an optional from–to period (a filter: either day may be empty; `to` not before `from`). */
export function openPeriodErrors(values: Period, t: ReturnType<typeof useT>): PeriodErrors {
  return values.from && values.to && values.to < values.from ? { to: t('audit.rangeInvalid') } : {};
}
