import type { useT } from '../i18n/i18n.tsx';

/** Errors of a from–to period form (both days required, `to` not before `from`); empty when valid. */
export function periodErrors(
  values: { from: string; to: string },
  t: ReturnType<typeof useT>,
): { from?: string; to?: string } {
  const errors: { from?: string; to?: string } = {};
  if (!values.from) errors.from = t('common.fieldRequired', { label: t('audit.from') });
  if (!values.to) errors.to = t('common.fieldRequired', { label: t('audit.to') });
  else if (values.from && values.to < values.from) errors.to = t('audit.rangeInvalid');
  return errors;
}
