import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import type { ConsultationService } from './consultation.service.ts';
import { assertOwner, createWebConsultee, findConsultee, forConsultee } from './consultee-identity.ts';
import { checkAccessCode, deskOpen, getDeskBySlug } from './desks.service.ts';

// The consultee's side over HTTP: desk information, starting or resuming, ending (C-01, C-02).
export function registerConsultRoutes(
  app: Api,
  deps: { db: Db; config: Config; service: ConsultationService },
): void {
  const { db, service } = deps;
  const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{2,40}$/) });

  app.get(
    '/api/consult/desks/:slug',
    {
      schema: { tags: ['consult'], summary: '相談窓口の案内', params: slugParams },
      config: { staff: false },
    },
    async (request) => {
      const d = await getDeskBySlug(db, request.params.slug);
      return {
        name: d.name,
        description: d.description,
        openNow: deskOpen(d, new Date()),
        hours: d.hours,
        closedOnHolidays: d.closed_on_holidays,
        closedYearEnd: d.closed_year_end,
        emergencyContacts: d.emergency_contacts,
        greeting: d.greeting,
        webEnabled: d.web_enabled,
        requiresAccessCode: d.access_code_hash !== null,
      };
    },
  );

  app.post(
    '/api/consult/start',
    {
      schema: {
        tags: ['consult'],
        summary: '相談を始める（再開する）',
        body: z.object({
          deskSlug: z.string().regex(/^[a-z0-9-]{2,40}$/),
          accessCode: z.string().max(64).optional(),
        }),
      },
      config: { staff: false, rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const desk = await getDeskBySlug(db, request.body.deskSlug);
      let consultee = await findConsultee(db, request);
      if (consultee?.origin === 'line' && desk.channel_id && consultee.channelId !== desk.channel_id)
        consultee = null;
      if (!consultee || consultee.origin === 'web') {
        if (!desk.web_enabled) {
          throw new AppError(403, 'LINE_REQUIRED', 'この窓口は LINE からご利用ください');
        }
        // The school's access code is asked for whenever a new consultation would begin.
        const resuming = consultee && (await service.hasOpen(consultee.id, desk.id));
        if (!resuming && !(await checkAccessCode(desk, request.body.accessCode))) {
          throw new AppError(403, 'ACCESS_CODE_INVALID', 'アクセスコードが違います');
        }
        consultee ??= await createWebConsultee(db, deps.config, reply);
      }
      const c = await service.start(desk, consultee.id, consultee.origin);
      return {
        consultationId: c.id,
        status: c.status,
        messages: (await service.messages(c.id, { includeNotes: false })).map(forConsultee),
      };
    },
  );

  app.post(
    '/api/consult/:id/end',
    {
      schema: {
        tags: ['consult'],
        summary: '相談者が相談を終える',
        params: z.object({ id: z.uuid('ID の形式が正しくありません') }),
      },
      config: { staff: false },
    },
    async (request, reply) => {
      const c = await service.load(request.params.id);
      assertOwner(c, await findConsultee(db, request));
      await service.endByConsultee(c);
      return reply.status(204).send();
    },
  );
}
