import { useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import type { ConsultationSummary } from '../../api/types.ts';
import { useCan, useSession } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { applySummary, loadDesks, newClientId, useDesks } from './live.ts';

type Props = {
  open: boolean;
  consulteeId: string;
  /** Preselected desk (the consultation's), when it can be chosen. */
  deskId: string | undefined;
  /** Desk of the consultation on screen while it is still open: the message would land in it, so it is left out. */
  openDeskId: string | null;
  onClose: () => void;
};

/**
 * この相談者に話しかける (C-07): POST /api/consultations/outreach { consulteeId, deskId, text, clientId },
 * then opens the new (or the consultee's open) consultation. The clientId stays the same while the dialog
 * is open, so sending again after an error cannot post the message twice.
 */
export function OutreachDialog(props: Props) {
  const t = useT();
  return (
    <Dialog open={props.open} title={t('consult.outreach')} onClose={props.onClose}>
      {props.open && <OutreachForm {...props} />}
    </Dialog>
  );
}

function OutreachForm({ consulteeId, deskId: preferred, openDeskId, onClose }: Props) {
  const t = useT();
  const can = useCan();
  const { account } = useSession();
  const desks = useDesks();
  const clientId = useRef(newClientId());
  const [picked, setPicked] = useState<string | null>(null);
  const [text, setText] = useState('');
  const { errors, formError, submitting, onSubmit, clearError } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      if (!deskId) next.desk = t('common.selectRequired', { label: t('consult.outreachDesk') });
      if (!text.trim()) next.text = t('common.fieldRequired', { label: t('consult.outreachMessage') });
      return next;
    },
    save: async () => {
      const summary = await api.post<ConsultationSummary>('/api/consultations/outreach', {
        consulteeId,
        deskId,
        text,
        clientId: clientId.current,
      });
      applySummary(summary);
      onClose();
      navigate(`/consultations/${encodeURIComponent(summary.id)}`);
    },
    messages: { ALREADY_ASSIGNED: 'consult.outreachAlreadyAssigned' },
  });

  if (desks.error !== null && !desks.data)
    return <LoadError error={desks.error} onRetry={() => void loadDesks(true)} />;
  if (!desks.data) return <Loading />;

  // Desks this account works at (all for supervisors), without the desk of the open consultation.
  const monitor = can('consultation.monitor');
  const choices = desks.data.filter(
    (d) =>
      d.id !== openDeskId && (monitor || d.counselorIds.length === 0 || d.counselorIds.includes(account.id)),
  );
  const openDesk = desks.data.find((d) => d.id === openDeskId);
  const deskId =
    picked ??
    (choices.some((d) => d.id === preferred)
      ? (preferred ?? '')
      : choices.length === 1
        ? (choices[0]?.id ?? '')
        : '');

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      <p className="text-std-16N-170">{t('consult.outreachLead')}</p>
      {formError && <Alert tone="error">{formError}</Alert>}
      {choices.length === 0 ? (
        <p className="text-std-16B-170">{t('consult.outreachNoDesks')}</p>
      ) : (
        <>
          <Select
            label={t('consult.outreachDesk')}
            hint={
              <>
                {t('consult.outreachDeskHint')}
                {openDesk && (
                  <span className="block">{t('consult.outreachOpenDesk', { desk: openDesk.name })}</span>
                )}
              </>
            }
            required
            value={deskId}
            onChange={(v) => {
              setPicked(v);
              if (v) clearError('desk');
            }}
            placeholder={t('common.selectPlaceholder')}
            options={choices.map((d) => ({ value: d.id, label: d.name }))}
            error={errors.desk}
          />
          <TextArea
            label={t('consult.outreachMessage')}
            required
            rows={5}
            value={text}
            onChange={(v) => {
              setText(v);
              if (v.trim()) clearError('text');
            }}
            error={errors.text}
          />
        </>
      )}
      <div className="flex flex-wrap gap-4">
        {choices.length > 0 && (
          <Button type="submit" disabled={submitting}>
            {t('consult.outreachSubmit')}
          </Button>
        )}
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
