import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { toXlsx, XLSX_CONTENT_TYPE } from '../../platform/http/xlsx.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { attributeExport } from './attribute-export.ts';
import { channelQuery } from './forms.schema.ts';

// D-08: citizens' attribute data (registration answers) as CSV (UTF-8 with BOM) or Excel.

export function registerAttributeExportRoutes(
  app: Api,
  deps: { db: Db; cipher: Cipher; channels: ChannelsService },
): void {
  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/friends/attributes.${format}`,
      {
        schema: {
          tags: ['friends'],
          summary:
            format === 'csv'
              ? '友だちの属性データの CSV（D-08）'
              : '友だちの属性データの Excel ファイル（D-08）',
          querystring: channelQuery,
        },
        config: { permission: 'friends.export', audit: { action: 'friend.export', targetType: 'channel' } },
      },
      async (request, reply) => {
        const channel = await deps.channels.get(request.query.channelId);
        const { header, rows } = await attributeExport(deps.db, deps.cipher, channel.id);
        request.auditTarget = { id: channel.id, count: rows.length, detail: { format } };
        const day = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
        reply.header('content-disposition', `attachment; filename="friend-attributes-${day}.${format}"`);
        reply.header('cache-control', 'no-store');
        if (format === 'csv')
          return reply.header('content-type', 'text/csv; charset=utf-8').send(toCsv(header, rows));
        return reply.header('content-type', XLSX_CONTENT_TYPE).send(toXlsx('友だち属性', header, rows));
      },
    );
  }
}
