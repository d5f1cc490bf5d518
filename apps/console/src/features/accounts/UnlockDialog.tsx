import { api } from '../../api/client.ts';
import type { Account } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
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
  return (
    <ConfirmDialog
      open={account !== null}
      title={t('accounts.unlockTitle')}
      message={t('accounts.unlockConfirm', { name: account?.displayName ?? '' })}
      confirmLabel={t('accounts.unlock')}
      onClose={onClose}
      onConfirm={async () => {
        if (!account) return;
        await api.post(`/api/accounts/${encodeURIComponent(account.id)}/unlock`);
        onDone(account.displayName);
      }}
    />
  );
}
