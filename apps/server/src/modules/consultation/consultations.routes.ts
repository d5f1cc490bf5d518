import type { ConsultationDetail } from '@madoguchi/contracts/consultation.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { StaffPrincipal } from '../../platform/auth/staff-auth.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import type { ConsultationService, CounselorRef } from './consultation.service.ts';
import { summaryView } from './consultation.service.ts';
import { worksAt } from './consultation-access.ts';
import type { ConsultationRow } from './consultations.repository.ts';
import {
  closeSchema,
  consultationListQuery,
  counselorMessageSchema,
  outreachSchema,
  recordSchema,
  transferSchema,
} from './consultations.schema.ts';
import type { DeskCache } from './desk-cache.ts';
import { deskInputSchema, deskUpdateSchema } from './desks.schema.ts';
import { createDesk, listDesks, updateDesk } from './desks.service.ts';
import type { Presence } from './presence.ts';

// Counselor and supervisor API (C-03 … C-11). Every route is in the counselor area (IP allow-list)
// and every read of a consultation is in the audit log.

const who = (staff: StaffPrincipal | undefined): CounselorRef => ({
  accountId: staff!.accountId,
  name: staff!.displayName,
  permissions: staff!.permissions,
});

/** Desks this account may see: all for supervisors; otherwise desks it is assigned to, or desks with no assignment. */
export async function visibleDeskIds(desks: DeskCache, staff: StaffPrincipal): Promise<string[] | undefined> {
  if (staff.permissions.includes('consultation.monitor')) return undefined;
  return (await desks.all()).filter((d) => worksAt(d, staff)).map((d) => d.id);
}

export function registerConsultationRoutes(
  app: Api,
  deps: { db: Db; service: ConsultationService; presence: Presence; desks: DeskCache },
): void {
  const { db, service, presence, desks } = deps;

  app.get(
    '/api/desks',
    {
      schema: { tags: ['consultation'], summary: '相談窓口の一覧' },
      config: { permission: 'consultation.handle' },
    },
    async () => listDesks(db),
  );

  app.post(
    '/api/desks',
    {
      schema: { tags: ['consultation'], summary: '相談窓口を作成', body: deskInputSchema },
      config: { permission: 'consultation.manage', audit: { action: 'desk.create', targetType: 'desk' } },
    },
    async (request, reply) => {
      const desk = await createDesk(db, request.body);
      await desks.changed();
      request.auditTarget = { id: desk.id };
      return reply.status(201).send(desk);
    },
  );

  app.patch(
    '/api/desks/:id',
    {
      schema: {
        tags: ['consultation'],
        summary: '相談窓口を変更',
        params: idParams,
        body: deskUpdateSchema,
      },
      config: { permission: 'consultation.manage', audit: { action: 'desk.update', targetType: 'desk' } },
    },
    async (request) => {
      const desk = await updateDesk(db, request.params.id, request.body);
      await desks.changed();
      return desk;
    },
  );

  app.get(
    '/api/consultations',
    {
      schema: {
        tags: ['consultation'],
        summary: '相談の一覧（待機中・対応中・終了）',
        querystring: consultationListQuery,
      },
      config: { permission: 'consultation.handle' },
    },
    async (request) => {
      const staff = request.staff!;
      const allowed = await visibleDeskIds(desks, staff);
      const q = request.query;
      const deskIds = q.deskId ? (allowed && !allowed.includes(q.deskId) ? [] : [q.deskId]) : allowed;
      const rows = await service.list({
        status: q.status,
        deskIds,
        counselorId: q.mine === 'true' ? staff.accountId : undefined,
        limit: q.limit,
      });
      return { items: rows.map((c) => summaryView(c, presence)) };
    },
  );

  app.get(
    '/api/consultations/:id',
    {
      schema: { tags: ['consultation'], summary: '相談の内容', params: idParams },
      config: {
        permission: 'consultation.handle',
        audit: { action: 'consultation.read', targetType: 'consultation' },
      },
    },
    async (request): Promise<ConsultationDetail<Date>> => {
      const c = await service.loadFor(request.params.id, request.staff!);
      const messages = await service.messages(c.id, { includeNotes: true });
      request.auditTarget = { count: messages.length };
      return {
        consultation: summaryView(c, presence),
        messages,
        record: await service.record(c.id),
        historyConfirmedAt: c.history_confirmed_at,
        pastCount: await service.pastCount(c),
      };
    },
  );

  app.get(
    '/api/consultations/:id/history',
    {
      schema: { tags: ['consultation'], summary: '相談者の過去の相談（C-10）', params: idParams },
      config: {
        permission: 'consultation.handle',
        audit: { action: 'consultation.history-read', targetType: 'consultation' },
      },
    },
    async (request) => {
      const past = await service.history(request.params.id, request.staff!);
      request.auditTarget = { count: past.length };
      return { past };
    },
  );

  const action = (
    path: string,
    summary: string,
    auditAction: string,
    body: z.ZodType,
    run: (c: ConsultationRow, staff: StaffPrincipal, body: never) => Promise<unknown>,
    status = 200,
  ) =>
    app.post(
      `/api/consultations/:id/${path}`,
      {
        schema: { tags: ['consultation'], summary, params: idParams, body },
        config: {
          permission: 'consultation.handle',
          audit: { action: auditAction, targetType: 'consultation' },
        },
      },
      async (request, reply) => {
        const c = await service.loadFor(request.params.id, request.staff!);
        const result = await run(c, request.staff!, request.body as never);
        return result === undefined ? reply.status(204).send() : reply.status(status).send(result);
      },
    );

  action(
    'history-confirm',
    '過去の履歴を確認した（C-10）',
    'consultation.history-confirm',
    z.object({}).optional(),
    async (c, staff) => {
      await service.confirmHistory(c.id, who(staff));
    },
  );
  action('assign', '対応する', 'consultation.assign', z.object({}).optional(), async (c, staff) =>
    summaryView(await service.assign(c.id, who(staff)), presence),
  );
  action(
    'transfer',
    '転送する',
    'consultation.transfer',
    transferSchema,
    async (c, staff, body: { counselorId?: string; deskId?: string }) =>
      summaryView(await service.transfer(c.id, who(staff), body), presence),
  );

  app.post(
    '/api/consultations/:id/takeover',
    {
      schema: {
        tags: ['consultation'],
        summary: '他の相談員が対応中の相談を引き継ぐ（スーパーバイザー）',
        params: idParams,
        body: z.object({}).optional(),
      },
      config: {
        permission: 'consultation.monitor',
        audit: { action: 'consultation.takeover', targetType: 'consultation' },
      },
    },
    async (request) => {
      const { consultation, previousCounselorId } = await service.takeover(
        request.params.id,
        who(request.staff),
      );
      request.auditTarget = { detail: { previousCounselorId } };
      return summaryView(consultation, presence);
    },
  );
  action(
    'messages',
    '返信・内部メモ',
    'consultation.message',
    counselorMessageSchema,
    async (c, staff, body: { clientId: string; text: string; kind: 'text' | 'note' }) =>
      service.counselorMessage(c, who(staff), body),
    201,
  );
  action(
    'close',
    '相談を終了する（C-11）',
    'consultation.close',
    closeSchema,
    async (c, staff, body: { missingReason?: string }) => {
      await service.close(c.id, who(staff), body.missingReason);
    },
  );

  app.put(
    '/api/consultations/:id/record',
    {
      schema: {
        tags: ['consultation'],
        summary: '相談記録を保存（C-11）',
        params: idParams,
        body: recordSchema,
      },
      config: {
        permission: 'consultation.handle',
        audit: { action: 'consultation.record', targetType: 'consultation' },
      },
    },
    async (request) => {
      const c = await service.loadFor(request.params.id, request.staff!);
      return service.saveRecord(c.id, who(request.staff), request.body.values);
    },
  );

  app.post(
    '/api/consultations/outreach',
    {
      schema: {
        tags: ['consultation'],
        summary: '相談員から話しかける（C-07）',
        body: outreachSchema,
      },
      config: {
        permission: 'consultation.handle',
        audit: { action: 'consultation.outreach', targetType: 'consultee' },
      },
    },
    async (request, reply) => {
      request.auditTarget = { id: request.body.consulteeId };
      const c = await service.outreach(who(request.staff), {
        ...request.body,
        clientId: request.body.clientId ?? crypto.randomUUID(),
      });
      return reply.status(201).send(summaryView(c, presence));
    },
  );
}
