import { FORM_LIMITS } from '@madoguchi/contracts/forms.ts';
import type { FastifyRequest } from 'fastify';
import type { Api } from '../../platform/http/api.ts';
import { perCitizenLimit, registerCitizenUploads, requireCitizen } from '../citizen/citizen.routes.ts';
import { addressesOf } from './postal-codes.ts';
import { discardSurveyFile, fileTooLarge, uploadSurveyFile } from './survey-files.ts';
import { postalCodeParams, surveyAnswerSchema, surveyFileParams, surveyParams } from './surveys.schema.ts';
import { answerSurvey, readDocument, readSurveyForCitizen, type SurveyDeps } from './surveys.service.ts';

// Citizens answer surveys from LINE (Q-01 … Q-05): the LIFF-verified friend reads the survey and
// sends answers (the friend is the session's, never the browser's). The public comment's document and
// the postal code lookup need no sign-in.

export function registerSurveyCitizenRoutes(app: Api, deps: SurveyDeps): void {
  const who = async (request: FastifyRequest) => {
    const s = await requireCitizen(deps.db, request);
    return { channelId: s.channel_id, lineUserId: s.line_user_id };
  };
  const sendLimit = perCitizenLimit(deps.db, 30);

  app.get(
    '/api/citizen/surveys/:surveyId',
    {
      schema: { tags: ['citizen'], summary: 'アンケートと自分の回答（上書きの場合）', params: surveyParams },
      config: { staff: false },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return readSurveyForCitizen(deps, await who(request), request.params.surveyId);
    },
  );

  app.post(
    '/api/citizen/surveys/:surveyId/answers',
    {
      schema: {
        tags: ['citizen'],
        summary: 'アンケートに回答する',
        params: surveyParams,
        body: surveyAnswerSchema,
      },
      config: { staff: false, rateLimit: sendLimit },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await answerSurvey(deps, await who(request), request.params.surveyId, request.body);
      return reply.status(r.repeated ? 200 : 201).send(r);
    },
  );

  // A file of a file item, before the answer: the raw request body (the bytes decide its type;
  // X-File-Name carries the URI-encoded original name), in a scope of its own.
  registerCitizenUploads(
    app,
    deps.db,
    { maxBytes: FORM_LIMITS.fileBytes, tooLarge: fileTooLarge },
    (scope) => {
      scope.post(
        '/api/citizen/surveys/:surveyId/files',
        {
          schema: {
            tags: ['citizen'],
            summary: '回答に添付するファイルを1つ送る（回答の送信前）',
            params: surveyParams,
          },
          config: {
            staff: false,
            rateLimit: { ...perCitizenLimit(deps.db, 30), groupId: 'citizen-survey-file' },
          },
        },
        async (request, reply) => {
          const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          reply.header('cache-control', 'no-store');
          const file = await uploadSurveyFile(deps, await who(request), request.params.surveyId, {
            bytes,
            name: request.headers['x-file-name'],
          });
          return reply.status(201).send(file);
        },
      );
    },
  );

  app.delete(
    '/api/citizen/surveys/:surveyId/files/:fileId',
    {
      schema: {
        tags: ['citizen'],
        summary: '送信前に添付したファイルを削除する',
        params: surveyFileParams,
      },
      config: { staff: false, rateLimit: sendLimit },
    },
    async (request, reply) => {
      await discardSurveyFile(deps, await who(request), request.params.surveyId, request.params.fileId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/citizen/surveys/:surveyId/document',
    {
      schema: { tags: ['citizen'], summary: 'パブリックコメントの資料（PDF）', params: surveyParams },
      config: { staff: false, rateLimit: { max: 60, timeWindow: 60_000, groupId: 'survey-document' } },
    },
    async (request, reply) => {
      const doc = await readDocument(deps, request.params.surveyId);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(doc.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(doc.bytes);
    },
  );

  app.get(
    '/api/citizen/postal-codes/:code',
    {
      schema: {
        tags: ['citizen'],
        summary: '郵便番号から住所（日本郵便のデータ、オフライン）',
        params: postalCodeParams,
      },
      config: { staff: false, rateLimit: { max: 120, timeWindow: 60_000, groupId: 'postal-codes' } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=86400');
      return addressesOf(request.params.code);
    },
  );
}
