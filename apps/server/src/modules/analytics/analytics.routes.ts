import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { sendTable } from '../../platform/http/table-export.ts';
import { deliveriesQuery, deliveryParams, deliveryQuery, periodQuery, toPeriod } from './analytics.schema.ts';
import {
  deliveriesReport,
  deliveriesTable,
  deliveryReport,
  deliveryTable,
  friendsReport,
  friendsTable,
} from './analytics.service.ts';

// Delivery analytics and friends over time, as JSON for the console and as CSV (UTF-8 with BOM)
// and Excel files (G-10, O-08, 002:5(1)⑦). Viewing needs analytics.view; every export is audited.

export function registerAnalyticsRoutes(app: Api, deps: { db: Db; publicUrl: string }): void {
  const { db, publicUrl } = deps;

  app.get(
    '/api/analytics/deliveries',
    {
      schema: {
        tags: ['analytics'],
        summary: '期間の配信実績（配信ごと・日別・月別・合計。G-10）',
        querystring: deliveriesQuery,
      },
      config: { permission: 'analytics.view' },
    },
    async (request) =>
      deliveriesReport(db, {
        channelId: request.query.channelId,
        period: toPeriod(request.query),
        includeTest: request.query.includeTest === 'true',
      }),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/analytics/deliveries.${format}`,
      {
        schema: {
          tags: ['analytics'],
          summary: `期間の配信実績の${format === 'csv' ? ' CSV' : ' Excel ファイル'}（G-10）`,
          querystring: deliveriesQuery,
        },
        config: {
          permission: 'analytics.view',
          audit: { action: 'analytics.export', targetType: 'channel' },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const report = await deliveriesReport(db, {
          channelId: q.channelId,
          period: toPeriod(q),
          includeTest: q.includeTest === 'true',
        });
        const table = deliveriesTable(report);
        request.auditTarget = {
          id: q.channelId,
          count: table.rows.length,
          detail: { report: 'deliveries', from: q.from, to: q.to, format },
        };
        return sendTable(reply, format, { name: `deliveries-${q.from}-${q.to}`, sheet: '配信実績' }, table);
      },
    );
  }

  app.get(
    '/api/analytics/deliveries/:id',
    {
      schema: {
        tags: ['analytics'],
        summary: '配信ごとの実績（リンク別・日別・時間帯別クリック、属性別の配信数。G-10）',
        params: deliveryParams,
        querystring: deliveryQuery,
      },
      config: { permission: 'analytics.view' },
    },
    async (request) => deliveryReport(db, request.params.id, request.query.itemId, publicUrl),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/analytics/deliveries/:id.${format}`,
      {
        schema: {
          tags: ['analytics'],
          summary: `配信ごとの実績の${format === 'csv' ? ' CSV' : ' Excel ファイル'}（G-10）`,
          params: deliveryParams,
          querystring: deliveryQuery,
        },
        config: {
          permission: 'analytics.view',
          audit: { action: 'analytics.export', targetType: 'delivery' },
        },
      },
      async (request, reply) => {
        const report = await deliveryReport(db, request.params.id, request.query.itemId, publicUrl);
        const table = deliveryTable(report);
        request.auditTarget = {
          id: request.params.id,
          count: table.rows.length,
          detail: { report: 'delivery', itemId: request.query.itemId ?? null, format },
        };
        return sendTable(
          reply,
          format,
          { name: `delivery-${request.params.id}`, sheet: '配信ごとの実績' },
          table,
        );
      },
    );
  }

  app.get(
    '/api/analytics/friends',
    {
      schema: {
        tags: ['analytics'],
        summary: '友だち数・友だち追加・ブロックの推移（O-08）',
        querystring: periodQuery,
      },
      config: { permission: 'analytics.view' },
    },
    async (request) =>
      friendsReport(db, { channelId: request.query.channelId, period: toPeriod(request.query) }),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/analytics/friends.${format}`,
      {
        schema: {
          tags: ['analytics'],
          summary: `友だちの推移の${format === 'csv' ? ' CSV' : ' Excel ファイル'}（O-08）`,
          querystring: periodQuery,
        },
        config: {
          permission: 'analytics.view',
          audit: { action: 'analytics.export', targetType: 'channel' },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const report = await friendsReport(db, { channelId: q.channelId, period: toPeriod(q) });
        const table = friendsTable(report);
        request.auditTarget = {
          id: q.channelId,
          count: table.rows.length,
          detail: { report: 'friends', from: q.from, to: q.to, format },
        };
        return sendTable(reply, format, { name: `friends-${q.from}-${q.to}`, sheet: '友だちの推移' }, table);
      },
    );
  }
}
