import {
  channelQuery,
  draftSaveSchema,
  publishBodySchema,
  scenarioCreateSchema,
  sendToPhoneSchema,
  statsExportQuery,
  testTurnSchema,
} from '@madoguchi/contracts/chatbot.schema.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import { sendTable } from '../../platform/http/table-export.ts';
import {
  closeHandover,
  createScenario,
  deleteScenario,
  getScenario,
  listHandovers,
  listScenarios,
  listVersions,
  publishScenario,
  restoreVersion,
  saveDraft,
  scenarioStats,
  sendToPhone,
  testTurn,
  unpublishScenario,
} from './chatbot.service.ts';
import type { ChatbotRuntime } from './chatbot-line.ts';
import { type FaqStatsRow, statsTable } from './chatbot-stats.ts';

// /api/chatbot/scenarios … and hand-overs (B-01 … B-03): the routes of packages/contracts/src/chatbot.ts.
// Writes need chatbot.manage and are audited; reading needs chatbot.view (or manage).

const M = 'chatbot.manage' as const;
const V = ['chatbot.view', 'chatbot.manage'] as const;
const T = 'chatbot-scenario';
const versionParams = z.object({
  id: z.uuid('ID の形式が正しくありません'),
  version: z.coerce.number().int('版は整数です').min(1, '版は 1 以上です').max(1_000_000_000),
});

export function registerChatbotRoutes(
  app: Api,
  deps: {
    db: Db;
    cipher: Cipher;
    runtime: ChatbotRuntime;
    contact: string;
    publicUrl: string;
    onOutbox: () => void;
    faqStatsRows?: (db: Db, channelId: string) => Promise<FaqStatsRow[]>;
  },
): void {
  const { db } = deps;
  const tags = ['chatbot'];

  app.get(
    '/api/chatbot/scenarios',
    { schema: { tags, summary: 'シナリオの一覧', querystring: channelQuery }, config: { permission: V } },
    async (request) => listScenarios(db, request.query.channelId),
  );

  app.post(
    '/api/chatbot/scenarios',
    {
      schema: { tags, summary: 'シナリオを作成', body: scenarioCreateSchema },
      config: { permission: M, audit: { action: 'chatbot.scenario-create', targetType: T } },
    },
    async (request, reply) => {
      const view = await createScenario(db, request.body, {
        contact: deps.contact,
        publicUrl: deps.publicUrl,
      });
      request.auditTarget = { id: view.id, detail: { key: view.key, template: request.body.template } };
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/chatbot/scenarios/:id',
    { schema: { tags, summary: 'シナリオ', params: idParams }, config: { permission: V } },
    async (request) => getScenario(db, request.params.id),
  );

  app.put(
    '/api/chatbot/scenarios/:id/draft',
    {
      schema: { tags, summary: 'シナリオの下書きを保存', params: idParams, body: draftSaveSchema },
      config: { permission: M, audit: { action: 'chatbot.scenario-update', targetType: T } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id };
      const view = await saveDraft(db, request.params.id, request.body.revision, request.body.draft);
      request.auditTarget = { id: view.id, detail: { revision: view.revision, nodes: view.nodeCount } };
      return view;
    },
  );

  app.post(
    '/api/chatbot/scenarios/:id/publish',
    {
      schema: { tags, summary: 'シナリオを公開', params: idParams, body: publishBodySchema },
      config: { permission: M, audit: { action: 'chatbot.scenario-publish', targetType: T } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id };
      const view = await publishScenario(
        db,
        request.params.id,
        request.body.revision,
        request.staff?.accountId ?? null,
      );
      request.auditTarget = { id: view.id, detail: { version: view.publishedVersion } };
      return view;
    },
  );

  app.post(
    '/api/chatbot/scenarios/:id/unpublish',
    {
      schema: { tags, summary: 'シナリオの公開を停止', params: idParams },
      config: { permission: M, audit: { action: 'chatbot.scenario-unpublish', targetType: T } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id };
      return unpublishScenario(db, request.params.id);
    },
  );

  app.get(
    '/api/chatbot/scenarios/:id/versions',
    { schema: { tags, summary: 'シナリオの公開した版', params: idParams }, config: { permission: V } },
    async (request) => listVersions(db, request.params.id),
  );

  app.post(
    '/api/chatbot/scenarios/:id/versions/:version/restore',
    {
      schema: { tags, summary: '以前の版を下書きに戻す', params: versionParams },
      config: { permission: M, audit: { action: 'chatbot.scenario-restore', targetType: T } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id, detail: { version: request.params.version } };
      return restoreVersion(db, request.params.id, request.params.version);
    },
  );

  app.delete(
    '/api/chatbot/scenarios/:id',
    {
      schema: { tags, summary: 'シナリオを削除', params: idParams },
      config: { permission: M, audit: { action: 'chatbot.scenario-delete', targetType: T } },
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.id };
      await deleteScenario(db, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/chatbot/scenarios/:id/test',
    {
      schema: {
        tags,
        summary: '下書きを試す（LINE には送りません）',
        params: idParams,
        body: testTurnSchema,
      },
      config: { permission: M, audit: { action: 'chatbot.scenario-test', targetType: T } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id, detail: { input: request.body.input.kind } };
      return testTurn(db, deps.runtime, request.params.id, request.body);
    },
  );

  app.post(
    '/api/chatbot/scenarios/:id/send-to-phone',
    {
      schema: { tags, summary: '下書きをテスト用の友だちに送る', params: idParams, body: sendToPhoneSchema },
      config: { permission: M, audit: { action: 'chatbot.scenario-send-test', targetType: T } },
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.id, detail: { friendId: request.body.friendId } };
      await sendToPhone(db, deps.cipher, deps.runtime, request.params.id, request.body.friendId);
      deps.onOutbox();
      return reply.code(202).send({ accepted: true });
    },
  );

  app.get(
    '/api/chatbot/scenarios/:id/stats',
    { schema: { tags, summary: 'シナリオの利用状況', params: idParams }, config: { permission: V } },
    async (request) => scenarioStats(db, request.params.id),
  );

  app.get(
    '/api/chatbot/stats/export',
    {
      schema: { tags, summary: 'チャットボットの利用状況を出力', querystring: statsExportQuery },
      config: { permission: V, audit: { action: 'chatbot.stats-export', targetType: 'channel' } },
    },
    async (request, reply) => {
      const { channelId, format } = request.query;
      request.auditTarget = { id: channelId, detail: { format } };
      const table = await statsTable(db, channelId, deps.faqStatsRows);
      return sendTable(
        reply,
        format,
        { name: `chatbot-stats-${channelId.slice(0, 8)}`, sheet: '利用状況' },
        table,
      );
    },
  );

  app.get(
    '/api/chatbot/handovers',
    { schema: { tags, summary: '担当者への引き継ぎ', querystring: channelQuery }, config: { permission: V } },
    async (request) => listHandovers(db, request.query.channelId),
  );

  app.post(
    '/api/chatbot/handovers/:id/close',
    {
      schema: { tags, summary: '引き継ぎを終了（ボットが再び答えます）', params: idParams },
      config: { permission: M, audit: { action: 'chatbot.handover-close', targetType: 'chatbot-handover' } },
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.id };
      await closeHandover(db, request.params.id, request.staff?.accountId ?? null);
      return reply.code(204).send();
    },
  );
}
