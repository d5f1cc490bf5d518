import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import { sendTablePages } from '../../platform/http/table-export.ts';
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
        const file = { name: `friend-attributes-${tokyoDay(new Date())}`, sheet: '友だち属性' };
        // Streamed: each page goes into the file as it is read (the next when the answer has taken it).
        return sendTablePages(reply, format, file, { header, pages });
      },
    );
  }
}
