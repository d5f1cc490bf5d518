import { RESERVATION_LIMITS } from '@madoguchi/contracts/reservations.ts';
import { useState } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
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
  const capacity = () => (/^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN);
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: (): Record<string, string> => {
      const n = capacity();
      if (!(n >= 0 && n <= RESERVATION_LIMITS.capacity))
        return {
          capacity: t('reservations.err.slotCapacity', { max: formatNumber(RESERVATION_LIMITS.capacity) }),
        };
      if (n < slot.taken)
        return { capacity: t('reservations.err.belowTaken', { taken: formatNumber(slot.taken) }) };
      return {};
    },
    save: async () => {
      const n = capacity();
      await reservationsApi.updateSlot(slot.id, { capacity: n });
      await onDone(
        t('reservations.slots.capacitySaved', { slot: slotText(t, slot), capacity: formatNumber(n) }),
      );
    },
  });

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
        error={errors.capacity}
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
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: (): Record<string, string> =>
      !text.trim()
        ? { text: t('common.fieldRequired', { label: t('reservations.slots.remindText') }) }
        : text.trim().length > 1000
          ? { text: t('reservations.err.remindLong') }
          : {},
    save: async () => {
      const { sent } = await reservationsApi.remind(slot.id, text.trim());
      await onDone(
        t('reservations.slots.remindSent', { slot: slotText(t, slot), count: formatNumber(sent) }),
      );
    },
  });

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
        error={errors.text}
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
