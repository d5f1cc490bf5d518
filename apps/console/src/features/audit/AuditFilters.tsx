import { type FormEvent, useState } from 'react';
import type { Account } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';

export type AuditFilterValues = { from: string; to: string; accountId: string; action: string };

export function AuditFilters({
  initial,
  accounts,
  onApply,
}: {
  initial: AuditFilterValues;
  /** Undefined when the account list is not readable (no accounts.view): the selector is hidden. */
  accounts: Account[] | undefined;
  onApply: (values: AuditFilterValues) => void;
}) {
  const t = useT();
  const [values, setValues] = useState(initial);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const set = (key: keyof AuditFilterValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    if (values.from && values.to && values.to < values.from) {
      setRangeError(t('audit.rangeInvalid'));
      focusFirstInvalid(formElement);
      return;
    }
    setRangeError(null);
    onApply({ ...values, action: values.action.trim() });
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label={t('audit.filters')}
      className="mb-6 rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-5"
    >
      <div className="grid grid-cols-4 items-start gap-4">
        <TextField label={t('audit.from')} type="date" value={values.from} onChange={set('from')} />
        <TextField
          label={t('audit.to')}
          type="date"
          value={values.to}
          onChange={set('to')}
          error={rangeError}
        />
        {accounts && (
          <Select
            label={t('audit.account')}
            value={values.accountId}
            onChange={set('accountId')}
            placeholder={t('audit.allAccounts')}
            options={accounts.map((a) => ({ value: a.id, label: `${a.displayName}（${a.loginId}）` }))}
          />
        )}
        <TextField
          label={t('audit.action')}
          value={values.action}
          onChange={set('action')}
          placeholder="account.create"
          spellCheck={false}
          inputClassName="font-mono"
        />
      </div>
      <div className="mt-4">
        <Button type="submit">{t('audit.apply')}</Button>
      </div>
    </form>
  );
}
