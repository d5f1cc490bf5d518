import { SURVEY_LIMITS } from '@madoguchi/contracts/surveys.ts';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { acceptRawBody } from '../../platform/http/raw-body.ts';
import { sendTablePages } from '../../platform/http/table-export.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
import { readResponseFile } from './survey-files.ts';
import { responseExport, surveyResults } from './survey-results.ts';
import {
  responseFileParams,
  responseListQuery,
  responseParams,
  responseUpdateSchema,
  surveyCreateSchema,
  surveyListQuery,
  surveyParams,
  surveyUpdateSchema,
} from './surveys.schema.ts';
import {
  createSurvey,
  deleteSurvey,
  getSurvey,
  listResponses,
  listSurveys,
  putDocument,
  removeDocument,
  responseChanges,
  type SurveyDeps,
  setSurveyStatus,
  updateResponse,
  updateSurvey,
} from './surveys.service.ts';

// Surveys for staff: design (surveys.manage) and results (surveys.results). Every change is in the
// audit log; the items of a survey's form are designed through /api/forms/:formId/… (forms module).

const design = (action: string) =>
  ({ permission: 'surveys.manage', audit: { action, targetType: 'survey' } }) as const;
const results = (action: string) =>
  ({ permission: 'surveys.results', audit: { action, targetType: 'survey' } }) as const;
const READERS = ['surveys.manage', 'surveys.results'] as const;

const tooLarge = () =>
  new AppError(
    413,
    'SURVEY_DOCUMENT_TOO_LARGE',
    `資料は${SURVEY_LIMITS.documentBytes / 1024 / 1024} MB までです`,
  );

export function registerSurveyRoutes(app: Api, deps: SurveyDeps): void {
  app.get(
    '/api/surveys',
    {
      schema: { tags: ['surveys'], summary: 'チャネルのアンケート一覧', querystring: surveyListQuery },
      config: { permission: [...READERS] },
    },
    async (request) => listSurveys(deps, request.query.channelId),
  );

  app.post(
    '/api/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: 'アンケート・パブリックコメントを作成（下書き）',
        body: surveyCreateSchema,
      },
      config: design('survey.create'),
    },
    async (request, reply) => {
      const view = await createSurvey(deps, request.body, request.staff?.accountId ?? null);
      request.auditTarget = { id: view.id, detail: { kind: view.kind, title: view.title } };
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/surveys/:surveyId',
    {
      schema: { tags: ['surveys'], summary: 'アンケートの設定と項目', params: surveyParams },
      config: { permission: [...READERS] },
    },
    async (request) => getSurvey(deps, request.params.surveyId),
  );

  app.patch(
    '/api/surveys/:surveyId',
    {
      schema: {
        tags: ['surveys'],
        summary: 'アンケートの設定を変更',
        params: surveyParams,
        body: surveyUpdateSchema,
      },
      config: design('survey.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.surveyId, detail: request.body };
      return updateSurvey(deps, request.params.surveyId, request.body);
    },
  );

  for (const [verb, status] of [
    ['open', 'open'],
    ['close', 'closed'],
  ] as const) {
    app.post(
      `/api/surveys/:surveyId/${verb}`,
      {
        schema: {
          tags: ['surveys'],
          summary: status === 'open' ? '受付を始める（期間内に回答を受け付ける）' : '受付を終了する',
          params: surveyParams,
        },
        config: design(`survey.${verb}`),
      },
      async (request) => {
        request.auditTarget = { id: request.params.surveyId };
        return setSurveyStatus(deps, request.params.surveyId, status);
      },
    );
  }

  app.delete(
    '/api/surveys/:surveyId',
    {
      schema: { tags: ['surveys'], summary: '下書きのアンケートを削除', params: surveyParams },
      config: design('survey.delete'),
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.surveyId };
      await deleteSurvey(deps, request.params.surveyId);
      return reply.status(204).send();
    },
  );

  // The document is the raw request body (a PDF), so its parser lives in its own scope.
  app.register(async (scope: Api) => {
    acceptRawBody(scope, SURVEY_LIMITS.documentBytes, tooLarge);
    scope.put(
      '/api/surveys/:surveyId/document',
      {
        schema: { tags: ['surveys'], summary: 'パブリックコメントの資料（PDF）を添付', params: surveyParams },
        config: design('survey.document.put'),
      },
      async (request: FastifyRequest<{ Params: { surveyId: string } }>) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new AppError(400, 'SURVEY_DOCUMENT_EMPTY', '資料の PDF ファイルを選んでください');
        let name = '資料.pdf';
        const header = request.headers['x-file-name'];
        if (typeof header === 'string' && header) {
          try {
            name = decodeURIComponent(header);
          } catch {
            throw new AppError(400, 'SURVEY_DOCUMENT_NAME', 'ファイル名の形式が正しくありません');
          }
        }
        request.auditTarget = { id: request.params.surveyId, detail: { fileName: name, bytes: body.length } };
        return putDocument(deps, request.params.surveyId, name, body);
      },
    );
  });

  app.delete(
    '/api/surveys/:surveyId/document',
    {
      schema: { tags: ['surveys'], summary: '資料を外す', params: surveyParams },
      config: design('survey.document.delete'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.surveyId };
      return removeDocument(deps, request.params.surveyId);
    },
  );

  app.get(
    '/api/surveys/:surveyId/results',
    {
      schema: { tags: ['surveys'], summary: '集計（対応状況別・設問別）', params: surveyParams },
      config: { permission: 'surveys.results' },
    },
    async (request) => surveyResults(deps, request.params.surveyId),
  );

  app.get(
    '/api/surveys/:surveyId/responses',
    {
      schema: {
        tags: ['surveys'],
        summary: '回答一覧（新しい順、絞り込み）',
        params: surveyParams,
        querystring: responseListQuery,
      },
      config: {
        permission: 'surveys.results',
        audit: { action: 'survey.responses.view', targetType: 'survey' },
      },
    },
    async (request) => {
      const page = await listResponses(deps, request.params.surveyId, request.query);
      request.auditTarget = { id: request.params.surveyId, count: page.items.length };
      return page;
    },
  );

  app.patch(
    '/api/surveys/:surveyId/responses/:responseId',
    {
      schema: {
        tags: ['surveys'],
        summary: '回答の対応状況・管理項目を変更',
        params: responseParams,
        body: responseUpdateSchema,
      },
      config: results('survey.response.update'),
    },
    async (request) => {
      const { surveyId, responseId } = request.params;
      request.auditTarget = { id: surveyId, detail: { responseId, status: request.body.status } };
      return updateResponse(deps, surveyId, responseId, request.body, request.staff?.accountId ?? null);
    },
  );

  app.get(
    '/api/surveys/:surveyId/responses/:responseId/changes',
    {
      schema: { tags: ['surveys'], summary: '回答の変更履歴', params: responseParams },
      config: { permission: 'surveys.results' },
    },
    async (request) => responseChanges(deps, request.params.surveyId, request.params.responseId),
  );

  // A file of an answer (file items, Q-01): only as an attachment, never cached, never sniffed.
  app.get(
    '/api/surveys/:surveyId/responses/:responseId/files/:fileId',
    {
      schema: { tags: ['surveys'], summary: '回答のファイルをダウンロード', params: responseFileParams },
      config: results('survey.response.file.view'),
    },
    async (request, reply) => {
      const { surveyId, responseId, fileId } = request.params;
      request.auditTarget = { id: surveyId, detail: { responseId, fileId } };
      const file = await readResponseFile(deps, surveyId, responseId, fileId);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(file.bytes);
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/surveys/:surveyId/responses.${format}`,
      {
        schema: {
          tags: ['surveys'],
          summary: format === 'csv' ? '回答の CSV（UTF-8 BOM 付き）' : '回答の Excel ファイル',
          params: surveyParams,
          querystring: responseListQuery.omit({ before: true, limit: true }),
        },
        config: { permission: 'surveys.results', audit: { action: 'survey.export', targetType: 'survey' } },
      },
      async (request, reply) => {
        const { header, pages } = await responseExport(deps, request.params.surveyId, request.query);
        request.auditTarget = { id: request.params.surveyId, detail: { format, ...request.query } };
        return sendTablePages(
          reply,
          format,
          { name: `survey-${request.params.surveyId.slice(0, 8)}-${tokyoDay(new Date())}`, sheet: '回答' },
          { header, pages },
        );
      },
    );
  }
}
