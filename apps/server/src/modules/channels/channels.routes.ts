import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import { channelCreateSchema, channelUpdateSchema } from './channels.schema.ts';
import type { ChannelsService } from './channels.service.ts';

export function registerChannelRoutes(app: Api, channels: ChannelsService): void {
  app.get(
    '/api/channels',
    {
      schema: { tags: ['channels'], summary: 'LINE 公式アカウント（チャネル）一覧' },
      config: { permission: 'channels.view' },
    },
    async () => channels.list(),
  );

  app.post(
    '/api/channels',
    {
      schema: { tags: ['channels'], summary: 'チャネルを登録', body: channelCreateSchema },
      config: { permission: 'channels.manage', audit: { action: 'channel.create', targetType: 'channel' } },
    },
    async (request, reply) => {
      const channel = await channels.create(request.body);
      request.auditTarget = { id: channel.id };
      return reply.status(201).send(channel);
    },
  );

  app.patch(
    '/api/channels/:id',
    {
      schema: { tags: ['channels'], summary: 'チャネルを変更', params: idParams, body: channelUpdateSchema },
      config: { permission: 'channels.manage', audit: { action: 'channel.update', targetType: 'channel' } },
    },
    async (request) => channels.update(request.params.id, request.body),
  );
}
