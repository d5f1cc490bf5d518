import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { badRequest } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { sendTable } from '../../platform/http/table-export.ts';
import type { ConsultationKeys } from './consultation-keys.ts';
import { consultationExport, consultationStats } from './consultation-stats.ts';

const periodQuery = z.object({
  from: z.iso.date('日付は YYYY-MM-DD で指定してください'),
  to: z.iso.date('日付は YYYY-MM-DD で指定してください'),
  deskId: z.uuid().optional(),
});

/** The period as Tokyo days, "to" inclusive. */
function period(q: z.infer<typeof periodQuery>) {
  const from = new Date(`${q.from}T00:00:00+09:00`);
  const to = new Date(`${q.to}T00:00:00+09:00`);
  to.setUTCDate(to.getUTCDate() + 1);
  if (to <= from) throw badRequest('INVALID_PERIOD', '終了日は開始日以降にしてください');
  return { from, to, deskId: q.deskId };
}

export function registerConsultationStatsRoutes(app: Api, deps: { db: Db; keys: ConsultationKeys }): void {
  app.get(
    '/api/consultation-stats',
    {
      schema: { tags: ['consultation'], summary: '相談の統計（C-05）', querystring: periodQuery },
      config: { permission: 'consultation.export' },
    },
    async (request) => consultationStats(deps.db, deps.keys, period(request.query)),
  );

  app.get(
    '/api/consultations.csv',
    {
      schema: { tags: ['consultation'], summary: '相談と記録の CSV（C-05）', querystring: periodQuery },
      config: {
        permission: 'consultation.export',
        audit: { action: 'consultation.export', targetType: 'consultation' },
      },
    },
    async (request, reply) => {
      const { header, rows } = await consultationExport(deps.db, deps.keys, period(request.query));
      request.auditTarget = {
        count: rows.length,
        detail: { from: request.query.from, to: request.query.to },
      };
      const name = `consultations-${request.query.from}-${request.query.to}`;
      return sendTable(reply, 'csv', { name, sheet: '相談' }, { header, rows });
    },
  );

  app.get(
    '/api/consultations.xlsx',
    {
      schema: {
        tags: ['consultation'],
        summary: '相談と記録の Excel ファイル（C-05）',
        querystring: periodQuery,
      },
      config: {
        permission: 'consultation.export',
        audit: { action: 'consultation.export', targetType: 'consultation' },
      },
    },
    async (request, reply) => {
      const { header, rows } = await consultationExport(deps.db, deps.keys, period(request.query));
      request.auditTarget = {
        count: rows.length,
        detail: { from: request.query.from, to: request.query.to, format: 'xlsx' },
      };
      const name = `consultations-${request.query.from}-${request.query.to}`;
      return sendTable(reply, 'xlsx', { name, sheet: '相談' }, { header, rows });
    },
  );
}
