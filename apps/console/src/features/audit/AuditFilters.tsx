import { AUDIT_ACTION_LABELS } from '@madoguchi/contracts/audit-labels.ts';
import { type FormEvent, useMemo, useState } from 'react';
import type { Account } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';

export type AuditFilterValues = { from: string; to: string; loginId: string; action: string; result: string };

/** Filters by choice (S-09): operations and results in plain words, never typed codes. */
export function AuditFilters({
  initial,
  accounts,
  onApply,
}: {
  initial: AuditFilterValues;
  /** Undefined when the account list is not readable (no accounts.view): a login ID field instead. */
  accounts: Account[] | undefined;
  onApply: (values: AuditFilterValues) => void;
}) {
  const { t, locale } = useI18n();
  const [values, setValues] = useState(initial);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const set = (key: keyof AuditFilterValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const actionOptions = useMemo(
    () => Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => ({ value: code, label: label[locale] })),
    [locale],
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    if (values.from && values.to && values.to < values.from) {
      setRangeError(t('audit.rangeInvalid'));
      focusFirstInvalid(formElement);
      return;
    }
    setRangeError(null);
    onApply({ ...values, loginId: values.loginId.trim() });
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label={t('audit.filters')}
      className="mb-6 rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-5"
    >
      <div className="grid grid-cols-3 items-start gap-4">
        <TextField label={t('audit.from')} type="date" value={values.from} onChange={set('from')} />
        <TextField
          label={t('audit.to')}
          type="date"
          value={values.to}
          onChange={set('to')}
          error={rangeError}
        />
        {accounts ? (
          <Select
            label={t('audit.account')}
            value={values.loginId}
            onChange={set('loginId')}
            placeholder={t('audit.allAccounts')}
            options={accounts.map((a) => ({ value: a.loginId, label: `${a.displayName}（${a.loginId}）` }))}
          />
        ) : (
          <TextField
            label={t('audit.loginId')}
            value={values.loginId}
            onChange={set('loginId')}
            spellCheck={false}
            autoComplete="off"
          />
        )}
        <Select
          label={t('audit.action')}
          value={values.action}
          onChange={set('action')}
          placeholder={t('audit.allActions')}
          options={actionOptions}
        />
        <Select
          label={t('audit.result')}
          value={values.result}
          onChange={set('result')}
          placeholder={t('audit.allResults')}
          options={[
            { value: 'success', label: t('audit.success') },
            { value: 'failure', label: t('audit.failure') },
          ]}
        />
      </div>
      <div className="mt-4">
        <Button type="submit">{t('audit.apply')}</Button>
      </div>
    </form>
  );
}
