import type { FastifyRequest } from 'fastify';
import type { Api } from '../../platform/http/api.ts';
import { perCitizenLimit, requireCitizen } from '../citizen/citizen.routes.ts';
import {
  applicationAnswersSchema,
  applicationParams,
  applicationStartSchema,
  applicationSubmitSchema,
  identityResultSchema,
  procedureParams,
} from './applications.schema.ts';
import {
  type ApplicationDeps,
  checkPayment,
  citizenProcedures,
  completeIdentity,
  myApplications,
  readCitizenProcedure,
  readMyApplication,
  saveAnswers,
  startApplication,
  startIdentity,
  submitApplication,
} from './applications.service.ts';

// Citizens apply from LINE (A-01 … A-03): the LIFF-verified friend is the session's, never the
// browser's; another friend's application is 404. No amount is ever taken from the browser.

export function registerApplicationCitizenRoutes(app: Api, deps: ApplicationDeps): void {
  const who = async (request: FastifyRequest) => {
    const s = await requireCitizen(deps.db, request);
    return { channelId: s.channel_id, lineUserId: s.line_user_id };
  };
  const limit = perCitizenLimit(deps.db, 30);
  const citizen = { staff: false, rateLimit: limit } as const;

  app.get(
    '/api/citizen/procedures',
    { schema: { tags: ['citizen'], summary: '申請できる手続の一覧' }, config: { staff: false } },
    async (request) => citizenProcedures(deps, await who(request)),
  );

  app.get(
    '/api/citizen/procedures/:procedureId',
    {
      schema: { tags: ['citizen'], summary: '手続の説明とフォーム', params: procedureParams },
      config: { staff: false },
    },
    async (request) => readCitizenProcedure(deps, await who(request), request.params.procedureId),
  );

  app.get(
    '/api/citizen/applications',
    { schema: { tags: ['citizen'], summary: '自分の申請の一覧' }, config: { staff: false } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return myApplications(deps, await who(request));
    },
  );

  app.post(
    '/api/citizen/applications',
    {
      schema: { tags: ['citizen'], summary: '申請を始める', body: applicationStartSchema },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(await startApplication(deps, await who(request), request.body));
    },
  );

  app.get(
    '/api/citizen/applications/:applicationId',
    {
      schema: {
        tags: ['citizen'],
        summary: '自分の申請（状況・入力内容・手数料）',
        params: applicationParams,
      },
      config: { staff: false },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return readMyApplication(deps, await who(request), request.params.applicationId);
    },
  );

  app.post(
    '/api/citizen/applications/:applicationId/identity',
    {
      schema: {
        tags: ['citizen'],
        summary: '本人確認を始める（本人確認サービスの URL を返す）',
        params: applicationParams,
        body: applicationSubmitSchema,
      },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return startIdentity(deps, await who(request), request.params.applicationId);
    },
  );

  app.post(
    '/api/citizen/applications/:applicationId/identity/result',
    {
      schema: {
        tags: ['citizen'],
        summary: '本人確認の結果を確かめる（サーバーが確認する）',
        params: applicationParams,
        body: identityResultSchema,
      },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return completeIdentity(
        deps,
        await who(request),
        request.params.applicationId,
        request.body.verificationId,
      );
    },
  );

  app.put(
    '/api/citizen/applications/:applicationId/answers',
    {
      schema: {
        tags: ['citizen'],
        summary: '入力内容を保存する（手数料を計算して返す）',
        params: applicationParams,
        body: applicationAnswersSchema,
      },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return saveAnswers(deps, await who(request), request.params.applicationId, request.body);
    },
  );

  app.post(
    '/api/citizen/applications/:applicationId/submit',
    {
      schema: {
        tags: ['citizen'],
        summary: '申請を送信する（手数料があれば支払いページの URL を返す）',
        params: applicationParams,
        body: applicationSubmitSchema,
      },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return submitApplication(deps, await who(request), request.params.applicationId);
    },
  );

  app.post(
    '/api/citizen/applications/:applicationId/payment/check',
    {
      schema: {
        tags: ['citizen'],
        summary: '支払いの状況を確かめる（サーバーが決済サービスに確認する）',
        params: applicationParams,
        body: applicationSubmitSchema,
      },
      config: citizen,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return checkPayment(deps, await who(request), request.params.applicationId);
    },
  );
}
