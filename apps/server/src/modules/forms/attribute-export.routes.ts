import { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import { csvLines } from '../../platform/http/csv.ts';
import { XLSX_CONTENT_TYPE, xlsxStream } from '../../platform/http/xlsx.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
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
        const { header, total, pages } = await attributeExport(deps.db, deps.cipher, channel.id);
        request.auditTarget = { id: channel.id, count: total, detail: { format } };
        const day = tokyoDay(new Date());
        reply.header('content-disposition', `attachment; filename="friend-attributes-${day}.${format}"`);
        reply.header('cache-control', 'no-store');
        if (format === 'csv') {
          // Streamed: the BOM and header first, then each page as it is read.
          async function* csv() {
            yield `\uFEFF${csvLines([header])}`;
            for await (const rows of pages()) yield csvLines(rows);
          }
          return reply.header('content-type', 'text/csv; charset=utf-8').send(Readable.from(csv()));
        }
        // Streamed too: each page goes into the zip as it is read (the next when the zip has taken it).
        return reply
          .header('content-type', XLSX_CONTENT_TYPE)
          .send(xlsxStream('友だち属性', header, pages()));
      },
    );
  }
}
