import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { disasterModeView } from './disaster-mode.service.ts';

// Disaster mode as the dashboard banner and the disaster page read it: for every role that
// sees the dashboard (the switch itself, /api/richmenus/disaster/*, needs richmenus.manage).

const statusQuery = z.object({ channelId: z.uuid('チャネル ID の形式が正しくありません') });

export function registerDisasterRoutes(app: Api, deps: { db: Db; channels: ChannelsService }): void {
  app.get(
    '/api/disaster/status',
    {
      schema: {
        tags: ['disaster'],
        summary: '災害モードの状態（ダッシュボードの表示）',
        querystring: statusQuery,
      },
      config: { permission: ['dashboard.view', 'richmenus.manage'] },
    },
    async (request) => {
      if (!(await deps.channels.secrets(request.query.channelId))) throw notFound('チャネル');
      return disasterModeView(deps.db, request.query.channelId);
    },
  );
}
