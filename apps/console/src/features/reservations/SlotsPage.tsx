import { useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { addDays, isoToJst, todayJst } from '../deliveries/time.ts';
import { type CalendarView, calendarPath, reservationsApi, type SlotView, slotsPath } from './api.ts';
import {
  bookingsPagePath,
  calendarsListPath,
  dayText,
  editorPath,
  slotText,
  slotTimeText,
} from './labels.ts';
import { CapacityDialog, RemindDialog } from './SlotDialogs.tsx';

const WEEK = 7;

type Action = { kind: 'capacity' | 'cancel' | 'remind'; slot: SlotView } | null;

/**
 * 予約枠 (#/reservations/:id/slots, V-02, V-06): a week of the calendar's slots (day rows) with
 * capacity, seats taken and the waiting list; change a slot's capacity, cancel it, remind its bookers.
 */
export function SlotsPage({ id }: { id: string }) {
  const t = useT();
  const can = useCan();
  const calendar = useApi<CalendarView>(calendarPath(id));
  const [from, setFrom] = useState(() => todayJst());
  const slots = useApi<SlotView[]>(slotsPath(id, from, WEEK));
  const [action, setAction] = useState<Action>(null);
  const [message, setMessage] = useState('');
  const canManage = can('reservations.manage');
  const canHandle = can('reservations.handle');

  const days = Array.from({ length: WEEK }, (_, i) => addDays(from, i));
  const byDay = new Map<string, SlotView[]>();
  for (const s of slots.data ?? []) {
    const day = isoToJst(s.startsAt)?.date ?? '';
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const done = async (text: string) => {
    setAction(null);
    setMessage(text);
    await slots.reload(true);
  };

  const name = calendar.data?.name ?? '';
  return (
    <>
      <PageHeader
        title={t('reservations.slots.title', { name })}
        description={t('reservations.slots.lead')}
        actions={
          <div className="flex flex-wrap gap-3">
            {canManage && (
              <LinkButton to={editorPath(id)} variant="secondary">
                {t('reservations.slots.settings')}
              </LinkButton>
            )}
            {canHandle && (
              <LinkButton to={bookingsPagePath(id)} variant="secondary">
                {t('reservations.bookings')}
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
          {message}
        </p>
        {calendar.error !== null && (
          <LoadError error={calendar.error} onRetry={() => void calendar.reload()} />
        )}
        <div className="flex flex-wrap items-center gap-3">
          <Button size="sm" variant="secondary" onClick={() => setFrom(addDays(from, -WEEK))}>
            {t('reservations.slots.prevWeek')}
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setFrom(todayJst())}>
            {t('reservations.slots.today')}
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setFrom(addDays(from, WEEK))}>
            {t('reservations.slots.nextWeek')}
          </Button>
          <p className="text-std-16B-170">
            {t('reservations.slots.range', {
              from: dayText(t, from),
              to: dayText(t, addDays(from, WEEK - 1)),
            })}
          </p>
        </div>
        {slots.error !== null && <LoadError error={slots.error} onRetry={() => void slots.reload()} />}
        {slots.loading && !slots.data && <Loading />}
        {slots.data && (
          <Table caption={t('reservations.slots.table', { name })} hideCaption>
            <thead>
              <tr>
                <Th>{t('reservations.slots.col.day')}</Th>
                <Th>{t('reservations.slots.col.time')}</Th>
                <Th className="text-right">{t('reservations.slots.col.capacity')}</Th>
                <Th className="text-right">{t('reservations.slots.col.taken')}</Th>
                <Th className="text-right">{t('reservations.slots.col.waiting')}</Th>
                <Th>{t('reservations.slots.col.state')}</Th>
                <Th>{t('common.actions')}</Th>
              </tr>
            </thead>
            {/* One row group per day: the day heading spans its slots. */}
            {days.map((day) => {
              const list = byDay.get(day) ?? [];
              const dayCell = (
                <th
                  scope="rowgroup"
                  rowSpan={Math.max(list.length, 1)}
                  className="border-b border-solid-gray-420 px-2 py-2 align-top text-dns-16B-130 whitespace-nowrap"
                >
                  {dayText(t, day)}
                </th>
              );
              if (list.length === 0)
                return (
                  <tbody key={day}>
                    <tr>
                      {dayCell}
                      <Td colSpan={6} className="text-solid-gray-700">
                        {t('reservations.slots.none')}
                      </Td>
                    </tr>
                  </tbody>
                );
              return (
                <tbody key={day}>
                  {list.map((s, i) => (
                    <tr key={s.id}>
                      {i === 0 && dayCell}
                      <Td className="whitespace-nowrap">{slotTimeText(t, s)}</Td>
                      <Td className="text-right">{formatNumber(s.capacity)}</Td>
                      <Td className="text-right">{formatNumber(s.taken)}</Td>
                      <Td className="text-right">{formatNumber(s.waiting)}</Td>
                      <Td>
                        {s.cancelled ? (
                          <Badge tone="neutral">{t('reservations.slots.cancelled')}</Badge>
                        ) : s.taken >= s.capacity ? (
                          <Badge tone="warning">{t('reservations.slots.full')}</Badge>
                        ) : (
                          <Badge tone="success">{t('reservations.slots.available')}</Badge>
                        )}
                      </Td>
                      <Td>
                        {!s.cancelled && (
                          <span className="flex flex-wrap gap-2">
                            {canManage && (
                              <Button
                                size="sm"
                                variant="secondary"
                                aria-label={t('reservations.slots.capacityLabel', { slot: slotText(t, s) })}
                                onClick={() => setAction({ kind: 'capacity', slot: s })}
                              >
                                {t('reservations.slots.capacity')}
                              </Button>
                            )}
                            {canHandle && (
                              <Button
                                size="sm"
                                variant="secondary"
                                aria-label={t('reservations.slots.remindLabel', { slot: slotText(t, s) })}
                                onClick={() => setAction({ kind: 'remind', slot: s })}
                              >
                                {t('reservations.slots.remind')}
                              </Button>
                            )}
                            {canManage && (
                              <Button
                                size="sm"
                                variant="tertiary"
                                aria-label={t('reservations.slots.cancelLabel', { slot: slotText(t, s) })}
                                onClick={() => setAction({ kind: 'cancel', slot: s })}
                              >
                                {t('reservations.slots.cancel')}
                              </Button>
                            )}
                          </span>
                        )}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              );
            })}
          </Table>
        )}
        {slots.data?.length === 0 && calendar.data?.templates.length === 0 && (
          <Alert tone="info">{t('reservations.slots.noTemplates')}</Alert>
        )}
      </div>
      <CapacityDialog
        slot={action?.kind === 'capacity' ? action.slot : null}
        onClose={() => setAction(null)}
        onDone={done}
      />
      <RemindDialog
        slot={action?.kind === 'remind' ? action.slot : null}
        onClose={() => setAction(null)}
        onDone={done}
      />
      <ConfirmDialog
        open={action?.kind === 'cancel'}
        title={t('reservations.slots.cancelTitle', { slot: action ? slotText(t, action.slot) : '' })}
        message={t('reservations.slots.cancelBody', {
          count: formatNumber(action?.kind === 'cancel' ? action.slot.taken : 0),
        })}
        confirmLabel={t('reservations.slots.cancelConfirm')}
        confirmVariant="danger"
        onClose={() => setAction(null)}
        onConfirm={async () => {
          if (action?.kind !== 'cancel') return;
          await reservationsApi.updateSlot(action.slot.id, { cancelled: true });
          await done(t('reservations.slots.cancelledDone', { slot: slotText(t, action.slot) }));
        }}
      />
    </>
  );
}
