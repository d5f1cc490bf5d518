import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
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
import { subscribeDisasterInfo } from './modules/disaster/disaster-info.ts';
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
import { registerBasicAuth } from './platform/auth/basic-auth.ts';
import { enforceRouteDeclarations } from './platform/auth/route-access.ts';
import { registerStaffAuth, type StaffAuthOptions } from './platform/auth/staff-auth.ts';
import type { Cipher } from './platform/crypto.ts';
import { registerCspReports } from './platform/http/csp-report.ts';
import { frameworkErrors, registerErrorHandler } from './platform/http/error-handler.ts';
import { registerInputRules } from './platform/http/input-rules.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
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
    frameworkErrors,
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
  }).withTypeProvider<ZodTypeProvider>();
  // Deny by default: a route that declares no protection stops the server at start-up.
  enforceRouteDeclarations(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerInputRules(app);
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
    transformObject: jsonSchemaTransformObject,
  });

  registerSecurityHeaders(app, config);
  registerCspReports(app);
  if (config.BASIC_AUTH) registerBasicAuth(app, config.BASIC_AUTH);
  const ipAllowlists = createIpAllowlists(db);
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
  // The API description goes with the console: behind its Basic auth and allow-lists.
  app.get('/api/openapi.json', { config: { webApp: 'console' }, schema: { hide: true } }, async () =>
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
  subscribeDisasterInfo(bus); // 防災情報 answered with a fixed notice until disaster mode exists
  for (const job of lineEventJobs(lineEvents)) jobs.define(job);
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
  jobs.define(auditCheckpointJob({ db, config, log: app.log })); // S-09: chain head kept outside the database
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
  registerAnalyticsRoutes(app, { db, publicUrl: config.PUBLIC_URL });
  await registerWebApps(app);
  return app;
}
