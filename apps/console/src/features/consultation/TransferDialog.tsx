import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { ConsultationSummary, Desk } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { isCounselor, type StaffAccount, useStaffAccounts } from './counselors.ts';

type Props = {
  open: boolean;
  consultation: ConsultationSummary;
  desks: Desk[];
  onClose: () => void;
  /** `message`: what happened, for the notice in the chat (転送しました). */
  onDone: (summary: ConsultationSummary, message: string) => void;
};

/**
 * 転送: hand the consultation over to another desk and/or a counselor (POST …/transfer { deskId?, counselorId? }).
 * The counselor field is offered only when the accounts can be read (accounts.view).
 */
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
  const staff = useStaffAccounts();
  const targets = desks.filter((d) => d.id !== consultation.deskId);
  const [deskId, setDeskId] = useState('');
  const [counselorId, setCounselorId] = useState('');

  // Counselors who may work at the destination desk (every counselor when the desk has no assignment).
  const destination = desks.find((d) => d.id === (deskId || consultation.deskId));
  const assigned = destination?.counselorIds ?? [];
  const counselors = staff?.filter(
    (a) =>
      isCounselor(a) &&
      a.id !== consultation.counselorId &&
      (assigned.length === 0 || assigned.includes(a.id) || a.monitors !== false),
  );
  const chosen = counselors?.find((a) => a.id === counselorId);
  const label = (a: StaffAccount) => t('desks.counselorLabel', { name: a.displayName, loginId: a.loginId });

  // One message, at the desk (or, without desks to choose, at the counselor).
  const { errors, formError, submitting, onSubmit, clearError } = useSubmit({
    validate: (): Record<string, string> =>
      deskId || chosen
        ? {}
        : {
            target: counselors
              ? t('consult.transferNeedTarget')
              : t('common.selectRequired', { label: t('consult.transferDesk') }),
          },
    save: async () => {
      const summary = await api.post<ConsultationSummary>(
        `/api/consultations/${encodeURIComponent(consultation.id)}/transfer`,
        { ...(deskId ? { deskId } : {}), ...(chosen ? { counselorId: chosen.id } : {}) },
      );
      const desk = targets.find((d) => d.id === deskId)?.name ?? '';
      onDone(
        summary,
        chosen
          ? deskId
            ? t('consult.transferredBoth', { desk, name: chosen.displayName })
            : t('consult.transferredCounselor', { name: chosen.displayName })
          : t('consult.transferred', { desk }),
      );
    },
  });

  if (targets.length === 0 && !counselors?.length) {
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
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      {targets.length > 0 && (
        <Select
          label={t('consult.transferDesk')}
          hint={counselors ? undefined : t('consult.transferHint')}
          required={!counselors}
          value={deskId}
          onChange={(v) => {
            setDeskId(v);
            if (v) clearError('target');
          }}
          placeholder={counselors ? t('consult.transferSameDesk') : t('common.selectPlaceholder')}
          options={targets.map((d) => ({ value: d.id, label: d.name }))}
          error={errors.target}
        />
      )}
      {counselors && (
        <Select
          label={t('consult.transferCounselor')}
          hint={t('consult.transferCounselorHint')}
          value={chosen?.id ?? ''}
          onChange={(v) => {
            setCounselorId(v);
            if (v) clearError('target');
          }}
          placeholder={t('consult.transferAnyCounselor')}
          options={counselors.map((a) => ({ value: a.id, label: label(a) }))}
          error={targets.length === 0 ? errors.target : null}
        />
      )}
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
