import { BOOKING_STATUSES, type BookingStatus } from '@madoguchi/contracts/reservations.ts';
import { type FormEvent, useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Button, buttonClass, LinkButton } from '../../components/Button.tsx';
import { controlClass } from '../../components/Field.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { formatNumber } from '../../lib/format.ts';
import { PeriodFields } from '../../lib/PeriodFields.tsx';
import type { PeriodErrors } from '../../lib/period.ts';
import { useApi } from '../../lib/useApi.ts';
import { addDays, jstToIso, todayJst } from '../deliveries/time.ts';
import {
  type BookingFilter,
  type BookingPage,
  type BookingView,
  bookingsExportHref,
  type CalendarView,
  calendarPath,
  reservationsApi,
  type SlotView,
  slotsPath,
} from './api.ts';
import { BookingDetailDialog, MoveDialog } from './BookingDialogs.tsx';
import { bookingStatusLabel, calendarsListPath, editorPath, slotsPagePath, slotText } from './labels.ts';

type FilterForm = { slotId: string; status: BookingStatus | ''; from: string; to: string };
const EMPTY_FILTER: FilterForm = { slotId: '', status: '', from: '', to: '' };

/** The slots offered by the slot filter and the move dialog: from a month ago, for three months. */
const SLOT_RANGE_BACK = 30;
const SLOT_RANGE_DAYS = 92;

/** The filter as the API takes it: Tokyo days → instants (the end day included). */
function filterOf(f: FilterForm): BookingFilter {
  const end = f.to ? jstToIso(addDays(f.to, 1), '00:00') : null;
  return {
    slotId: f.slotId || undefined,
    status: f.status || undefined,
    from: (f.from && jstToIso(f.from, '00:00')) || undefined,
    to: end ? new Date(Date.parse(end) - 1).toISOString() : undefined,
  };
}

type Dialog = { kind: 'move' | 'detail'; booking: BookingView } | null;
type Pages = Omit<BookingPage, 'items'> & { items: BookingView[] };

/**
 * 予約一覧 (#/reservations/:id/bookings, V-03 … V-05): the calendar's bookings by slot, status and
 * period; each booking's status (saved at once), a move to another slot, its answers and 管理項目, and
 * the CSV / Excel export with the filters applied (every booking). The list comes a page at a time
 * (「さらに表示」 asks for the next), as the reports list does.
 */
export function BookingsPage({ id }: { id: string }) {
  const t = useT();
  const can = useCan();
  const calendar = useApi<CalendarView>(calendarPath(id));
  const [slotsFrom] = useState(() => addDays(todayJst(), -SLOT_RANGE_BACK));
  const slots = useApi<SlotView[]>(slotsPath(id, slotsFrom, SLOT_RANGE_DAYS));
  const [draft, setDraft] = useState(EMPTY_FILTER);
  const [applied, setApplied] = useState<BookingFilter>({});
  const [periodErrors, setPeriodErrors] = useState<PeriodErrors>({});
  const [pages, setPages] = useState<Pages | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setPages(null);
    setLoadError(null);
    setMoreError(null);
    reservationsApi
      .bookings(id, applied, null, controller.signal)
      .then((page) => setPages(page))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
  }, [id, applied]);

  async function more() {
    if (!pages?.next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await reservationsApi.bookings(id, applied, pages.next);
      setPages({ items: [...pages.items, ...page.items], next: page.next, total: page.total });
    } catch (err) {
      setMoreError(errorMessage(t, err));
    } finally {
      setLoadingMore(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: PeriodErrors =
      draft.from && draft.to && draft.to < draft.from ? { to: t('audit.rangeInvalid') } : {};
    setPeriodErrors(errors);
    if (errors.to) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setApplied(filterOf(draft));
  }

  const replace = (updated: BookingView) =>
    setPages((p) => p && { ...p, items: p.items.map((b) => (b.id === updated.id ? updated : b)) });

  async function setStatus(b: BookingView, status: BookingStatus) {
    setMessage('');
    setError(null);
    try {
      replace(await reservationsApi.updateBooking(b.id, { status }));
      setMessage(
        t('reservations.bookings.statusSaved', {
          who: b.friend ?? t('reservations.bookings.unknownFriend'),
          status: bookingStatusLabel(t, status),
        }),
      );
    } catch (err) {
      setError(errorMessage(t, err));
    }
  }

  const saved = async (updated: BookingView, text: string) => {
    replace(updated);
    setMessage(text);
    setError(null);
    await slots.reload(true);
  };

  const name = calendar.data?.name ?? '';
  const slotOptions = (slots.data ?? []).map((s) => ({
    value: s.id,
    label: s.cancelled ? `${slotText(t, s)} ${t('reservations.slots.cancelled')}` : slotText(t, s),
  }));

  return (
    <>
      <PageHeader
        title={t('reservations.bookings.title', { name })}
        description={t('reservations.bookings.lead')}
        actions={
          <div className="flex flex-wrap gap-3">
            <LinkButton to={slotsPagePath(id)} variant="secondary">
              {t('reservations.slots')}
            </LinkButton>
            {can('reservations.manage') && (
              <LinkButton to={editorPath(id)} variant="secondary">
                {t('reservations.slots.settings')}
              </LinkButton>
            )}
            <LinkButton to={calendarsListPath} variant="tertiary">
              {t('common.backToList')}
            </LinkButton>
          </div>
        }
      />
      <div className="flex flex-col gap-5">
        <p
          role="status"
          aria-live="polite"
          className="rounded-8 border-2 border-success-1 bg-green-50 px-4 py-2 text-std-16N-170 empty:hidden"
        >
          {error ? '' : message}
        </p>
        {error && <Alert tone="error">{error}</Alert>}
        {calendar.error !== null && (
          <LoadError error={calendar.error} onRetry={() => void calendar.reload()} />
        )}
        <form
          noValidate
          onSubmit={onSubmit}
          aria-label={t('reservations.bookings.filters')}
          className="flex flex-wrap items-end gap-4"
        >
          <Select
            label={t('reservations.bookings.slot')}
            hint={slots.error !== null ? t('reservations.bookings.slotsFailed') : undefined}
            value={draft.slotId}
            onChange={(v) => setDraft((d) => ({ ...d, slotId: v }))}
            placeholder={t('reservations.bookings.all')}
            options={slotOptions}
            className="w-80"
          />
          <Select
            label={t('reservations.bookings.status')}
            value={draft.status}
            onChange={(v) => setDraft((d) => ({ ...d, status: v as FilterForm['status'] }))}
            placeholder={t('reservations.bookings.all')}
            options={BOOKING_STATUSES.map((s) => ({ value: s, label: bookingStatusLabel(t, s) }))}
            className="w-48"
          />
          <PeriodFields
            values={draft}
            errors={periodErrors}
            onChange={(key) => (value) => setDraft((d) => ({ ...d, [key]: value }))}
            className="w-52"
          />
          <Button type="submit" variant="secondary">
            {t('reservations.bookings.apply')}
          </Button>
        </form>
        <div className="flex flex-wrap items-center gap-3">
          <a
            href={bookingsExportHref(id, applied, 'csv')}
            download
            className={buttonClass('secondary', 'sm')}
          >
            {t('reservations.bookings.exportCsv')}
          </a>
          <a
            href={bookingsExportHref(id, applied, 'xlsx')}
            download
            className={buttonClass('secondary', 'sm')}
          >
            {t('reservations.bookings.exportXlsx')}
          </a>
          <p className="text-dns-14N-130 text-solid-gray-700">{t('reservations.bookings.exportHint')}</p>
        </div>
        {loadError !== null && <LoadError error={loadError} onRetry={() => setApplied((a) => ({ ...a }))} />}
        {pages === null && loadError === null && <Loading />}
        {pages && (
          <Table
            caption={t('reservations.bookings.count', {
              total: formatNumber(pages.total),
              shown: formatNumber(pages.items.length),
            })}
          >
            <thead>
              <tr>
                <Th>{t('reservations.bookings.col.slot')}</Th>
                <Th>{t('reservations.bookings.col.friend')}</Th>
                <Th className="text-right">{t('reservations.bookings.col.seats')}</Th>
                <Th>{t('reservations.bookings.col.status')}</Th>
                <Th>{t('common.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {pages.items.length === 0 && (
                <EmptyRow colSpan={5}>{t('reservations.bookings.empty')}</EmptyRow>
              )}
              {pages.items.map((b) => {
                const who = b.friend ?? t('reservations.bookings.unknownFriend');
                return (
                  <tr key={b.id}>
                    <Td className="whitespace-nowrap">{slotText(t, b.slot)}</Td>
                    <Td>{who}</Td>
                    <Td className="text-right">{formatNumber(b.seats)}</Td>
                    <Td>
                      <select
                        aria-label={t('reservations.bookings.statusLabel', {
                          who,
                          slot: slotText(t, b.slot),
                        })}
                        value={b.status}
                        onChange={(e) => void setStatus(b, e.target.value as BookingStatus)}
                        className={`${controlClass} w-44`}
                      >
                        {BOOKING_STATUSES.map((s) => (
                          <option key={s} value={s}>
                            {bookingStatusLabel(t, s)}
                          </option>
                        ))}
                      </select>
                    </Td>
                    <Td>
                      <span className="flex flex-wrap gap-2">
                        {b.status === 'booked' && (
                          <Button
                            size="sm"
                            variant="secondary"
                            aria-label={t('reservations.bookings.moveLabel', { who })}
                            onClick={() => setDialog({ kind: 'move', booking: b })}
                          >
                            {t('reservations.bookings.move')}
                          </Button>
                        )}
                        <Button
                          size="sm"
                          variant="tertiary"
                          aria-label={t('reservations.bookings.detailLabel', { who })}
                          onClick={() => setDialog({ kind: 'detail', booking: b })}
                        >
                          {t('reservations.bookings.detail')}
                        </Button>
                      </span>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
        {moreError && <Alert tone="error">{moreError}</Alert>}
        {pages?.next && (
          <div>
            <Button variant="secondary" disabled={loadingMore} onClick={() => void more()}>
              {loadingMore ? t('app.loading') : t('reservations.bookings.more')}
            </Button>
          </div>
        )}
      </div>
      <MoveDialog
        booking={dialog?.kind === 'move' ? dialog.booking : null}
        slots={slots.data ?? []}
        onClose={() => setDialog(null)}
        onSaved={async (updated, text) => {
          setDialog(null);
          await saved(updated, text);
        }}
      />
      {calendar.data && (
        <BookingDetailDialog
          booking={dialog?.kind === 'detail' ? dialog.booking : null}
          form={calendar.data.form}
          onClose={() => setDialog(null)}
          onSaved={(updated) => {
            replace(updated);
            setDialog({ kind: 'detail', booking: updated });
          }}
        />
      )}
    </>
  );
}
