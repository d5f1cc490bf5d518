import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Permission, Role } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { SupportText } from '../../components/Field.tsx';
import { FormPage } from '../../components/FormPage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';
import { PermissionGrid } from './PermissionGrid.tsx';

/** Create (no id) or edit a role. Built-in roles keep their name; only permissions change. */
export function RoleFormPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const permissions = useApi<Permission[]>('/api/permissions');
  const roles = useApi<Role[]>(editing ? '/api/roles' : null);
  const original = roles.data?.find((r) => r.id === id);
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!original) return;
    setName(original.name);
    setSelected(new Set(original.permissions));
  }, [original]);

  const submit = useFormSubmit({
    validate: (): Record<string, string> =>
      name.trim() ? {} : { name: t('common.fieldRequired', { label: t('roles.name') }) },
    backTo: '/roles',
    save: async () => {
      // Keep the order of GET /api/permissions for a stable payload.
      const keys = (permissions.data ?? []).map((p) => p.key).filter((k) => selected.has(k));
      if (editing) {
        await api.patch(
          `/api/roles/${encodeURIComponent(id)}`,
          original?.builtin ? { permissions: keys } : { name: name.trim(), permissions: keys },
        );
        return t('roles.updated');
      }
      await api.post('/api/roles', { name: name.trim(), permissions: keys });
      return t('roles.created');
    },
  });
  const { errors } = submit;

  return (
    <FormPage
      title={editing ? t('roles.editTitle') : t('roles.newTitle')}
      description={original?.name}
      load={{
        error: permissions.error ?? roles.error,
        onRetry: () => {
          void permissions.reload();
          void roles.reload();
        },
        loading: !permissions.data || (editing && !roles.data),
        notFound: editing && !original ? t('roles.notFound') : null,
      }}
      submit={submit}
      className="max-w-4xl gap-6"
    >
      <TextField
        label={t('roles.name')}
        hint={original?.builtin ? t('roles.builtinNameHint') : undefined}
        required={!original?.builtin}
        readOnly={original?.builtin}
        value={name}
        onChange={setName}
        error={errors.name}
        inputClassName="max-w-96"
      />
      <div className="flex flex-col gap-2">
        <h2 className="text-std-18B-160">{t('roles.permissions')}</h2>
        <SupportText id="permissions-hint">{t('roles.permissionsHint')}</SupportText>
        {errors.permissions && <Alert tone="error">{errors.permissions}</Alert>}
        <PermissionGrid permissions={permissions.data ?? []} selected={selected} onChange={setSelected} />
      </div>
    </FormPage>
  );
}
