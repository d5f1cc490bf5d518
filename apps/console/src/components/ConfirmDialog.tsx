import { type ReactNode, useState } from 'react';
import { errorMessage } from '../api/errors.ts';
import { useT } from '../i18n/i18n.tsx';
import { Alert } from './Alert.tsx';
import { Button, type ButtonVariant } from './Button.tsx';
import { Dialog } from './Dialog.tsx';

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonVariant;
  /** Performs the action; a thrown error is shown inside the dialog. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
};

/** "Are you sure?" dialog for one action (unlock, delete…). */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      {props.open && <ConfirmBody {...props} />}
    </Dialog>
  );
}

function ConfirmBody({
  message,
  confirmLabel,
  confirmVariant = 'primary',
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function confirm() {
    setSubmitting(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(errorMessage(t, err));
      setSubmitting(false);
    }
  }

  return (
    <>
      {error && <Alert tone="error">{error}</Alert>}
      <p className="text-std-16N-170">{message}</p>
      <div className="flex flex-wrap gap-4">
        <Button variant={confirmVariant} disabled={submitting} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </>
  );
}
