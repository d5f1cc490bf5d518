import type { Answers, FormView } from '@madoguchi/contracts/forms.ts';
import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { formatJst } from '../deliveries/time.ts';
import { StaffItemsForm } from '../forms/StaffItemsForm.tsx';
import { answerText } from '../surveys/answerText.ts';
import { type BookingView, reservationsApi, type SlotView } from './api.ts';
import { bookingStatusLabel, slotText } from './labels.ts';

/** 別の枠へ移動: choose another (not cancelled) slot of the calendar; a full one is refused (BOOKING_FULL). */
export function MoveDialog({
  booking,
  slots,
  onClose,
  onSaved,
}: {
  booking: BookingView | null;
  slots: SlotView[];
  onClose: () => void;
  onSaved: (updated: BookingView, message: string) => Promise<void>;
}) {
  const t = useT();
  return (
    <Dialog open={booking !== null} title={t('reservations.bookings.moveTitle')} onClose={onClose}>
      {booking && <MoveForm booking={booking} slots={slots} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function MoveForm({
  booking,
  slots,
  onClose,
  onSaved,
}: {
  booking: BookingView;
  slots: SlotView[];
  onClose: () => void;
  onSaved: (updated: BookingView, message: string) => Promise<void>;
}) {
  const t = useT();
  const [slotId, setSlotId] = useState('');
  const options = slots
    .filter((s) => !s.cancelled && s.id !== booking.slot.id)
    .map((s) => ({
      value: s.id,
      label: t('reservations.bookings.moveOption', {
        slot: slotText(t, s),
        left: formatNumber(Math.max(s.capacity - s.taken, 0)),
      }),
    }));

  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: (): Record<string, string> => (slotId ? {} : { slotId: t('reservations.err.moveSlot') }),
    save: async () => {
      const updated = await reservationsApi.updateBooking(booking.id, { slotId });
      await onSaved(
        updated,
        t('reservations.bookings.moved', {
          who: booking.friend ?? t('reservations.bookings.unknownFriend'),
          slot: slotText(t, updated.slot),
        }),
      );
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <p className="text-std-16N-170">
        {t('reservations.bookings.moveFrom', {
          who: booking.friend ?? t('reservations.bookings.unknownFriend'),
          slot: slotText(t, booking.slot),
          seats: formatNumber(booking.seats),
        })}
      </p>
      <Select
        label={t('reservations.bookings.moveTo')}
        hint={t('reservations.bookings.moveHint')}
        required
        value={slotId}
        onChange={setSlotId}
        placeholder={t('reservations.bookings.choose')}
        options={options}
        error={errors.slotId}
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" disabled={submitting}>
          {t('reservations.bookings.moveSubmit')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** 予約の詳細: when and who, the booking form's answers, and 管理項目 (saved by PATCH staffAnswers). */
export function BookingDetailDialog({
  booking,
  form,
  onClose,
  onSaved,
}: {
  booking: BookingView | null;
  form: Pick<FormView, 'items'>;
  onClose: () => void;
  onSaved: (updated: BookingView) => void;
}) {
  const t = useT();
  return (
    <Dialog open={booking !== null} title={t('reservations.bookings.detailTitle')} onClose={onClose}>
      {booking && <BookingDetail booking={booking} form={form} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function BookingDetail({
  booking,
  form,
  onClose,
  onSaved,
}: {
  booking: BookingView;
  form: Pick<FormView, 'items'>;
  onClose: () => void;
  onSaved: (updated: BookingView) => void;
}) {
  const t = useT();
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const items = form.items.filter((i) => i.type !== 'description');
  const answered = items.filter((i) => !i.config.staffOnly);
  const staffItems = items.filter((i) => i.config.staffOnly && !i.retired);

  async function save(body: { staffAnswers: Answers }, done: string) {
    setMessage('');
    setError(null);
    try {
      onSaved(await reservationsApi.updateBooking(booking.id, body));
      setMessage(done);
      return null;
    } catch (err) {
      setError(errorMessage(t, err));
      return err;
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-std-16N-170">
        <dt className="font-bold">{t('reservations.bookings.col.slot')}</dt>
        <dd>{slotText(t, booking.slot)}</dd>
        <dt className="font-bold">{t('reservations.bookings.col.friend')}</dt>
        <dd>{booking.friend ?? t('reservations.bookings.unknownFriend')}</dd>
        <dt className="font-bold">{t('reservations.bookings.col.seats')}</dt>
        <dd>{formatNumber(booking.seats)}</dd>
        <dt className="font-bold">{t('reservations.bookings.col.status')}</dt>
        <dd>{bookingStatusLabel(t, booking.status)}</dd>
        <dt className="font-bold">{t('reservations.bookings.createdAt')}</dt>
        <dd>{formatJst(booking.createdAt)}</dd>
        {answered.map((item) => {
          const text = answerText(item, booking.answers[item.key]);
          return (
            <div key={item.id} className="contents">
              <dt className="font-bold">{item.label}</dt>
              <dd className="whitespace-pre-wrap break-words">
                {text || <span className="text-solid-gray-600">{t('reservations.bookings.noAnswer')}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
      {staffItems.length > 0 && <StaffItemsForm items={staffItems} answers={booking.answers} save={save} />}
      <p aria-live="polite" className="text-dns-14N-130 text-success-2 empty:hidden">
        {error ? '' : message}
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      <div>
        <Button variant="secondary" onClick={onClose}>
          {t('reservations.bookings.close')}
        </Button>
      </div>
    </div>
  );
}
