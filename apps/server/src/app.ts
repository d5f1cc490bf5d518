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
import { accountsModule } from './modules/accounts/accounts.module.ts';
import { analyticsModule } from './modules/analytics/analytics.module.ts';
import { applicationsModule } from './modules/applications/applications.module.ts';
import { channelsModule } from './modules/channels/channels.module.ts';
import { createChannelsService } from './modules/channels/channels.service.ts';
import { chatbotModule } from './modules/chatbot/chatbot.module.ts';
import { citizenModule } from './modules/citizen/citizen.module.ts';
import { consultationModule } from './modules/consultation/consultation.module.ts';
import { type AppModule, checkLineEventDeclarations } from './modules/define-module.ts';
import { deliveriesModule } from './modules/deliveries/deliveries.module.ts';
import { disasterModule } from './modules/disaster/disaster.module.ts';
import { formsModule } from './modules/forms/forms.module.ts';
import { forwardingModule } from './modules/forwarding/forwarding.module.ts';
import { friendsModule } from './modules/friends/friends.module.ts';
import { identityModule } from './modules/identity/identity.module.ts';
import { incidentsModule } from './modules/incidents/incidents.module.ts';
import { createLineEventBus } from './modules/line-events/line-event-bus.ts';
import { lineEventsModule } from './modules/line-events/line-events.module.ts';
import { mailModule } from './modules/mail/mail.module.ts';
import { mailBridgeModule } from './modules/mail-bridge/mail-bridge.module.ts';
import { manualModule } from './modules/manual/manual.module.ts';
import { mediaModule } from './modules/media/media.module.ts';
import { operationsModule } from './modules/operations/operations.module.ts';
import { paymentsModule } from './modules/payments/payments.module.ts';
import { reportsModule } from './modules/reports/reports.module.ts';
import { reservationsModule } from './modules/reservations/reservations.module.ts';
import { richmenusModule } from './modules/richmenus/richmenus.module.ts';
import { securityModule } from './modules/security/security.module.ts';
import { segmentsModule } from './modules/segments/segments.module.ts';
import { sheltersModule } from './modules/shelters/shelters.module.ts';
import { surveysModule } from './modules/surveys/surveys.module.ts';
import { auditCheckpointJob } from './platform/audit/audit-checkpoint.job.ts';
import { registerBasicAuth } from './platform/auth/basic-auth.ts';
import { enforceRouteDeclarations } from './platform/auth/route-access.ts';
import { registerStaffAuth, type StaffAuthOptions } from './platform/auth/staff-auth.ts';
import type { Cipher } from './platform/crypto.ts';
import { databaseUnavailable } from './platform/errors.ts';
import { registerCspReports } from './platform/http/csp-report.ts';
import { frameworkErrors, registerErrorHandler } from './platform/http/error-handler.ts';
import { registerInputRules } from './platform/http/input-rules.ts';
import { readFiguresFrom, registerMetrics } from './platform/http/metrics.ts';
import { registerRateLimit } from './platform/http/rate-limit.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { registerWebApps } from './platform/http/web-apps.ts';
import { coalescedTrigger, type Jobs } from './platform/jobs.ts';
import type { LineClients } from './platform/line/line-clients.ts';
import type { Realtime } from './platform/realtime.ts';
import { createIpAllowlists } from './platform/security/ip-allowlist.service.ts';
import { readTlsPair, TLS_MIN_VERSION } from './platform/tls-files.ts';

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

/** Every module of the app (modules/README.md), in registration and dispatch order. */
export const modules: readonly AppModule[] = [
  lineEventsModule,
  accountsModule,
  channelsModule,
  friendsModule,
  disasterModule,
  // Before shelters: a location message the report page asked for is the report's place.
  reportsModule,
  sheltersModule,
  formsModule,
  securityModule,
  citizenModule,
  consultationModule,
  segmentsModule,
  mediaModule,
  deliveriesModule,
  analyticsModule,
  richmenusModule,
  surveysModule,
  reservationsModule,
  mailModule,
  mailBridgeModule,
  identityModule,
  paymentsModule,
  applicationsModule,
  chatbotModule,
  incidentsModule,
  forwardingModule,
  manualModule,
  // Last: its hooks (maintenance gate, access log) apply to every route whatever the order.
  operationsModule,
];

// Builds the one HTTP server: staff API, webhooks, citizen API, web apps, health and metrics.
// Also defines the background jobs on `deps.jobs` (started by the caller).
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, cipher, jobs } = deps;
  // S-01: with TLS_CERT_FILE / TLS_KEY_FILE the server speaks HTTPS itself, TLS 1.2 or newer only
  // (otherwise the TLS-terminating proxy in front must hold to the same).
  const tls = readTlsPair(['TLS_CERT_FILE', 'TLS_KEY_FILE'], [config.TLS_CERT_FILE, config.TLS_KEY_FILE]);
  const app = Fastify({
    ...(tls ? { https: { ...tls, minVersion: TLS_MIN_VERSION } } : {}),
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
  readFiguresFrom({ db, jobs });
  await app.register(fastifyCookie);
  await registerRateLimit(app, db);
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
  // Ready (O-03) when the database answers and the job queue is started with its schema reachable
  // (on a --no-workers node: the client it sends jobs with); a load balancer stops sending otherwise.
  app.get('/readyz', { config: { staff: false } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
    } catch {
      const e = databaseUnavailable();
      return reply.status(e.status).send({ code: e.code, message: e.message });
    }
    if (!(await jobs.ready()))
      return reply
        .status(503)
        .send({ code: 'JOB_QUEUE_UNAVAILABLE', message: 'ジョブキュー（pg-boss）に接続できません' });
    return { status: 'ready' };
  });
  // The API description goes with the console: behind its Basic auth and allow-lists.
  app.get('/api/openapi.json', { config: { webApp: 'console' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  jobs.define(auditCheckpointJob({ db, config, log: app.log })); // S-09: chain head kept outside the database

  // Modules, in this order: LINE event handlers run in the order their modules are listed.
  const bus = createLineEventBus();
  const channels = createChannelsService({ db, cipher, publicUrl: config.PUBLIC_URL });
  for (const module of modules) {
    const onJobError = (err: unknown) => app.log.error({ err, module: module.name }, 'job error');
    await module.register(app, {
      ...deps,
      auth,
      channels,
      bus: bus.forModule(module.name),
      trigger: (job, intervalMs) => coalescedTrigger(jobs, job, onJobError, intervalMs),
    });
  }
  checkLineEventDeclarations(modules, bus);
  await registerWebApps(app);
  return app;
}
