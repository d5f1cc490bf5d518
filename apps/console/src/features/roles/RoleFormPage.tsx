import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import type { Permission, Role } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { SupportText } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { setFlash } from '../../lib/flash.ts';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
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
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (!original) return;
    setName(original.name);
    setSelected(new Set(original.permissions));
  }, [original]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = t('common.fieldRequired', { label: t('roles.name') });
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(formElement);
      setFormError(t('errors.VALIDATION_FAILED'));
      return;
    }
    // Keep the order of GET /api/permissions for a stable payload.
    const keys = (permissions.data ?? []).map((p) => p.key).filter((k) => selected.has(k));
    setSubmitting(true);
    try {
      if (editing) {
        await api.patch(
          `/api/roles/${encodeURIComponent(id)}`,
          original?.builtin ? { permissions: keys } : { name: name.trim(), permissions: keys },
        );
        setFlash(t('roles.updated'));
      } else {
        await api.post('/api/roles', { name: name.trim(), permissions: keys });
        setFlash(t('roles.created'));
      }
      navigate('/roles');
    } catch (error) {
      setErrors(fieldErrors(error));
      setFormError(errorMessage(t, error));
      focusFirstInvalid(formElement);
      window.scrollTo({ top: 0 });
    } finally {
      setSubmitting(false);
    }
  }

  const title = editing ? t('roles.editTitle') : t('roles.newTitle');
  const loadError = permissions.error ?? roles.error;
  if (loadError) {
    return (
      <>
        <PageHeader title={title} />
        <LoadError
          error={loadError}
          onRetry={() => {
            void permissions.reload();
            void roles.reload();
          }}
        />
      </>
    );
  }
  if (!permissions.data || (editing && !roles.data)) {
    return (
      <>
        <PageHeader title={title} />
        <Loading />
      </>
    );
  }
  if (editing && !original) {
    return (
      <>
        <PageHeader title={title} />
        <Alert tone="error">{t('roles.notFound')}</Alert>
      </>
    );
  }

  return (
    <>
      <PageHeader title={title} description={original?.name} />
      <form noValidate onSubmit={onSubmit} className="flex max-w-4xl flex-col gap-6">
        {formError && <Alert tone="error">{formError}</Alert>}
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
          <PermissionGrid permissions={permissions.data} selected={selected} onChange={setSelected} />
        </div>
        <FormActions submitting={submitting} cancelTo="/roles" />
      </form>
    </>
  );
}
