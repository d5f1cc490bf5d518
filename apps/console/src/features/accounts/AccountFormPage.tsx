import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, fieldErrors, hasCode } from '../../api/errors.ts';
import type { Account, Role } from '../../api/types.ts';
import { useSession } from '../../auth/AuthContext.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { FormPage } from '../../components/FormPage.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';
import { PasswordInputWithGenerate } from './PasswordInputWithGenerate.tsx';

type Form = { loginId: string; displayName: string; roleId: string; password: string; disabled: boolean };

/** Add (no id) or edit a staff account. */
export function AccountFormPage({ id }: { id?: string }) {
  const t = useT();
  const session = useSession();
  const editing = id !== undefined;
  const accounts = useApi<Account[]>('/api/accounts');
  const roles = useApi<Role[]>('/api/roles');
  const original = accounts.data?.find((a) => a.id === id);
  const [form, setForm] = useState<Form>({
    loginId: '',
    displayName: '',
    roleId: '',
    password: '',
    disabled: false,
  });

  useEffect(() => {
    if (original) {
      setForm((f) => ({
        ...f,
        loginId: original.loginId,
        displayName: original.displayName,
        roleId: original.roleId,
        disabled: original.disabled,
      }));
    }
  }, [original]);

  // GET /api/roles needs roles.manage; without it, offer the roles already assigned to accounts.
  const roleOptions = useMemo(() => {
    if (roles.data) return roles.data.map((r) => ({ value: r.id, label: r.name }));
    const seen = new Map<string, string>();
    for (const a of accounts.data ?? []) seen.set(a.roleId, a.roleName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [roles.data, accounts.data]);

  function validate(): Record<string, string> {
    const next: Record<string, string> = {};
    if (!editing && !form.loginId.trim())
      next.loginId = t('common.fieldRequired', { label: t('accounts.loginId') });
    if (!form.displayName.trim()) {
      next.displayName = t('common.fieldRequired', { label: t('accounts.displayName') });
    }
    if (!form.roleId) next.roleId = t('common.selectRequired', { label: t('accounts.role') });
    if (!editing && !form.password) {
      next.password = t('common.fieldRequired', { label: t('accounts.initialPassword') });
    }
    return next;
  }

  const submit = useFormSubmit({
    validate,
    backTo: '/accounts',
    save: async () => {
      if (editing) {
        await api.patch(`/api/accounts/${encodeURIComponent(id)}`, {
          displayName: form.displayName.trim(),
          roleId: form.roleId,
          disabled: form.disabled,
        });
        return t('accounts.updated');
      }
      await api.post('/api/accounts', {
        loginId: form.loginId.trim(),
        displayName: form.displayName.trim(),
        roleId: form.roleId,
        password: form.password,
      });
      return t('accounts.created');
    },
    serverFieldErrors: (error) => {
      const fields = fieldErrors(error);
      if (hasCode(error, 'LOGIN_ID_TAKEN')) fields.loginId = errorMessage(t, error);
      if (hasCode(error, 'WEAK_PASSWORD')) fields.password = errorMessage(t, error);
      return fields;
    },
  });
  const { errors } = submit;
  const isSelf = editing && original?.id === session.account.id;

  return (
    <FormPage
      title={editing ? t('accounts.editTitle') : t('accounts.newTitle')}
      description={original?.displayName}
      load={{
        error: accounts.error ?? (roles.data || accounts.data ? null : roles.error),
        onRetry: () => void accounts.reload(),
        loading: !accounts.data || (roles.loading && !roles.data),
        notFound: editing && !original ? t('accounts.notFound') : null,
      }}
      submit={submit}
      className="max-w-2xl gap-5"
    >
      {editing ? (
        <TextField
          label={t('accounts.loginId')}
          value={form.loginId}
          onChange={() => {}}
          readOnly
          inputClassName="max-w-80 font-mono"
        />
      ) : (
        <TextField
          label={t('accounts.loginId')}
          hint={t('accounts.loginIdHint')}
          required
          autoComplete="off"
          spellCheck={false}
          value={form.loginId}
          onChange={(v) => setForm((f) => ({ ...f, loginId: v }))}
          error={errors.loginId}
          inputClassName="max-w-80 font-mono"
        />
      )}
      <TextField
        label={t('accounts.displayName')}
        required
        autoComplete="off"
        value={form.displayName}
        onChange={(v) => setForm((f) => ({ ...f, displayName: v }))}
        error={errors.displayName}
        inputClassName="max-w-96"
      />
      <Select
        label={t('accounts.role')}
        required
        placeholder={t('common.selectPlaceholder')}
        options={roleOptions}
        value={form.roleId}
        onChange={(v) => setForm((f) => ({ ...f, roleId: v }))}
        error={errors.roleId}
        selectClassName="max-w-80"
      />
      {!editing && (
        <PasswordInputWithGenerate
          label={t('accounts.initialPassword')}
          hint={t('accounts.initialPasswordHint')}
          value={form.password}
          onChange={(v) => setForm((f) => ({ ...f, password: v }))}
          error={errors.password}
        />
      )}
      {editing && (
        <Checkbox
          label={t('accounts.disable')}
          checked={form.disabled}
          disabled={isSelf}
          onChange={(checked) => setForm((f) => ({ ...f, disabled: checked }))}
        />
      )}
    </FormPage>
  );
}
