import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { Button } from './Button.tsx';

/**
 * The 編集 and 削除 buttons at the end of a table row whose edit opens a dialog; each names its row
 * for screen readers (`editLabel`, `removeLabel`: e.g. 「道路」を編集). Buttons of the row's own go
 * before them (`children`).
 */
export function RowActions({
  editLabel,
  removeLabel,
  onEdit,
  onRemove,
  children,
}: {
  editLabel: string;
  removeLabel: string;
  onEdit: () => void;
  onRemove: () => void;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <span className="flex flex-wrap gap-2">
      {children}
      <Button size="sm" variant="secondary" aria-label={editLabel} onClick={onEdit}>
        {t('common.edit')}
      </Button>
      <Button size="sm" variant="tertiary" aria-label={removeLabel} onClick={onRemove}>
        {t('common.delete')}
      </Button>
    </span>
  );
}
