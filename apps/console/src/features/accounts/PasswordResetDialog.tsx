import { useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, fieldErrors, hasCode } from '../../api/errors.ts';
import type { Account } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { PasswordInputWithGenerate } from './PasswordInputWithGenerate.tsx';

type Props = { account: Account | null; onClose: () => void; onDone: (name: string) => void };

/** Admin sets a temporary password; the user must change it at the next sign-in. */
export function PasswordResetDialog({ account, onClose, onDone }: Props) {
  const t = useT();
  return (
    <Dialog
      open={account !== null}
      title={t('accounts.resetTitle', { name: account?.displayName ?? '' })}
      onClose={onClose}
    >
      {account && <ResetForm account={account} onClose={onClose} onDone={onDone} />}
    </Dialog>
  );
}

/** Mounted only while the dialog is open, so its state starts fresh each time. */
function ResetForm({ account, onClose, onDone }: Props & { account: Account }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: (): Record<string, string> =>
      password ? {} : { newPassword: t('common.fieldRequired', { label: t('accounts.tempPassword') }) },
    save: async () => {
      await api.post(`/api/accounts/${encodeURIComponent(account.id)}/password-reset`, {
        newPassword: password,
      });
      onDone(account.displayName);
    },
    serverFieldErrors: (error): Record<string, string> => {
      const weak = hasCode(error, 'WEAK_PASSWORD') ? errorMessage(t, error) : undefined;
      const newPassword = fieldErrors(error).newPassword ?? weak;
      return newPassword ? { newPassword } : {};
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <PasswordInputWithGenerate
        label={t('accounts.tempPassword')}
        hint={t('accounts.tempPasswordHint')}
        value={password}
        onChange={setPassword}
        error={errors.newPassword}
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" disabled={submitting}>
          {submitting ? t('common.saving') : t('accounts.resetSubmit')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
