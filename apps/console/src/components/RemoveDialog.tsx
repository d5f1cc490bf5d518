import { useT } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/ja.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** 「…を削除」 for a row: asks, removes it, closes, then reports it done (`done` gets its name). */
export function RemoveDialog<T>({
  item,
  name,
  title,
  message,
  remove,
  done,
  onClose,
}: {
  item: T | null;
  name: (item: T) => string;
  title: MessageKey;
  message: MessageKey;
  remove: (item: T) => Promise<unknown>;
  done: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <ConfirmDialog
      open={item !== null}
      title={item ? t(title, { name: name(item) }) : ''}
      message={item ? t(message, { name: name(item) }) : ''}
      confirmLabel={t('common.delete')}
      confirmVariant="danger"
      onConfirm={async () => {
        if (!item) return;
        await remove(item);
        onClose();
        await done(name(item));
      }}
      onClose={onClose}
    />
  );
}
