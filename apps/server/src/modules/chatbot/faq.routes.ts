import {
  faqDismissBody,
  faqImportQuery,
  faqListQuery,
  faqSearchBody,
  faqUnansweredQuery,
} from '@madoguchi/contracts/chatbot.schema.ts';
import { FAQ_LIMITS } from '@madoguchi/contracts/chatbot.ts';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { acceptRawBody } from '../../platform/http/raw-body.ts';
import { sendTable } from '../../platform/http/table-export.ts';
import {
  dismissUnansweredQuestion,
  faqExportRows,
  importFaq,
  listFaq,
  searchFaqForStaff,
  unansweredOf,
} from './faq.service.ts';
import { FAQ_EXPORT_HEADER } from './faq-import.ts';

// The FAQ over HTTP (B-04), the routes of packages/contracts/src/chatbot.ts § FAQ: list, import
// (dry run and real; the file is the raw request body), export, the search as LINE would answer,
// the unanswered questions and their dismissal. Import and dismissal need chatbot.manage; reading
// needs chatbot.view (or manage). Changes and the search test are audited.

const M = 'chatbot.manage' as const;
const V = ['chatbot.view', 'chatbot.manage'] as const;
const T = 'chatbot-faq';
const tags = ['chatbot'];

const tooLarge = () =>
  new AppError(
    413,
    'FAQ_FILE_TOO_LARGE',
    `ファイルが大きすぎます（${FAQ_LIMITS.fileBytes / 1024 / 1024} MB まで）`,
  );

export function registerFaqRoutes(app: Api, deps: { db: Db; cipher?: Cipher }): void {
  const { db } = deps;

  app.get(
    '/api/chatbot/faq',
    {
      schema: { tags, summary: 'FAQ の一覧（検索・カテゴリで絞り込み。B-04）', querystring: faqListQuery },
      config: { permission: V },
    },
    async (request) => {
      const { channelId, ...filter } = request.query;
      return listFaq(db, channelId, filter);
    },
  );

  app.get(
    '/api/chatbot/faq/export',
    {
      schema: {
        tags,
        summary: 'FAQ を Excel に出力（取り込みと同じ列、ID が先頭。B-04）',
        querystring: faqListQuery.pick({ channelId: true }),
      },
      config: { permission: V, audit: { action: 'chatbot.faq-export', targetType: T } },
    },
    async (request, reply) => {
      const { channelId } = request.query;
      const rows = await faqExportRows(db, channelId);
      request.auditTarget = { id: channelId, count: rows.length };
      return sendTable(
        reply,
        'xlsx',
        { name: `faq-${channelId.slice(0, 8)}`, sheet: 'FAQ' },
        { header: FAQ_EXPORT_HEADER, rows },
      );
    },
  );

  app.post(
    '/api/chatbot/faq/search',
    {
      schema: { tags, summary: 'FAQ の回答を試す（LINE で答える内容。B-04）', body: faqSearchBody },
      config: { permission: V, audit: { action: 'chatbot.faq-search', targetType: T } },
    },
    async (request) => {
      const { channelId, text } = request.body;
      const match = await searchFaqForStaff(db, channelId, text);
      request.auditTarget = { id: channelId, detail: { kind: match.kind } };
      return match;
    },
  );

  app.get(
    '/api/chatbot/faq/unanswered',
    {
      schema: {
        tags,
        summary: 'FAQ で答えられなかった質問（多い順。B-04）',
        querystring: faqUnansweredQuery,
      },
      config: { permission: V },
    },
    async (request) => unansweredOf(db, request.query.channelId, request.query.limit),
  );

  app.post(
    '/api/chatbot/faq/unanswered/dismiss',
    {
      schema: { tags, summary: '未回答の質問を一覧から外す（B-04）', body: faqDismissBody },
      config: { permission: M, audit: { action: 'chatbot.faq-unanswered-dismiss', targetType: T } },
    },
    async (request, reply) => {
      const { channelId, text } = request.body;
      await dismissUnansweredQuestion(db, channelId, text);
      request.auditTarget = { id: channelId };
      return reply.code(204).send();
    },
  );

  // The import reads the body itself (xlsx or CSV bytes), so its parser lives in its own scope.
  app.register(async (scope: Api) => {
    acceptRawBody(scope, FAQ_LIMITS.fileBytes, tooLarge);
    const run = async (request: FastifyRequest) => {
      const { channelId, dryRun: dry } = faqImportQuery.parse(request.query ?? {});
      const dryRun = dry === 'true';
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      request.auditTarget = { id: channelId, detail: { bytes: body.length } };
      const result = await importFaq(db, channelId, body, dryRun);
      request.auditTarget = {
        id: channelId,
        count: result.rows,
        detail: {
          dryRun,
          bytes: body.length,
          type: result.type,
          created: result.created,
          updated: result.updated,
          removed: result.removed,
          errors: result.errors.length,
        },
      };
      const { type: _type, ...view } = result;
      return view;
    };
    scope.post(
      '/api/chatbot/faq/import',
      {
        schema: {
          tags,
          summary:
            'FAQ の取り込み（xlsx / CSV。dryRun=true は確認だけ、false は1つのトランザクションで置き換え。問題のある行があれば何も変えない。B-04）',
          querystring: faqImportQuery,
        },
        config: { permission: M, audit: { action: 'chatbot.faq-import', targetType: T } },
      },
      run,
    );
  });
}
