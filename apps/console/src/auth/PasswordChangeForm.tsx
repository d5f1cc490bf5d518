import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import { errorMessage, fieldErrors } from '../api/errors.ts';
import { Alert } from '../components/Alert.tsx';
import { Button } from '../components/Button.tsx';
import { TextField } from '../components/TextField.tsx';
import { useT } from '../i18n/i18n.tsx';
import { focusFirstInvalid } from '../lib/focus.ts';

type Errors = { currentPassword?: string; newPassword?: string; confirm?: string };

/** POST /api/session/password. Used by アカウント設定 and by the forced change after login. */
export function PasswordChangeForm({ onChanged }: { onChanged: () => Promise<void> | void }) {
  const t = useT();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const next: Errors = {};
    if (!currentPassword) next.currentPassword = t('common.fieldRequired', { label: t('password.current') });
    if (!newPassword) next.newPassword = t('common.fieldRequired', { label: t('password.new') });
    if (!confirm) next.confirm = t('common.fieldRequired', { label: t('password.confirm') });
    else if (newPassword !== confirm) next.confirm = t('password.mismatch');
    setErrors(next);
    setFormError(null);
    setDone(false);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(formElement);
      return;
    }

    setSubmitting(true);
    try {
      await api.post('/api/session/password', { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
      setDone(true);
      await onChanged();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
        setErrors({ currentPassword: t('errors.currentPasswordWrong') });
      } else if (error instanceof ApiError && error.code === 'WEAK_PASSWORD') {
        setErrors({ newPassword: errorMessage(t, error) });
      } else {
        setErrors(fieldErrors(error));
        setFormError(errorMessage(t, error));
        focusFirstInvalid(formElement);
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex max-w-xl flex-col gap-5">
      {done && <Alert tone="success">{t('password.changed')}</Alert>}
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('password.current')}
        type="password"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={setCurrentPassword}
        error={errors.currentPassword}
      />
      <TextField
        label={t('password.new')}
        hint={t('password.hint')}
        type="password"
        autoComplete="new-password"
        required
        value={newPassword}
        onChange={setNewPassword}
        error={errors.newPassword}
      />
      <TextField
        label={t('password.confirm')}
        hint={t('password.confirmHint')}
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={setConfirm}
        error={errors.confirm}
      />
      <div>
        <Button type="submit" disabled={submitting}>
          {submitting ? t('common.saving') : t('password.submit')}
        </Button>
      </div>
    </form>
  );
}
