import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useT } from '../../i18n/i18n.tsx';

export function DeleteRoleDialog({
  role,
  onClose,
  onDone,
}: {
  role: Role | null;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const t = useT();
  return (
    <ConfirmDialog
      open={role !== null}
      title={t('roles.deleteTitle')}
      message={t('roles.deleteConfirm', { name: role?.name ?? '' })}
      confirmLabel={t('common.delete')}
      confirmVariant="danger"
      onClose={onClose}
      onConfirm={async () => {
        if (!role) return;
        await api.delete(`/api/roles/${encodeURIComponent(role.id)}`);
        onDone(role.name);
      }}
    />
  );
}
