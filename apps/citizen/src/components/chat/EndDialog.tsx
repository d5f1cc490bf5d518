import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../Button.tsx';

/** "相談を終えますか？": a modal <dialog> (focus stays inside, Esc cancels). */
export function EndDialog({
  open,
  pendingCount,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  pendingCount: number;
  onCancel: () => void;
  /** Resolves when ended; rejects to show the error and stay open. */
  onConfirm: () => Promise<void>;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setFailed(false);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const confirm = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await onConfirm();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-12 border border-solid-gray-300 bg-white p-6 text-solid-gray-900 backdrop:bg-black/50"
    >
      <h2 id={`${id}-title`} className="text-std-20B-160">
        {t('consult.endConfirmTitle')}
      </h2>
      <div id={`${id}-body`} className="mt-2 flex flex-col gap-2 text-std-16N-170">
        <p>{t('consult.endConfirmBody')}</p>
        {pendingCount > 0 && <p className="font-bold">{t('consult.endPending')}</p>}
      </div>
      {failed && (
        <p role="alert" className="mt-3 rounded-8 border-2 border-error-2 bg-red-50 p-3 text-std-16N-170">
          {t('consult.endFailed')}
        </p>
      )}
      <div className="mt-6 flex flex-col-reverse gap-3 sm:flex-row">
        <Button variant="secondary" onClick={onCancel} disabled={busy}>
          {t('consult.endCancel')}
        </Button>
        <Button onClick={confirm} disabled={busy} aria-busy={busy || undefined}>
          {t('consult.endConfirm')}
        </Button>
      </div>
    </dialog>
  );
}
