import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { Account } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useT } from '../../i18n/i18n.tsx';

export function UnlockDialog({
  account,
  onClose,
  onDone,
}: {
  account: Account | null;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => setError(null), [account]);

  async function unlock() {
    if (!account) return;
    setSubmitting(true);
    setError(null);
    try {
      await api.post(`/api/accounts/${encodeURIComponent(account.id)}/unlock`);
      onDone(account.displayName);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Dialog open={account !== null} title={t('accounts.unlockTitle')} onClose={onClose}>
      {error && <Alert tone="error">{error}</Alert>}
      <p className="text-std-16N-170">{t('accounts.unlockConfirm', { name: account?.displayName ?? '' })}</p>
      <div className="flex flex-wrap gap-4">
        <Button disabled={submitting} onClick={() => void unlock()}>
          {t('accounts.unlock')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </Dialog>
  );
}
