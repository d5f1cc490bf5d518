import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, fieldErrors, hasCode } from '../../api/errors.ts';
import type { Account } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
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
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    if (!password) {
      setError(t('common.fieldRequired', { label: t('accounts.tempPassword') }));
      focusFirstInvalid(formElement);
      return;
    }
    setSubmitting(true);
    setError(null);
    setFormError(null);
    try {
      await api.post(`/api/accounts/${encodeURIComponent(account.id)}/password-reset`, {
        newPassword: password,
      });
      onDone(account.displayName);
    } catch (err) {
      const fields = fieldErrors(err);
      if (fields.newPassword || hasCode(err, 'WEAK_PASSWORD')) {
        setError(fields.newPassword ?? errorMessage(t, err));
        focusFirstInvalid(formElement);
      } else setFormError(errorMessage(t, err));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <PasswordInputWithGenerate
        label={t('accounts.tempPassword')}
        hint={t('accounts.tempPasswordHint')}
        value={password}
        onChange={setPassword}
        error={error}
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
