import type { Answers } from '@madoguchi/contracts/forms.ts';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { errorText } from '../api/error-text.ts';
import { type BookingAccepted, bookingsApi, type PublicCalendar, type PublicSlot } from '../bookings/api.ts';
import { addDays, beforeText, dayText, seatChoices, slotText, tokyoDate } from '../bookings/days.ts';
import { Button } from '../components/Button.tsx';
import { SlotDays } from '../components/bookings/SlotDays.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { ErrorSummary, type FieldError, focusFirstError } from '../components/form/ErrorSummary.tsx';
import { FormFields } from '../components/form/FormFields.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { draftText } from '../form/answer-text.ts';
import { answersOf, type Drafts, draftsOf, type FormItem, shownItems } from '../form/draft.ts';
import { draftErrors, serverFieldErrors, summaryErrors } from '../form/errors.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';
import { bookingsHref } from '../router.ts';
import { useDocumentTitle } from '../site.ts';
import { type PendingSend, requestKeyFor } from '../surveys/saved-draft.ts';

/** Days of slots shown at once. */
const DAYS = 14;
/** The number of people's field: not an item key of the form engine (those have no hyphen). */
const SEATS_KEY = 'booking-seats';

type Step =
  | { kind: 'slots' }
  | { kind: 'form'; slot: PublicSlot; waitlist: boolean }
  | { kind: 'confirm'; slot: PublicSlot; waitlist: boolean }
  | { kind: 'full'; slot: PublicSlot; message: string | null }
  | { kind: 'done'; slot: PublicSlot; seats: number; accepted: BookingAccepted }
  | { kind: 'waitlisted'; slot: PublicSlot; seats: number };

const linkClass =
  'inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2';

/** The number of people as a select item of the form engine, so it looks and reads like the others. */
function seatsItem(label: string, hint: string, max: number, unit: (n: number) => string): FormItem {
  return {
    id: SEATS_KEY,
    key: SEATS_KEY,
    label,
    type: 'select',
    required: true,
    help: hint,
    config: {},
    choices: seatChoices(max).map((n) => ({ id: String(n), label: unit(n), parentId: null })),
  };
}

/**
 * `/citizen/bookings/:calendarId`: one booking calendar (V-01 … V-04). The days with their slots as a
 * list; a chosen slot, the number of people and the booking form, a confirm screen, then the booking,
 * sent once however often a failed send is retried. A full slot offers the waiting list, joined with
 * the same form and confirm screen: the booking a freed seat makes has those answers.
 */
export function BookingPage({
  calendarId,
  channelId,
  liff,
}: {
  calendarId: string;
  channelId: string | null;
  liff: Liff | null;
}) {
  const { t, locale } = useI18n();
  const [calendar, setCalendar] = useState<PublicCalendar | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [from, setFrom] = useState(() => tokyoDate(new Date()));
  const [slots, setSlots] = useState<PublicSlot[] | null>(null);
  const [slotsError, setSlotsError] = useState<unknown>(null);
  const [slotsAttempt, setSlotsAttempt] = useState(0);
  const [step, setStep] = useState<Step>({ kind: 'slots' });
  const [drafts, setDrafts] = useState<Drafts>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<{ message: string; errors: FieldError[] } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<PendingSend | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const sendErrorRef = useRef<HTMLDivElement>(null);
  const today = tokyoDate(new Date());

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    bookingsApi.calendar(calendarId).then(
      (c) => {
        if (!active) return;
        setDrafts({ ...draftsOf(c.form.items, {}), [SEATS_KEY]: '1' });
        setCalendar(c);
      },
      (err: unknown) => {
        console.error('Could not load the booking calendar', err);
        if (active) setLoadError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [calendarId, attempt]);

  // The free seats, read again whenever the list is shown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `slotsAttempt` only re-runs the request.
  useEffect(() => {
    if (step.kind !== 'slots') return;
    let active = true;
    setSlotsError(null);
    bookingsApi.slots(calendarId, from, DAYS).then(
      (list) => active && setSlots(list),
      (err: unknown) => {
        console.error('Could not load the slots', err);
        if (active) setSlotsError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [calendarId, from, step.kind, slotsAttempt]);

  // Each step starts at its heading (a screen reader hears where it is).
  const stepKind = step.kind;
  useEffect(() => {
    if (stepKind !== 'slots') {
      window.scrollTo(0, 0);
      headingRef.current?.focus();
    }
  }, [stepKind]);

  const title =
    step.kind === 'done'
      ? t('booking.doneTitle')
      : step.kind === 'waitlisted'
        ? t('booking.waitlistDone')
        : (calendar?.name ?? t('status.loading'));
  useDocumentTitle(title);

  if (loadError) {
    return (
      <ErrorView
        heading={t('error.title')}
        message={errorText(t, loadError)}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  }
  if (!calendar) return <StatusView message={t('status.loading')} />;

  const items = calendar.form.items;
  const seatCount = Number(drafts[SEATS_KEY] || '1');
  const seatsField = seatsItem(
    t('booking.seats'),
    t('booking.seatsHint', { max: calendar.maxSeatsPerBooking }),
    calendar.maxSeatsPerBooking,
    (n) => t('booking.seatsCount', { n }),
  );
  const canClose = isInLineClient(liff);
  const closeButton = liff && canClose && (
    <Button variant="secondary" onClick={() => liff.closeWindow()}>
      {t('booking.close')}
    </Button>
  );
  const backToList = (
    <p className="pt-4">
      <Link href={bookingsHref(channelId)} className={linkClass}>
        {t('booking.backToList')}
      </Link>
    </p>
  );
  const heading = (text: string) => (
    <h2 ref={headingRef} tabIndex={-1} className="text-std-20B-160 text-solid-gray-900 outline-offset-4">
      {text}
    </h2>
  );
  const chosen = (slot: PublicSlot, withSeats: boolean) => (
    <dl className="flex flex-col gap-1 rounded-8 border border-solid-gray-300 bg-solid-gray-50 p-4">
      <dt className="text-std-16B-170 text-solid-gray-800">{t('booking.what')}</dt>
      <dd className="text-std-17N-170">{calendar.name}</dd>
      <dt className="text-std-16B-170 text-solid-gray-800">{t('booking.when')}</dt>
      <dd className="text-std-17N-170">{slotText(slot, locale)}</dd>
      {withSeats && (
        <>
          <dt className="text-std-16B-170 text-solid-gray-800">{t('booking.seats')}</dt>
          <dd className="text-std-17N-170">{t('booking.seatsCount', { n: seatCount })}</dd>
        </>
      )}
    </dl>
  );
  const clearErrors = () => {
    setErrors({});
    setSummary(null);
    setSendError(null);
  };
  const toSlots = () => {
    clearErrors();
    setStep({ kind: 'slots' });
  };

  const choose = (slot: PublicSlot) => {
    clearErrors();
    setStep(slot.left > 0 ? { kind: 'form', slot, waitlist: false } : { kind: 'full', slot, message: null });
  };

  // The number of people first, then the booking form's items: one set of fields, checks and errors.
  const fields = [seatsField, ...items];
  const showSummary = (message: string, fieldErrors: Record<string, string>) => {
    setErrors(fieldErrors);
    setSummary({ message, errors: summaryErrors(fields, drafts, fieldErrors) });
  };

  const onToConfirm = (event: FormEvent) => {
    event.preventDefault();
    const found = draftErrors(t, fields, drafts);
    const count = Object.keys(found).length;
    if (count > 0) {
      showSummary(t('form.errorSummary', { count }), found);
      focusFirstError(formRef.current);
      return;
    }
    clearErrors();
    if (step.kind === 'form') setStep({ kind: 'confirm', slot: step.slot, waitlist: step.waitlist });
  };

  const send = async (slot: PublicSlot) => {
    if (busy) return;
    const answers: Answers = answersOf(items, drafts);
    const body = { slotId: slot.id, seats: seatCount, answers };
    // The same booking sent again (after a failure) keeps its request key: booked once.
    const key = requestKeyFor(pending.current, JSON.stringify(body));
    pending.current = key;
    setBusy(true);
    setSendError(null);
    try {
      const accepted = await bookingsApi.book({ ...body, requestKey: key.requestKey });
      pending.current = null;
      clearErrors();
      setStep({ kind: 'done', slot, seats: seatCount, accepted });
    } catch (err) {
      console.error('Could not book', err);
      refused(err, slot, false);
    } finally {
      setBusy(false);
    }
  };

  /** A refused booking or waiting-list entry: back to the form with the fields' messages, or said here. */
  const refused = (err: unknown, slot: PublicSlot, waitlist: boolean) => {
    const code = err instanceof ApiError ? err.code : null;
    const fieldErrors =
      code === 'BOOKING_TOO_MANY_SEATS' ? { [SEATS_KEY]: errorText(t, err) } : serverFieldErrors(err);
    const n = Object.keys(fieldErrors).length;
    if (n > 0) {
      // Back to the form, the server's messages at their fields.
      setStep({ kind: 'form', slot, waitlist });
      showSummary(t('form.errorSummary', { count: n }), fieldErrors);
      focusFirstError(formRef.current);
    } else if (code === 'BOOKING_FULL') {
      setStep({ kind: 'full', slot, message: errorText(t, err) });
    } else {
      setSendError(code === 'NETWORK' ? t('booking.sendFailedNetwork') : errorText(t, err));
      requestAnimationFrame(() => sendErrorRef.current?.focus());
    }
  };

  const joinWaitlist = async (slot: PublicSlot) => {
    if (busy) return;
    setBusy(true);
    setSendError(null);
    try {
      await bookingsApi.waitlist(slot.id, { seats: seatCount, answers: answersOf(items, drafts) });
      clearErrors();
      setStep({ kind: 'waitlisted', slot, seats: seatCount });
    } catch (err) {
      console.error('Could not join the waiting list', err);
      refused(err, slot, true);
    } finally {
      setBusy(false);
    }
  };

  const sendErrorBox = sendError && (
    <div
      ref={sendErrorRef}
      tabIndex={-1}
      role="alert"
      className="rounded-8 border-2 border-error-1 bg-red-50 p-4 text-std-17B-170 text-solid-gray-900 outline-offset-4"
    >
      {sendError}
    </div>
  );

  if (step.kind === 'done' || step.kind === 'waitlisted') {
    const done = step.kind === 'done';
    return (
      <section aria-labelledby="booking-done" className="flex flex-col gap-5 py-6">
        <div
          role="status"
          className="flex flex-col gap-3 rounded-12 border-2 border-success-1 bg-green-50 p-4"
        >
          <h1
            id="booking-done"
            ref={headingRef}
            tabIndex={-1}
            className="text-std-24B-150 text-solid-gray-900 outline-offset-4"
          >
            {done ? t('booking.doneTitle') : t('booking.waitlistDone')}
          </h1>
          <dl className="flex flex-col gap-1">
            <dt className="text-std-16B-170 text-solid-gray-800">{t('booking.what')}</dt>
            <dd className="text-std-17N-170">{calendar.name}</dd>
            <dt className="text-std-16B-170 text-solid-gray-800">{t('booking.when')}</dt>
            <dd className="text-std-17N-170">{slotText(step.slot, locale)}</dd>
            <dt className="text-std-16B-170 text-solid-gray-800">{t('booking.seats')}</dt>
            <dd className="text-std-17N-170">{t('booking.seatsCount', { n: step.seats })}</dd>
          </dl>
          <p className="text-std-17N-170">{done ? t('booking.doneBody') : t('booking.waitlistDoneBody')}</p>
        </div>
        <p>
          <Link href={bookingsHref(channelId)} className={linkClass}>
            {t('booking.toMine')}
          </Link>
        </p>
        {closeButton}
      </section>
    );
  }

  const about = (
    <div className="flex flex-col gap-3">
      <p className="text-std-16B-170 text-solid-gray-700">{calendar.category}</p>
      <h1 className="-mt-2 text-std-24B-150 text-solid-gray-900">{calendar.name}</h1>
      {calendar.description && <p className="whitespace-pre-line text-std-17N-170">{calendar.description}</p>}
      {(calendar.bookingCutoffMinutes > 0 || calendar.cancelCutoffMinutes > 0) && (
        <p className="text-std-16N-170 text-solid-gray-700">
          {t('booking.cutoffNote', {
            minutes: beforeText(calendar.bookingCutoffMinutes, locale === 'en' ? 'en' : 'ja'),
            cancel: beforeText(calendar.cancelCutoffMinutes, locale === 'en' ? 'en' : 'ja'),
          })}
        </p>
      )}
    </div>
  );

  let body: ReactNode;
  if (step.kind === 'slots') {
    const last = addDays(from, DAYS - 1);
    body = (
      <section aria-labelledby="booking-slots" className="flex flex-col gap-4">
        <h2 id="booking-slots" className="text-std-20B-160 text-solid-gray-900">
          {t('booking.slotsHeading')}
        </h2>
        <p className="text-std-16N-170 text-solid-gray-700">
          {t('booking.slotsLead')}{' '}
          {t('booking.range', { from: dayText(from, locale), to: dayText(last, locale) })}
        </p>
        {slotsError ? (
          <div className="flex flex-col gap-3">
            <p role="alert" className="text-std-17N-170 text-error-1">
              {errorText(t, slotsError)}
            </p>
            <Button variant="secondary" onClick={() => setSlotsAttempt((n) => n + 1)}>
              {t('error.retry')}
            </Button>
          </div>
        ) : slots === null ? (
          <p role="status" className="text-std-16N-170 text-solid-gray-700">
            {t('booking.slotsLoading')}
          </p>
        ) : slots.length === 0 ? (
          <p className="text-std-17N-170">{t('booking.slotsNone')}</p>
        ) : (
          <SlotDays slots={slots} onChoose={choose} />
        )}
        <div className="flex gap-3">
          {from > today && (
            <Button
              variant="secondary"
              onClick={() => {
                setSlots(null);
                setFrom((f) => (addDays(f, -DAYS) < today ? today : addDays(f, -DAYS)));
              }}
            >
              {t('booking.earlier')}
            </Button>
          )}
          <Button
            variant="secondary"
            onClick={() => {
              setSlots(null);
              setFrom((f) => addDays(f, DAYS));
            }}
          >
            {t('booking.later')}
          </Button>
        </div>
      </section>
    );
  } else if (step.kind === 'full') {
    body = (
      <section className="flex flex-col gap-5">
        {heading(t('booking.full.title'))}
        {chosen(step.slot, false)}
        <div
          role="alert"
          className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 p-4 text-std-17N-170 text-solid-gray-900"
        >
          {step.message ?? t('booking.full.body')}
        </div>
        <Button
          onClick={() => {
            clearErrors();
            setStep({ kind: 'form', slot: step.slot, waitlist: true });
          }}
        >
          {t('booking.waitlist')}
        </Button>
        <Button variant="secondary" onClick={toSlots}>
          {t('booking.otherSlot')}
        </Button>
      </section>
    );
  } else if (step.kind === 'form') {
    body = (
      <form
        ref={formRef}
        noValidate
        onSubmit={onToConfirm}
        aria-labelledby="booking-form-heading"
        className="flex flex-col gap-7"
      >
        <div className="flex flex-col gap-3">
          <h2
            id="booking-form-heading"
            ref={headingRef}
            tabIndex={-1}
            className="text-std-20B-160 text-solid-gray-900 outline-offset-4"
          >
            {t('booking.formHeading')}
          </h2>
          {chosen(step.slot, false)}
          <p>
            <button type="button" onClick={toSlots} className={linkClass}>
              {t('booking.changeSlot')}
            </button>
          </p>
          {step.waitlist && <p className="text-std-17N-170">{t('booking.waitlistFormLead')}</p>}
          <p className="text-std-16N-170 text-solid-gray-700">{t('booking.leadRequired')}</p>
        </div>
        {summary && (
          <div ref={summaryRef} tabIndex={-1} className="outline-offset-4">
            <ErrorSummary message={summary.message} errors={summary.errors} />
          </div>
        )}
        <FormFields items={fields} drafts={drafts} setDrafts={setDrafts} errors={errors} />
        <Button type="submit">{t('booking.toConfirm')}</Button>
      </form>
    );
  } else {
    const { slot, waitlist } = step;
    body = (
      <section className="flex flex-col gap-5">
        {heading(t(waitlist ? 'booking.waitlistConfirmHeading' : 'booking.confirmHeading'))}
        <p className="text-std-17N-170">
          {t(waitlist ? 'booking.waitlistConfirmLead' : 'booking.confirmLead')}
        </p>
        {chosen(slot, true)}
        {shownItems(items, drafts).some((i) => i.type !== 'description') && (
          <dl className="flex flex-col gap-1 rounded-8 border border-solid-gray-300 p-4">
            {shownItems(items, drafts)
              .filter((i) => i.type !== 'description')
              .map((i) => (
                <div key={i.key} className="flex flex-col">
                  <dt className="text-std-16B-170 text-solid-gray-800">{i.label}</dt>
                  <dd className="whitespace-pre-line text-std-17N-170">
                    {draftText(i, drafts[i.key]) ?? t('booking.unanswered')}
                  </dd>
                </div>
              ))}
          </dl>
        )}
        {sendErrorBox}
        {waitlist ? (
          <Button disabled={busy} onClick={() => void joinWaitlist(slot)}>
            {busy ? t('booking.waitlistSending') : t('booking.waitlist')}
          </Button>
        ) : (
          <Button disabled={busy} onClick={() => void send(slot)}>
            {busy ? t('booking.sending') : t('booking.submit')}
          </Button>
        )}
        <Button
          variant="secondary"
          disabled={busy}
          onClick={() => {
            clearErrors();
            setStep({ kind: 'form', slot, waitlist });
          }}
        >
          {t('booking.edit')}
        </Button>
      </section>
    );
  }

  return (
    <>
      {backToList}
      <div className="flex flex-col gap-7 pt-2 pb-6">
        {about}
        {body}
        {closeButton}
      </div>
    </>
  );
}
