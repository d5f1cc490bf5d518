import { REPORT_LIMITS } from '@madoguchi/contracts/reports.ts';
import type { FastifyRequest } from 'fastify';
import type { Api } from '../../platform/http/api.ts';
import { registerCitizenUploads, requireCitizen } from '../citizen/citizen.routes.ts';
import { askLineLocation, readLineLocation } from './report-line-location.ts';
import { photoTooLarge } from './report-photos.ts';
import { lineLocationAskSchema, reportCreateSchema } from './reports.schema.ts';
import {
  citizenCategories,
  createReport,
  myReports,
  type ReportDeps,
  uploadPhoto,
} from './reports.service.ts';

// Citizens report from LINE (R-01 … R-03): the LIFF-verified friend (the session's, never the
// browser's) uploads each photo as the raw request body, then sends the report naming the photos.

export function registerReportCitizenRoutes(app: Api, deps: ReportDeps): void {
  const who = async (request: FastifyRequest) => {
    const s = await requireCitizen(deps.db, request);
    return { channelId: s.channel_id, lineUserId: s.line_user_id };
  };
  // Per LINE user; requests without a session are not counted (they get 401).
  const perUser = (max: number) => ({
    max,
    timeWindow: 60_000,
    keyGenerator: async (request: FastifyRequest) => {
      const s = await requireCitizen(deps.db, request).catch(() => undefined);
      return s ? `${s.channel_id}:${s.line_user_id}` : '';
    },
    allowList: (_request: FastifyRequest, key: string) => key === '',
  });

  app.get(
    '/api/citizen/reports/categories',
    {
      schema: { tags: ['citizen'], summary: '通報の種類（受付中のカテゴリ）' },
      config: { staff: false },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return citizenCategories(deps, await who(request));
    },
  );

  app.get(
    '/api/citizen/reports/mine',
    {
      schema: { tags: ['citizen'], summary: '自分の通報と対応状況' },
      config: { staff: false },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return myReports(deps, await who(request));
    },
  );

  app.post(
    '/api/citizen/reports',
    {
      schema: { tags: ['citizen'], summary: '通報する', body: reportCreateSchema },
      config: { staff: false, rateLimit: { ...perUser(10), groupId: 'citizen-report-send' } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await createReport(deps, await who(request), request.body);
      return reply.status(r.repeated ? 200 : 201).send(r);
    },
  );

  // The place sent as a LINE location message (report-line-location.ts): asked for here (a push
  // with a location quick reply), then read by the page until it arrived.
  app.post(
    '/api/citizen/reports/line-location',
    {
      schema: {
        tags: ['citizen'],
        summary: '通報の場所を LINE のトークで送るよう依頼する',
        body: lineLocationAskSchema,
      },
      config: { staff: false, rateLimit: { ...perUser(10), groupId: 'citizen-report-line-location' } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(await askLineLocation(deps, await who(request)));
    },
  );

  app.get(
    '/api/citizen/reports/line-location',
    {
      schema: { tags: ['citizen'], summary: 'LINE のトークで送られた通報の場所' },
      config: { staff: false, rateLimit: { ...perUser(60), groupId: 'citizen-report-line-location-read' } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return readLineLocation(deps, await who(request));
    },
  );

  // The photo is the raw request body (JPEG, PNG or WebP; the bytes decide), in a scope of its own.
  registerCitizenUploads(
    app,
    deps.db,
    { maxBytes: REPORT_LIMITS.photoBytes, tooLarge: photoTooLarge },
    (scope) => {
      scope.post(
        '/api/citizen/reports/photos',
        {
          schema: { tags: ['citizen'], summary: '通報の写真を1枚送る（送信前）' },
          config: { staff: false, rateLimit: { ...perUser(30), groupId: 'citizen-report-photo' } },
        },
        async (request, reply) => {
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          reply.header('cache-control', 'no-store');
          return reply.status(201).send(await uploadPhoto(deps, await who(request), body));
        },
      );
    },
  );
}
