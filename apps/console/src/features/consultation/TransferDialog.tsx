import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { ConsultationSummary, Desk } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';

type Props = {
  open: boolean;
  consultation: ConsultationSummary;
  desks: Desk[];
  onClose: () => void;
  onDone: (summary: ConsultationSummary, deskName: string) => void;
};

/** 転送: hand the consultation over to another desk (POST …/transfer { deskId }). */
export function TransferDialog(props: Props) {
  const t = useT();
  return (
    <Dialog open={props.open} title={t('consult.transferTitle')} onClose={props.onClose}>
      {props.open && <TransferForm {...props} />}
    </Dialog>
  );
}

function TransferForm({ consultation, desks, onClose, onDone }: Props) {
  const t = useT();
  const targets = desks.filter((d) => d.id !== consultation.deskId);
  const [deskId, setDeskId] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!deskId) {
      setFieldError(t('common.selectRequired', { label: t('consult.transferDesk') }));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const summary = await api.post<ConsultationSummary>(
        `/api/consultations/${encodeURIComponent(consultation.id)}/transfer`,
        { deskId },
      );
      onDone(summary, targets.find((d) => d.id === deskId)?.name ?? '');
    } catch (err) {
      setError(errorMessage(t, err));
      setSubmitting(false);
    }
  }

  if (targets.length === 0) {
    return (
      <>
        <p className="text-std-16N-170">{t('consult.transferNoDesks')}</p>
        <div>
          <Button variant="secondary" onClick={onClose}>
            {t('common.close')}
          </Button>
        </div>
      </>
    );
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-5">
      {error && <Alert tone="error">{error}</Alert>}
      <Select
        label={t('consult.transferDesk')}
        hint={t('consult.transferHint')}
        required
        value={deskId}
        onChange={(v) => {
          setDeskId(v);
          if (v) setFieldError(null);
        }}
        placeholder={t('common.selectPlaceholder')}
        options={targets.map((d) => ({ value: d.id, label: d.name }))}
        error={fieldError}
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" disabled={submitting}>
          {t('consult.transferSubmit')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
