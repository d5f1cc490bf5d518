import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { registerAccountRoutes } from './modules/accounts/accounts.routes.ts';
import { registerSessionRoutes } from './modules/accounts/session.routes.ts';
import { registerAnalyticsRoutes } from './modules/analytics/analytics.routes.ts';
import { registerChannelRoutes } from './modules/channels/channels.routes.ts';
import { createChannelsService } from './modules/channels/channels.service.ts';
import { registerCitizenRoutes } from './modules/citizen/citizen.routes.ts';
import { registerConsultation } from './modules/consultation/consultation.module.ts';
import { registerDeliveries } from './modules/deliveries/deliveries.routes.ts';
import { registerLinkRoutes } from './modules/deliveries/links.routes.ts';
import { registerForms } from './modules/forms/forms.module.ts';
import { registerFriendRoutes } from './modules/friends/friends.routes.ts';
import { fetchMissingProfiles, PROFILE_JOB, subscribeFriends } from './modules/friends/friends.service.ts';
import { createLineEventBus } from './modules/line-events/line-event-bus.ts';
import { lineEventJobs } from './modules/line-events/line-events.jobs.ts';
import { createLineEventsService, DISPATCH_JOB } from './modules/line-events/line-events.service.ts';
import { createOutboxSender, lineOutboxJobs, OUTBOX_JOB } from './modules/line-events/outbox-sender.ts';
import { registerWebhookRoutes } from './modules/line-events/webhook.routes.ts';
import { registerMediaRoutes } from './modules/media/media.routes.ts';
import { registerAuditRoutes } from './modules/security/audit.routes.ts';
import { registerIpAllowlistRoutes } from './modules/security/ip-allowlists.routes.ts';
import { registerSegmentRoutes } from './modules/segments/segments.routes.ts';
import { auditCheckpointJob } from './platform/audit/audit-checkpoint.job.ts';
import { registerStaffAuth, type StaffAuthOptions } from './platform/auth/staff-auth.ts';
import { type Cipher, safeEqual } from './platform/crypto.ts';
import { registerErrorHandler } from './platform/http/error-handler.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerWebApps } from './platform/http/web-apps.ts';
import { coalescedTrigger, type Jobs } from './platform/jobs.ts';
import type { LineClients } from './platform/line/line-clients.ts';
import type { Realtime } from './platform/realtime.ts';
import { createIpAllowlists } from './platform/security/ip-allowlist.service.ts';

// Validation messages in Japanese (the console shows them per field).
z.config(z.locales.ja());

export interface AppDeps {
  config: Config;
  db: Db;
  cipher: Cipher;
  jobs: Jobs;
  line: LineClients;
  realtime: Realtime;
}

// Builds the one HTTP server: staff API, webhooks, citizen API, web apps, health and metrics.
// Also defines the background jobs on `deps.jobs` (started by the caller).
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, cipher, jobs, line, realtime } = deps;
  const app = Fastify({
    logger: { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerMetrics(app);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Madoguchi API',
        version: '0.1.0',
        description: 'Staff console, citizen pages and LINE webhooks',
      },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });

  // Optional HTTP Basic authentication in front of the staff console and API (S-07).
  if (config.BASIC_AUTH) {
    const expected = `Basic ${Buffer.from(config.BASIC_AUTH).toString('base64')}`;
    app.addHook('onRequest', async (request, reply) => {
      const staffPath =
        request.url.startsWith('/console') ||
        (request.url.startsWith('/api/') && !request.url.startsWith('/api/citizen'));
      if (!staffPath) return;
      const given = request.headers.authorization ?? '';
      if (!safeEqual(given, expected)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Basic realm="Madoguchi", charset="UTF-8"')
          .send({ code: 'BASIC_AUTH_REQUIRED', message: '認証が必要です' });
      }
    });
  }

  const ipAllowlists = createIpAllowlists(db);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/console') && !(await ipAllowlists.isAllowedAnywhere(request.ip))) {
      return reply
        .status(403)
        .send({ code: 'IP_NOT_ALLOWED', message: 'この接続元 IP アドレスからは利用できません' });
    }
  });
  const auth: StaffAuthOptions = { config, db, ipAllowlists };
  registerStaffAuth(app, auth);

  app.get('/healthz', { config: { staff: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { staff: false } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ready' };
    } catch {
      return reply
        .status(503)
        .send({ code: 'DATABASE_UNAVAILABLE', message: 'データベースに接続できません' });
    }
  });
  app.get('/api/openapi.json', { config: { staff: false }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  // Modules.
  const channels = createChannelsService({ db, cipher, publicUrl: config.PUBLIC_URL });
  const onJobError = (err: unknown) => app.log.error({ err }, 'job error');
  const bus = createLineEventBus();
  const lineEvents = createLineEventsService({
    db,
    cipher,
    channels,
    bus,
    onStored: coalescedTrigger(jobs, DISPATCH_JOB, onJobError, 50),
    onOutbox: coalescedTrigger(jobs, OUTBOX_JOB, onJobError, 20),
  });
  subscribeFriends(bus, coalescedTrigger(jobs, PROFILE_JOB, onJobError, 200));
  for (const job of lineEventJobs(lineEvents)) jobs.define(job);
  jobs.define(auditCheckpointJob({ db, config, log: app.log })); // S-09: chain head kept outside the database
  // LINE calls recorded by event handlers, sent after the dispatch commit (issue 8 §6).
  const outbox = createOutboxSender({
    db,
    cipher,
    channels,
    line,
    log: app.log,
    trigger: coalescedTrigger(jobs, OUTBOX_JOB, onJobError, 20),
  });
  for (const job of lineOutboxJobs(outbox)) jobs.define(job);
  jobs.define({
    name: PROFILE_JOB,
    handler: async () => {
      await fetchMissingProfiles({ db, channels, line, log: app.log });
    },
    retryLimit: 3,
    // Catches up with profiles whose fetch failed while LINE was unreachable.
    cron: '*/10 * * * *',
  });

  registerWebhookRoutes(app, lineEvents, config.BODY_LIMIT_BYTES);
  registerSessionRoutes(app, auth, cipher);
  registerAccountRoutes(app, db);
  registerChannelRoutes(app, channels);
  registerFriendRoutes(app, { db, channels });
  registerForms(app, { db, cipher, channels, line, bus });
  registerIpAllowlistRoutes(app, ipAllowlists);
  registerAuditRoutes(app, db);
  registerCitizenRoutes(app, { db, config, channels });
  registerConsultation(app, { db, cipher, config, auth, channels, line, bus, realtime });
  registerSegmentRoutes(app, { db });
  registerMediaRoutes(app, { db, publicUrl: config.PUBLIC_URL });
  registerLinkRoutes(app, { db });
  registerDeliveries(app, { db, config, jobs, line, channels });
  registerAnalyticsRoutes(app, { db });
  await registerWebApps(app);
  return app;
}
