import { displayText, plainText } from '@madoguchi/contracts/text.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { type Api, idParams } from '../../platform/http/api.ts';
import { sendTable } from '../../platform/http/table-export.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { createIncident, listIncidents, updateIncident } from './incidents.service.ts';

const instant = z.iso.datetime({
  offset: true,
  message: '日時は ISO 8601（例: 2026-12-01T09:00:00+09:00）で指定してください',
});

const incidentBody = z.object({
  title: displayText(200),
  status: z.enum(['open', 'resolved']).default('open'),
  startedAt: instant.transform((v) => new Date(v)),
  endedAt: instant
    .nullable()
    .default(null)
    .transform((v) => (v ? new Date(v) : null)),
  impact: plainText(4000).default(''),
  cause: plainText(4000).default(''),
  action: plainText(4000).default(''),
  prevention: plainText(4000).default(''),
});

const STATUS_JA = { open: '対応中', resolved: '解決済み' } as const;

// GET/POST /api/incidents, PATCH /api/incidents/:id, GET /api/incidents.csv — the incident reports
// (障害報告, O-03) for the administrators (incidents.manage); changes and the export are audited.
export function registerIncidentRoutes(app: Api, db: Db): void {
  app.get(
    '/api/incidents',
    {
      schema: { tags: ['incidents'], summary: '障害報告の一覧（新しい順）' },
      config: { permission: 'incidents.manage' },
    },
    async () => ({ items: await listIncidents(db) }),
  );

  app.post(
    '/api/incidents',
    {
      schema: { tags: ['incidents'], summary: '障害報告を作成', body: incidentBody },
      config: {
        permission: 'incidents.manage',
        audit: { action: 'incident.create', targetType: 'incident' },
      },
    },
    async (request, reply) => {
      const created = await createIncident(db, request.body, request.staff?.accountId ?? null);
      request.auditTarget = { id: created.id, detail: { title: created.title, status: created.status } };
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/api/incidents/:id',
    {
      schema: { tags: ['incidents'], summary: '障害報告を変更', params: idParams, body: incidentBody },
      config: {
        permission: 'incidents.manage',
        audit: { action: 'incident.update', targetType: 'incident' },
      },
    },
    async (request) => {
      const updated = await updateIncident(db, request.params.id, request.body);
      request.auditTarget = { id: updated.id, detail: { status: updated.status } };
      return updated;
    },
  );

  app.get(
    '/api/incidents.csv',
    {
      schema: { tags: ['incidents'], summary: '障害報告の CSV' },
      config: {
        permission: 'incidents.manage',
        audit: { action: 'incident.export', targetType: 'incident' },
      },
    },
    async (request, reply) => {
      const items = await listIncidents(db);
      request.auditTarget = { count: items.length };
      return sendTable(
        reply,
        'csv',
        { name: 'incident-reports', sheet: '障害報告' },
        {
          header: ['件名', '状態', '開始日時', '終了日時', '影響', '原因', '対応', '再発防止策', 'ID'],
          rows: items.map((i) => [
            i.title,
            STATUS_JA[i.status],
            tokyoDateTime(i.startedAt),
            tokyoDateTime(i.endedAt),
            i.impact,
            i.cause,
            i.action,
            i.prevention,
            i.id,
          ]),
        },
      );
    },
  );
}
