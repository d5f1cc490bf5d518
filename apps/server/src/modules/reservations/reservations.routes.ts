import type { Api } from '../../platform/http/api.ts';
import { sendTablePages } from '../../platform/http/table-export.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
import {
  bookingExportQuery,
  bookingListQuery,
  bookingParams,
  bookingUpdateSchema,
  calendarCreateSchema,
  calendarParams,
  calendarUpdateSchema,
  channelQuery,
  remindSchema,
  slotParams,
  slotRangeQuery,
  slotUpdateSchema,
} from './reservations.schema.ts';
import {
  bookingExport,
  createCalendar,
  getCalendar,
  listBookings,
  listCalendars,
  listSlots,
  type ReservationDeps,
  remindSlot,
  setCalendarStatus,
  updateBooking,
  updateCalendar,
  updateSlot,
} from './reservations.service.ts';

// Reservations for staff: calendars and slots (reservations.manage), bookings — list, move, cancel,
// statuses, reminders, export (reservations.handle). Every change is in the audit log.

const manage = (action: string) =>
  ({ permission: 'reservations.manage', audit: { action, targetType: 'booking-calendar' } }) as const;
const handle = (action: string) =>
  ({ permission: 'reservations.handle', audit: { action, targetType: 'booking' } }) as const;
const READERS = ['reservations.manage', 'reservations.handle'] as const;

export function registerReservationRoutes(app: Api, deps: ReservationDeps): void {
  app.get(
    '/api/booking-calendars',
    {
      schema: { tags: ['reservations'], summary: 'チャネルの予約カレンダー一覧', querystring: channelQuery },
      config: { permission: [...READERS] },
    },
    async (request) => listCalendars(deps, request.query.channelId),
  );

  app.post(
    '/api/booking-calendars',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約カレンダーを作成（下書き）',
        body: calendarCreateSchema,
      },
      config: manage('booking-calendar.create'),
    },
    async (request, reply) => {
      const view = await createCalendar(deps, request.body);
      request.auditTarget = { id: view.id, detail: { name: view.name } };
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/booking-calendars/:calendarId',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約カレンダーの設定と予約フォーム',
        params: calendarParams,
      },
      config: { permission: [...READERS] },
    },
    async (request) => getCalendar(deps, request.params.calendarId),
  );

  app.patch(
    '/api/booking-calendars/:calendarId',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約カレンダーの設定（枠・休日・締切・上限など）を変更',
        params: calendarParams,
        body: calendarUpdateSchema,
      },
      config: manage('booking-calendar.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.calendarId, detail: request.body };
      return updateCalendar(deps, request.params.calendarId, request.body);
    },
  );

  for (const [verb, status] of [
    ['open', 'open'],
    ['close', 'closed'],
  ] as const) {
    app.post(
      `/api/booking-calendars/:calendarId/${verb}`,
      {
        schema: {
          tags: ['reservations'],
          summary: status === 'open' ? '予約の受付を始める' : '予約の受付を終了する',
          params: calendarParams,
        },
        config: manage(`booking-calendar.${verb}`),
      },
      async (request) => {
        request.auditTarget = { id: request.params.calendarId };
        return setCalendarStatus(deps, request.params.calendarId, status);
      },
    );
  }

  app.get(
    '/api/booking-calendars/:calendarId/slots',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約枠（定員・予約済み人数・キャンセル待ち）',
        params: calendarParams,
        querystring: slotRangeQuery,
      },
      config: { permission: [...READERS] },
    },
    async (request) => listSlots(deps, request.params.calendarId, request.query.from, request.query.days),
  );

  app.patch(
    '/api/booking-slots/:slotId',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約枠の定員を変更・中止',
        params: slotParams,
        body: slotUpdateSchema,
      },
      config: manage('booking-slot.update'),
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.slotId, detail: request.body };
      await updateSlot(deps, request.params.slotId, request.body);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/booking-slots/:slotId/remind',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約枠の予約者にリマインドを送る',
        params: slotParams,
        body: remindSchema,
      },
      config: handle('booking-slot.remind'),
    },
    async (request) => {
      const sent = await remindSlot(deps, request.params.slotId, request.body.text);
      request.auditTarget = { id: request.params.slotId, count: sent };
      return { sent };
    },
  );

  app.get(
    '/api/bookings',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約一覧（枠の日時順、cursor で続きのページ）',
        querystring: bookingListQuery,
      },
      config: {
        permission: 'reservations.handle',
        audit: { action: 'booking.list', targetType: 'booking-calendar' },
      },
    },
    async (request) => {
      const page = await listBookings(deps, request.query);
      request.auditTarget = { id: request.query.calendarId, count: page.items.length };
      return page;
    },
  );

  app.patch(
    '/api/bookings/:bookingId',
    {
      schema: {
        tags: ['reservations'],
        summary: '予約の状態変更・別の枠への移動・管理項目',
        params: bookingParams,
        body: bookingUpdateSchema,
      },
      config: handle('booking.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.bookingId, detail: request.body };
      return updateBooking(deps, request.params.bookingId, request.body, request.staff?.accountId ?? null);
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/bookings.${format}`,
      {
        schema: {
          tags: ['reservations'],
          summary: format === 'csv' ? '予約一覧の CSV（UTF-8 BOM 付き）' : '予約一覧の Excel ファイル',
          querystring: bookingExportQuery,
        },
        config: {
          permission: 'reservations.handle',
          audit: { action: 'booking.export', targetType: 'booking-calendar' },
        },
      },
      async (request, reply) => {
        const { header, total, pages } = await bookingExport(deps, request.query);
        request.auditTarget = { id: request.query.calendarId, count: total, detail: { format } };
        return sendTablePages(
          reply,
          format,
          { name: `bookings-${tokyoDay(new Date())}`, sheet: '予約' },
          { header, pages },
        );
      },
    );
  }
}
