import { useState } from 'react';
import type { Account } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { PasswordResetDialog } from './PasswordResetDialog.tsx';
import { UnlockDialog } from './UnlockDialog.tsx';

export function AccountsPage() {
  const t = useT();
  const can = useCan();
  const manage = can('accounts.manage');
  const accounts = useApi<Account[]>('/api/accounts');
  const initialFlash = useFlash();
  const [message, setMessage] = useState<string | null>(initialFlash);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [unlocking, setUnlocking] = useState<Account | null>(null);

  function state(account: Account) {
    if (account.disabled) return <Badge tone="neutral">{t('accounts.disabled')}</Badge>;
    if (!account.locked) return <Badge tone="success">{t('accounts.active')}</Badge>;
    return (
      <div className="flex flex-col items-start gap-1 whitespace-nowrap">
        <Badge tone="danger">{t('accounts.locked')}</Badge>
        {account.lockedUntil && (
          <span className="text-dns-14N-130 text-solid-gray-700">
            {t('accounts.lockedUntil', { time: formatDateTimeMinutes(account.lockedUntil) })}
          </span>
        )}
        {manage && (
          <Button
            variant="secondary"
            size="sm"
            aria-label={`${t('accounts.unlock')}: ${account.displayName}`}
            onClick={() => setUnlocking(account)}
          >
            {t('accounts.unlock')}
          </Button>
        )}
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title={t('accounts.title')}
        description={t('accounts.lead')}
        actions={
          manage && (
            <LinkButton to="/accounts/new" variant="primary">
              {t('accounts.add')}
            </LinkButton>
          )
        }
      />
      {message && (
        <Alert tone="success" className="mb-4">
          {message}
        </Alert>
      )}
      {accounts.error !== null && <LoadError error={accounts.error} onRetry={() => void accounts.reload()} />}
      {accounts.loading && !accounts.data && <Loading />}
      {accounts.data && (
        <>
          <p className="mb-2 text-dns-16N-130 text-solid-gray-700">
            {t('common.count', { count: accounts.data.length })}
          </p>
          <Table caption={t('accounts.title')} hideCaption>
            <thead>
              <tr>
                <Th>{t('accounts.loginId')}</Th>
                <Th>{t('accounts.displayName')}</Th>
                <Th>{t('accounts.role')}</Th>
                <Th>{t('accounts.state')}</Th>
                <Th>{t('accounts.totp')}</Th>
                <Th>{t('accounts.lastLogin')}</Th>
                {manage && <Th>{t('common.actions')}</Th>}
              </tr>
            </thead>
            <tbody>
              {accounts.data.length === 0 && (
                <EmptyRow colSpan={manage ? 7 : 6}>{t('common.noData')}</EmptyRow>
              )}
              {accounts.data.map((account) => (
                <tr key={account.id}>
                  <Td className="font-mono">{account.loginId}</Td>
                  <Td className="whitespace-nowrap">{account.displayName}</Td>
                  <Td className="whitespace-nowrap">{account.roleName}</Td>
                  <Td>{state(account)}</Td>
                  <Td>{account.totpEnabled ? t('accounts.totpOn') : t('accounts.totpOff')}</Td>
                  <Td className="whitespace-nowrap">
                    {formatDateTimeMinutes(account.lastLoginAt, t('accounts.never'))}
                  </Td>
                  {manage && (
                    <Td>
                      <div className="flex gap-2 whitespace-nowrap">
                        <LinkButton
                          to={`/accounts/${encodeURIComponent(account.id)}/edit`}
                          size="sm"
                          aria-label={`${t('common.edit')}: ${account.displayName}`}
                        >
                          {t('common.edit')}
                        </LinkButton>
                        <Button
                          variant="secondary"
                          size="sm"
                          aria-label={`${t('accounts.resetPassword')}: ${account.displayName}`}
                          onClick={() => setResetting(account)}
                        >
                          {t('accounts.resetPassword')}
                        </Button>
                      </div>
                    </Td>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
      <PasswordResetDialog
        account={resetting}
        onClose={() => setResetting(null)}
        onDone={(name) => {
          setResetting(null);
          setMessage(t('accounts.resetDone', { name }));
          void accounts.reload(true);
        }}
      />
      <UnlockDialog
        account={unlocking}
        onClose={() => setUnlocking(null)}
        onDone={(name) => {
          setUnlocking(null);
          setMessage(t('accounts.unlocked', { name }));
          void accounts.reload(true);
        }}
      />
    </>
  );
}
