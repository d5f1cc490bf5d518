import { useState } from 'react';
import type { Role } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { useApi } from '../../lib/useApi.ts';
import { DeleteRoleDialog } from './DeleteRoleDialog.tsx';

export function RolesPage() {
  const t = useT();
  const roles = useApi<Role[]>('/api/roles');
  const initialFlash = useFlash();
  const [message, setMessage] = useState<string | null>(initialFlash);
  const [deleting, setDeleting] = useState<Role | null>(null);

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.lead')}
        actions={
          <LinkButton to="/roles/new" variant="primary">
            {t('roles.add')}
          </LinkButton>
        }
      />
      {message && (
        <Alert tone="success" className="mb-4">
          {message}
        </Alert>
      )}
      {roles.error !== null && <LoadError error={roles.error} onRetry={() => void roles.reload()} />}
      {roles.loading && !roles.data && <Loading />}
      {roles.data && (
        <Table caption={t('roles.title')} hideCaption>
          <thead>
            <tr>
              <Th>{t('roles.name')}</Th>
              <Th>{t('roles.type')}</Th>
              <Th className="text-right">{t('roles.permissionCount')}</Th>
              <Th className="text-right">{t('roles.accountCount')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {roles.data.length === 0 && <EmptyRow colSpan={5}>{t('common.noData')}</EmptyRow>}
            {roles.data.map((role) => (
              <tr key={role.id}>
                <Td className="font-bold">{role.name}</Td>
                <Td>
                  {role.builtin ? (
                    <Badge tone="info">{t('roles.builtin')}</Badge>
                  ) : (
                    <Badge tone="neutral">{t('roles.custom')}</Badge>
                  )}
                </Td>
                <Td className="text-right">{role.permissions.length}</Td>
                <Td className="text-right">{role.accountCount}</Td>
                <Td>
                  <div className="flex flex-wrap gap-2">
                    <LinkButton
                      to={`/roles/${encodeURIComponent(role.id)}/edit`}
                      size="sm"
                      aria-label={`${t('common.edit')}: ${role.name}`}
                    >
                      {t('common.edit')}
                    </LinkButton>
                    {!role.builtin && (
                      <Button
                        variant="secondary"
                        size="sm"
                        aria-label={`${t('common.delete')}: ${role.name}`}
                        onClick={() => setDeleting(role)}
                      >
                        {t('common.delete')}
                      </Button>
                    )}
                  </div>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <DeleteRoleDialog
        role={deleting}
        onClose={() => setDeleting(null)}
        onDone={(name) => {
          setDeleting(null);
          setMessage(t('roles.deleted', { name }));
          void roles.reload(true);
        }}
      />
    </>
  );
}
