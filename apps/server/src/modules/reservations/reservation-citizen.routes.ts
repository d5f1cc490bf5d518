import type { FastifyRequest } from 'fastify';
import type { Api } from '../../platform/http/api.ts';
import { perCitizenLimit, requireCitizen } from '../citizen/citizen.routes.ts';
import {
  bookingCreateSchema,
  bookingParams,
  calendarParams,
  slotParams,
  slotRangeQuery,
  waitlistSchema,
} from './reservations.schema.ts';
import {
  book,
  calendarForCitizen,
  cancelMyBooking,
  joinWaitlist,
  myBookings,
  publicCalendars,
  publicSlots,
  type ReservationDeps,
} from './reservations.service.ts';

// Citizens book from LINE (V-01 … V-06): the LIFF-verified friend sees the channel's open calendars and
// their free seats, books (a retried tap books once), lists and cancels their bookings, and joins a
// full slot's waiting list. The friend is the session's, never the browser's.

export function registerReservationCitizenRoutes(app: Api, deps: ReservationDeps): void {
  const who = async (request: FastifyRequest) => {
    const s = await requireCitizen(deps.db, request);
    return { channelId: s.channel_id, lineUserId: s.line_user_id };
  };
  const perFriend = (max: number) => perCitizenLimit(deps.db, max);

  const citizen = { staff: false } as const;

  app.get(
    '/api/citizen/booking-calendars',
    { schema: { tags: ['citizen'], summary: '予約できるカレンダー' }, config: citizen },
    async (request) => publicCalendars(deps, (await who(request)).channelId),
  );

  app.get(
    '/api/citizen/booking-calendars/:calendarId',
    {
      schema: { tags: ['citizen'], summary: '予約カレンダーと予約フォーム', params: calendarParams },
      config: citizen,
    },
    async (request) => calendarForCitizen(deps, (await who(request)).channelId, request.params.calendarId),
  );

  app.get(
    '/api/citizen/booking-calendars/:calendarId/slots',
    {
      schema: { tags: ['citizen'], summary: '空き状況', params: calendarParams, querystring: slotRangeQuery },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { from, days } = request.query;
      return publicSlots(deps, (await who(request)).channelId, request.params.calendarId, from, days);
    },
  );

  app.post(
    '/api/citizen/bookings',
    {
      schema: { tags: ['citizen'], summary: '予約する', body: bookingCreateSchema },
      config: { ...citizen, rateLimit: perFriend(30) },
    },
    async (request, reply) => {
      const r = await book(deps, await who(request), request.body);
      return reply.status(r.repeated ? 200 : 201).send(r);
    },
  );

  app.get(
    '/api/citizen/bookings',
    { schema: { tags: ['citizen'], summary: '自分の予約' }, config: citizen },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return myBookings(deps, await who(request));
    },
  );

  app.post(
    '/api/citizen/bookings/:bookingId/cancel',
    {
      schema: { tags: ['citizen'], summary: '予約を取り消す', params: bookingParams },
      config: { ...citizen, rateLimit: perFriend(30) },
    },
    async (request, reply) => {
      await cancelMyBooking(deps, await who(request), request.params.bookingId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/citizen/booking-slots/:slotId/waitlist',
    {
      schema: {
        tags: ['citizen'],
        summary: 'キャンセル待ちに登録する（予約フォームの回答とともに）',
        params: slotParams,
        body: waitlistSchema,
      },
      config: { ...citizen, rateLimit: perFriend(30) },
    },
    async (request, reply) => {
      await joinWaitlist(deps, await who(request), request.params.slotId, request.body);
      return reply.status(204).send();
    },
  );
}
