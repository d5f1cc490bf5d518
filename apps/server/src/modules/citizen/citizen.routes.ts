import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { acceptRawBody } from '../../platform/http/raw-body.ts';
import { IdTokenError, verifyLineIdToken } from '../../platform/line/id-token.ts';
import { hasOpenProcedures } from '../applications/applications.service.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { desksOfChannel } from '../consultation/desks.service.ts';
import { findActiveRegistrationForm } from '../forms/forms.service.ts';
import { hasOpenCalendar } from '../reservations/reservations.service.ts';
import { openSurveys } from '../surveys/surveys.service.ts';
import { findCitizen, openCitizenSession } from './citizen-sessions.service.ts';

// Citizen pages (LIFF): the browser sends the LIFF ID token; the server verifies it with LINE and
// keeps its own short session. A user ID from the browser is never trusted.

export const CITIZEN_COOKIE = 'madoguchi_citizen';

// One lookup per request: the rate limit's key and the handler ask for the same session.
const sessionOf = new WeakMap<FastifyRequest, ReturnType<typeof findCitizen>>();

export async function requireCitizen(db: Db, request: FastifyRequest) {
  const raw = request.cookies[CITIZEN_COOKIE];
  let lookup = sessionOf.get(request);
  if (!lookup && raw) {
    lookup = findCitizen(db, raw);
    sessionOf.set(request, lookup);
  }
  const session = lookup ? await lookup : undefined;
  if (!session) throw new AppError(401, 'CITIZEN_UNAUTHENTICATED', 'LINE でログインし直してください');
  return session;
}

/**
 * Routes that take one file as the raw request body (up to `maxBytes`, whatever type is declared: the
 * bytes decide), in a scope of their own; the session is checked before the body is read, so no one
 * without a session uploads 10 MB (report photos R-01, survey files Q-01).
 */
export function registerCitizenUploads(
  app: Api,
  db: Db,
  limit: { maxBytes: number; tooLarge: () => Error },
  routes: (scope: Api) => void,
): void {
  app.register(async (scope: Api) => {
    acceptRawBody(scope, limit.maxBytes, limit.tooLarge);
    scope.addHook('onRequest', async (request) => {
      await requireCitizen(db, request);
    });
    routes(scope);
  });
}

/**
 * A rate limit of `max` requests a minute per LINE user of a citizen session; requests without a
 * session are not counted (they get 401 from the handler).
 */
export const perCitizenLimit = (db: Db, max: number) => ({
  max,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const s = await requireCitizen(db, request).catch(() => undefined);
    return s ? `${s.channel_id}:${s.line_user_id}` : '';
  },
  allowList: (_request: FastifyRequest, key: string) => key === '',
});

export function registerCitizenRoutes(
  app: Api,
  deps: { db: Db; config: Config; channels: ChannelsService },
): void {
  app.get(
    '/api/citizen/config',
    {
      schema: { tags: ['citizen'], summary: '市民向けページの設定', querystring: z.object({ ch: z.uuid() }) },
      config: { staff: false },
    },
    async (request) => {
      const channel = await deps.channels.secrets(request.query.ch);
      if (!channel) throw new AppError(404, 'CHANNEL_NOT_FOUND', 'チャネルが見つかりません');
      return { channelId: channel.id, liffId: channel.liffId, liffSdkUrl: deps.config.LIFF_SDK_URL };
    },
  );

  // The city's name for the citizen pages' header: CITY_NAME, else the production channel's name.
  app.get(
    '/api/citizen/site',
    {
      schema: { tags: ['citizen'], summary: '市民向けページの表示名（市の名前）' },
      config: { staff: false },
    },
    async () => {
      if (deps.config.CITY_NAME) return { cityName: deps.config.CITY_NAME };
      const channels = await deps.channels.list();
      const main = channels.find((c) => c.environment === 'production') ?? channels[0];
      return { cityName: main?.name ?? null };
    },
  );

  // マイページ's services: exactly what the city has enabled for this channel. 相談する for each desk
  // that takes LINE consultees of this channel (as the LINE door does), 予約 when a booking calendar
  // is open, each survey or public comment open now, 受信設定 when the channel has a registration
  // form with items. Services that do not exist yet are never listed.
  app.get(
    '/api/citizen/services',
    {
      schema: {
        tags: ['citizen'],
        summary: 'マイページで使えるサービス',
        querystring: z.object({ ch: z.uuid('チャネル ID の形式が正しくありません') }),
      },
      config: { staff: false },
    },
    async (request) => {
      const channel = await deps.channels.secrets(request.query.ch);
      if (!channel) throw new AppError(404, 'CHANNEL_NOT_FOUND', 'チャネルが見つかりません');
      const desks = await desksOfChannel(deps.db, channel.id);
      const [form, surveys, booking, applications] = await Promise.all([
        findActiveRegistrationForm(deps.db, channel.id),
        openSurveys(deps.db, channel.id),
        hasOpenCalendar(deps.db, channel.id),
        hasOpenProcedures(deps.db, channel.id),
      ]);
      return {
        services: [
          ...desks.map((d) => ({
            kind: 'consult' as const,
            slug: d.slug,
            name: d.name,
            description: d.description,
          })),
          ...(booking ? [{ kind: 'booking' as const }] : []),
          ...(applications ? [{ kind: 'applications' as const }] : []),
          ...surveys.map((s) => ({ kind: 'survey' as const, id: s.id, surveyKind: s.kind, title: s.title })),
          ...(form ? [{ kind: 'register' as const }] : []),
        ],
      };
    },
  );

  app.post(
    '/api/citizen/session',
    {
      schema: {
        tags: ['citizen'],
        summary: 'LIFF の ID トークンでログイン',
        body: z.object({ idToken: z.string().min(10).max(4096), channelId: z.uuid() }),
      },
      config: { staff: false, rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const channel = await deps.channels.secrets(request.body.channelId);
      if (!channel?.loginChannelId) throw new AppError(404, 'CHANNEL_NOT_FOUND', 'チャネルが見つかりません');
      let user: Awaited<ReturnType<typeof verifyLineIdToken>>;
      try {
        user = await verifyLineIdToken(
          deps.config.LINE_OAUTH_BASE_URL,
          request.body.idToken,
          channel.loginChannelId,
        );
      } catch (err) {
        if (err instanceof IdTokenError)
          throw new AppError(
            401,
            'INVALID_ID_TOKEN',
            'LINE の認証に失敗しました。もう一度開き直してください',
          );
        throw err;
      }
      const token = await openCitizenSession(deps.db, {
        channelId: channel.id,
        lineUserId: user.userId,
        displayName: user.name,
        pictureUrl: user.picture,
      });
      const secure = deps.config.COOKIE_SECURE ?? deps.config.PUBLIC_URL.startsWith('https://');
      reply.setCookie(CITIZEN_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
      return {
        user: { lineUserId: user.userId, displayName: user.name, pictureUrl: user.picture },
        channelId: channel.id,
      };
    },
  );

  app.get(
    '/api/citizen/me',
    { schema: { tags: ['citizen'], summary: 'ログイン中の市民' }, config: { staff: false } },
    async (request) => {
      const s = await requireCitizen(deps.db, request);
      return {
        user: { lineUserId: s.line_user_id, displayName: s.display_name, pictureUrl: s.picture_url },
        channelId: s.channel_id,
      };
    },
  );
}
