import { RESERVATION_LIMITS } from '@madoguchi/contracts/reservations.ts';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { formatNumber } from '../../lib/format.ts';
import { reservationsApi, type SlotView } from './api.ts';
import { slotText } from './labels.ts';

type SlotDialogProps = {
  /** The slot the dialog is open for; null: closed. */
  slot: SlotView | null;
  onClose: () => void;
  /** Called with the message to announce once saved. */
  onDone: (message: string) => Promise<void>;
};

/** 定員を変更: the slot's new capacity (not below the seats taken; the server says so too). */
export function CapacityDialog({ slot, onClose, onDone }: SlotDialogProps) {
  const t = useT();
  return (
    <Dialog open={slot !== null} title={t('reservations.slots.capacityTitle')} onClose={onClose}>
      {slot && <CapacityForm slot={slot} onClose={onClose} onDone={onDone} />}
    </Dialog>
  );
}

function CapacityForm({ slot, onClose, onDone }: SlotDialogProps & { slot: SlotView }) {
  const t = useT();
  const [value, setValue] = useState(String(slot.capacity));
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const n = /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    const next = !(n >= 0 && n <= RESERVATION_LIMITS.capacity)
      ? t('reservations.err.slotCapacity', { max: formatNumber(RESERVATION_LIMITS.capacity) })
      : n < slot.taken
        ? t('reservations.err.belowTaken', { taken: formatNumber(slot.taken) })
        : null;
    setError(next);
    setFormError(null);
    if (next) {
      focusFirstInvalid(form);
      return;
    }
    setSubmitting(true);
    try {
      await reservationsApi.updateSlot(slot.id, { capacity: n });
      await onDone(
        t('reservations.slots.capacitySaved', { slot: slotText(t, slot), capacity: formatNumber(n) }),
      );
    } catch (err) {
      setFormError(errorMessage(t, err));
      setSubmitting(false);
    }
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <p className="text-std-16N-170">{slotText(t, slot)}</p>
      <TextField
        label={t('reservations.field.capacity')}
        hint={t('reservations.slots.capacityHint', { taken: formatNumber(slot.taken) })}
        inputMode="numeric"
        required
        value={value}
        onChange={setValue}
        error={error}
        className="w-48"
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" disabled={submitting}>
          {t('reservations.slots.capacitySave')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** リマインドを送る: a text sent by LINE to everyone booked in the slot. */
export function RemindDialog({ slot, onClose, onDone }: SlotDialogProps) {
  const t = useT();
  return (
    <Dialog open={slot !== null} title={t('reservations.slots.remindTitle')} onClose={onClose}>
      {slot && <RemindForm slot={slot} onClose={onClose} onDone={onDone} />}
    </Dialog>
  );
}

function RemindForm({ slot, onClose, onDone }: SlotDialogProps & { slot: SlotView }) {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const next = !text.trim()
      ? t('common.fieldRequired', { label: t('reservations.slots.remindText') })
      : text.trim().length > 1000
        ? t('reservations.err.remindLong')
        : null;
    setError(next);
    setFormError(null);
    if (next) {
      focusFirstInvalid(form);
      return;
    }
    setSubmitting(true);
    try {
      const { sent } = await reservationsApi.remind(slot.id, text.trim());
      await onDone(
        t('reservations.slots.remindSent', { slot: slotText(t, slot), count: formatNumber(sent) }),
      );
    } catch (err) {
      setFormError(errorMessage(t, err));
      setSubmitting(false);
    }
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <p className="text-std-16N-170">{slotText(t, slot)}</p>
      <TextArea
        label={t('reservations.slots.remindText')}
        hint={t('reservations.slots.remindHint')}
        required
        value={text}
        onChange={setText}
        rows={5}
        maxLength={1000}
        error={error}
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" disabled={submitting}>
          {t('reservations.slots.remindSend')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
