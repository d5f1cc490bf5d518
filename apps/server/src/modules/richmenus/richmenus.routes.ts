import {
  disasterConfirmSchema,
  disasterPrepareSchema,
  publishSchema,
  tabGroupInputSchema,
  tabGroupUpdateSchema,
} from '@madoguchi/contracts/richmenus.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import type { DisasterSwitch } from './disaster-switch.ts';
import type { PublicationsService } from './publications.service.ts';
import { countUriTap } from './richmenu-taps.ts';
import type { RichMenusService } from './richmenus.service.ts';

// Tabbed rich menus (M-01 … M-05, O-08): tab groups, their publications, tap counts, the tab image
// preview, and the counted redirect of uri areas (GET /rm/<area id>, public).

const listQuery = z.object({ channelId: z.uuid('チャネル ID の形式が正しくありません').optional() });
const tabParams = z.object({
  id: z.uuid('ID の形式が正しくありません'),
  tabId: z.uuid('タブ ID の形式が正しくありません'),
});
const day = z.iso.date('日付は YYYY-MM-DD で指定してください');
const tapsQuery = z.object({ from: day.optional(), to: day.optional() });
const AREA = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>リンクが見つかりません</title></head>
<body style="font-family: sans-serif; line-height: 1.7; margin: 2rem; font-size: 1.125rem">
<h1 style="font-size: 1.5rem">リンクが見つかりません</h1>
<p>このメニューのリンクは変更されたか、削除されました。トーク画面のメニューをもう一度お試しください。</p>
</body>
</html>
`;

const M = 'richmenus.manage' as const;

export function registerRichMenuRoutes(
  app: Api,
  deps: { db: Db; menus: RichMenusService; publications: PublicationsService; disaster: DisasterSwitch },
): void {
  const { menus, publications, disaster } = deps;

  // Disaster mode: prepare (what would happen, and a token), then confirm with the token.
  app.post(
    '/api/richmenus/disaster/prepare',
    {
      schema: {
        tags: ['richmenus'],
        summary: '災害用メニューへの切り替え・解除の準備',
        body: disasterPrepareSchema,
      },
      config: { permission: M, audit: { action: 'richmenu.disaster-prepare', targetType: 'richmenu' } },
    },
    async (request) => {
      const prepared = await disaster.prepare(request.body, request.staff?.accountId ?? null);
      request.auditTarget = {
        id: prepared.groupId ?? undefined,
        detail: { on: prepared.on, friends: prepared.friends, until: prepared.until },
      };
      return prepared;
    },
  );

  app.post(
    '/api/richmenus/disaster/confirm',
    {
      schema: {
        tags: ['richmenus'],
        summary: '災害用メニューへの切り替え・解除の実行',
        body: disasterConfirmSchema,
      },
      config: { permission: M, audit: { action: 'richmenu.disaster-switch', targetType: 'richmenu' } },
    },
    async (request) => {
      const p = await disaster.confirm(request.body.token, request.staff?.accountId ?? null);
      request.auditTarget = {
        id: p.group_id,
        detail: { publicationId: p.id, status: p.status, until: p.ends_at },
      };
      return { publicationId: p.id, groupId: p.group_id, status: p.status, error: p.error };
    },
  );

  app.get(
    '/api/richmenus/disaster',
    {
      schema: {
        tags: ['richmenus'],
        summary: '災害用メニューの表示状況',
        querystring: z.object({ channelId: z.uuid('チャネル ID の形式が正しくありません') }),
      },
      config: { permission: M },
    },
    async (request) => {
      const p = await disaster.live(request.query.channelId);
      return p
        ? {
            active: true,
            publicationId: p.id,
            groupId: p.group_id,
            status: p.status,
            error: p.error,
            until: p.ends_at,
          }
        : { active: false };
    },
  );

  app.get(
    '/api/richmenus',
    {
      schema: { tags: ['richmenus'], summary: 'リッチメニューの一覧', querystring: listQuery },
      config: { permission: M },
    },
    async (request) => menus.list(request.query.channelId),
  );

  app.get(
    '/api/richmenus/:id',
    {
      schema: { tags: ['richmenus'], summary: 'リッチメニュー', params: idParams },
      config: { permission: M },
    },
    async (request) => menus.view(request.params.id),
  );

  app.post(
    '/api/richmenus',
    {
      schema: { tags: ['richmenus'], summary: 'リッチメニューを作成', body: tabGroupInputSchema },
      config: { permission: M, audit: { action: 'richmenu.create', targetType: 'richmenu' } },
    },
    async (request, reply) => {
      const group = await menus.create(request.body, request.staff?.accountId ?? null);
      request.auditTarget = { id: group.id, detail: { name: group.name, status: group.status } };
      return reply.status(201).send(group);
    },
  );

  app.put(
    '/api/richmenus/:id',
    {
      schema: {
        tags: ['richmenus'],
        summary: 'リッチメニューを変更',
        params: idParams,
        body: tabGroupUpdateSchema,
      },
      config: { permission: M, audit: { action: 'richmenu.update', targetType: 'richmenu' } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id };
      return menus.update(request.params.id, request.body);
    },
  );

  app.delete(
    '/api/richmenus/:id',
    {
      schema: { tags: ['richmenus'], summary: 'リッチメニューを削除', params: idParams },
      config: { permission: M, audit: { action: 'richmenu.delete', targetType: 'richmenu' } },
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.id };
      await menus.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/richmenus/:id/sync',
    {
      schema: { tags: ['richmenus'], summary: 'リッチメニューを LINE に再登録', params: idParams },
      config: { permission: M, audit: { action: 'richmenu.sync', targetType: 'richmenu' } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id };
      await menus.sync(request.params.id);
      return menus.view(request.params.id);
    },
  );

  app.post(
    '/api/richmenus/:id/publications',
    {
      schema: {
        tags: ['richmenus'],
        summary: 'リッチメニューを公開・予約',
        params: idParams,
        body: publishSchema,
      },
      config: { permission: M, audit: { action: 'richmenu.publish', targetType: 'richmenu' } },
    },
    async (request, reply) => {
      const p = await publications.publish(request.params.id, request.body, request.staff?.accountId ?? null);
      request.auditTarget = {
        id: request.params.id,
        detail: { publicationId: p.id, target: p.target, status: p.status },
      };
      return reply.status(201).send(await menus.view(request.params.id));
    },
  );

  app.delete(
    '/api/richmenus/:id/publications/:publicationId',
    {
      schema: {
        tags: ['richmenus'],
        summary: 'リッチメニューの公開を終了',
        params: z.object({
          id: z.uuid('ID の形式が正しくありません'),
          publicationId: z.uuid('公開 ID の形式が正しくありません'),
        }),
      },
      config: { permission: M, audit: { action: 'richmenu.unpublish', targetType: 'richmenu' } },
    },
    async (request) => {
      const p = await publications.get(request.params.publicationId, request.params.id);
      await publications.unpublish(p.id);
      request.auditTarget = { id: request.params.id, detail: { publicationId: p.id } };
      return menus.view(request.params.id);
    },
  );

  app.get(
    '/api/richmenus/:id/taps',
    {
      schema: { tags: ['richmenus'], summary: 'タップ数', params: idParams, querystring: tapsQuery },
      config: { permission: [M, 'analytics.view'] },
    },
    async (request) => menus.taps(request.params.id, request.query.from, request.query.to),
  );

  app.get(
    '/api/richmenus/:id/tabs/:tabId/image',
    { schema: { tags: ['richmenus'], summary: 'タブの画像', params: tabParams }, config: { permission: M } },
    async (request, reply) => {
      const image = await menus.image(request.params.id, request.params.tabId);
      return reply.type(image.contentType).header('cache-control', 'no-store').send(image.data);
    },
  );

  app.get(
    '/rm/:areaId',
    {
      schema: { hide: true, params: z.object({ areaId: z.string().max(100) }) },
      config: { staff: false, rateLimit: { max: 600, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const target = AREA.test(request.params.areaId)
        ? await countUriTap(deps.db, request.params.areaId)
        : null;
      if (!target) {
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(NOT_FOUND_PAGE);
      }
      return reply.header('cache-control', 'no-store').redirect(target, 302);
    },
  );
}
