import { useState } from 'react';
import { api } from '../api/client.ts';
import { errorMessage, fieldErrors, hasCode } from '../api/errors.ts';
import { Alert } from '../components/Alert.tsx';
import { Button } from '../components/Button.tsx';
import { TextField } from '../components/TextField.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useSubmit } from '../lib/useFormSubmit.ts';

/** POST /api/session/password. Used by アカウント設定 and by the forced change after login. */
export function PasswordChangeForm({ onChanged }: { onChanged: () => Promise<void> | void }) {
  const t = useT();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      if (!currentPassword)
        next.currentPassword = t('common.fieldRequired', { label: t('password.current') });
      if (!newPassword) next.newPassword = t('common.fieldRequired', { label: t('password.new') });
      if (!confirm) next.confirm = t('common.fieldRequired', { label: t('password.confirm') });
      else if (newPassword !== confirm) next.confirm = t('password.mismatch');
      return next;
    },
    save: async () => {
      setDone(false);
      await api.post('/api/session/password', { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
      setDone(true);
      await onChanged();
    },
    // A wrong current password or a weak new one: said at that field too.
    serverFieldErrors: (error) =>
      hasCode(error, 'INVALID_CREDENTIALS')
        ? { currentPassword: t('errors.currentPasswordWrong') }
        : hasCode(error, 'WEAK_PASSWORD')
          ? { newPassword: errorMessage(t, error) }
          : fieldErrors(error),
    messages: { INVALID_CREDENTIALS: 'errors.currentPasswordWrong' },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex max-w-xl flex-col gap-5">
      {done && !formError && <Alert tone="success">{t('password.changed')}</Alert>}
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
