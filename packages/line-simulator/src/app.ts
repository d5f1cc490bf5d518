import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';
import { FaultStore } from './faults.ts';
import { registerJpkiRoutes } from './jpki/jpki.routes.ts';
import { errors, LineHttpError } from './line-errors.ts';
import { loadOpenApiValidator } from './openapi-validator.ts';
import { resolveOptions, type SimulatorOptions } from './options.ts';
import { registerPayjpStandIn } from './payjp/index.ts';
import { registerPaymentStandIn } from './payments/index.ts';
import { StateFile } from './persistence.ts';
import { RateLimiter } from './rate-limiter.ts';
import { ReplyTokenStore } from './reply-tokens.ts';
import { RequestLog } from './request-log.ts';
import { RetryKeyStore } from './retry-keys.ts';
import { registerLiffRoutes } from './routes/liff.ts';
import { registerLoginRoutes } from './routes/login.ts';
import { registerMessagingHooks } from './routes/messaging-hooks.ts';
import { registerInfoRoutes } from './routes/messaging-info.ts';
import { registerSendRoutes } from './routes/messaging-send.ts';
import { registerPhoneRoutes } from './routes/phone.ts';
import { registerRichMenuRoutes } from './routes/rich-menu.ts';
import { registerRichMenuLinkRoutes } from './routes/rich-menu-links.ts';
import { registerSimActionRoutes } from './routes/sim-actions.ts';
import { registerSimFaultRoutes } from './routes/sim-faults.ts';
import { registerSimInspectRoutes } from './routes/sim-inspect.ts';
import { registerSimSetupRoutes } from './routes/sim-setup.ts';
import { registerWebhookEndpointRoutes } from './routes/webhook-endpoint.ts';
import { SimError } from './sim-errors.ts';
import { SimEventHub } from './sim-events.ts';
import { SimulatorState } from './state.ts';
import { WebhookSender } from './webhook-sender.ts';

export type SimulatorApp = FastifyInstance & { sim: SimContext };

const BODY_LIMIT = 32 * 1024 * 1024;

/** Builds the simulator's Fastify app (not listening). `app.sim` exposes its state for tests. */
export async function buildSimulatorApp(opts: SimulatorOptions = {}): Promise<SimulatorApp> {
  const options = resolveOptions(opts);
  const state = new SimulatorState();
  const events = new SimEventHub();
  const ctx: SimContext = {
    options,
    state,
    validator: loadOpenApiValidator(options.openapiFile),
    rateLimiter: new RateLimiter(options.rateLimits, options.clock),
    retryKeys: new RetryKeyStore(options.clock),
    replyTokens: new ReplyTokenStore(options.clock),
    requestLog: new RequestLog(),
    webhooks: new WebhookSender({
      timeoutMs: options.webhookTimeoutMs,
      logger: options.logger,
      clock: options.clock,
      events,
    }),
    events,
    faults: new FaultStore(),
    now: options.clock,
    baseUrl: options.publicUrl,
  };

  // The sending endpoints are hot: compile their validators before the first request.
  ctx.validator.warmUp(
    ['reply', 'push', 'multicast', 'narrowcast', 'broadcast'].map((k) => ['POST', `/v2/bot/message/${k}`]),
  );

  let stateFile: StateFile | undefined;
  if (options.stateFile) {
    const file = new StateFile(options.stateFile, state, options.logger);
    file.load();
    state.onChange(() => file.changed());
    stateFile = file;
  }

  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  app.decorate('sim', ctx);

  // JSON like LINE: an empty body is allowed (the SDK posts none to link endpoints).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new LineHttpError(errors.unparsableJson()), undefined);
    }
  });
  app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(formbody);

  app.setErrorHandler((err: FastifyError | LineHttpError | SimError, _req, reply) => {
    if (err instanceof LineHttpError) {
      if (err.error.headers) reply.headers(err.error.headers);
      return reply.code(err.error.status).send(err.error.body);
    }
    if (err instanceof SimError) return reply.code(err.status).send({ message: err.message });
    const status = (err as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ message: err.message });
    options.logger.error({ err: String(err), stack: err.stack }, 'simulator request failed');
    return reply.code(500).send({ message: 'Internal server error' });
  });
  let phoneIndexHtml: string | undefined;
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes of the virtual phone get its index.html.
    if (
      phoneIndexHtml &&
      req.method === 'GET' &&
      req.url.startsWith('/phone/') &&
      !/\.[a-z0-9]+(\?|$)/i.test(req.url)
    ) {
      return reply.type('text/html; charset=utf-8').send(phoneIndexHtml);
    }
    return reply.code(404).send({ message: 'Not found' });
  });

  // The Messaging API (api.line.me and api-data.line.me paths at the root).
  await app.register(async (api) => {
    registerMessagingHooks(api, ctx);
    registerSendRoutes(api, ctx);
    registerInfoRoutes(api, ctx);
    registerRichMenuRoutes(api, ctx);
    registerRichMenuLinkRoutes(api, ctx);
    registerWebhookEndpointRoutes(api, ctx);
  });
  registerLoginRoutes(app, ctx);
  registerLiffRoutes(app, ctx);
  registerSimSetupRoutes(app, ctx);
  registerSimActionRoutes(app, ctx);
  registerSimInspectRoutes(app, ctx);
  registerSimFaultRoutes(app, ctx);
  // The JPKI stand-in (デジタル認証アプリ's OpenID provider, issue 15): /jpki/… and /_sim/jpki/….
  registerJpkiRoutes(app, ctx);
  // The payment stand-in (Stripe API subset, hosted payment page, signed webhooks; issue 15).
  registerPaymentStandIn(app, ctx);
  // The PAY.JP stand-in (API subset, payjp.js, 3-D Secure page, token webhooks; issue 15).
  registerPayjpStandIn(app, ctx);
  phoneIndexHtml = await registerPhoneRoutes(app, ctx);

  app.addHook('preClose', async () => events.closeAll());
  app.addHook('onClose', async () => stateFile?.close());
  return app as unknown as SimulatorApp;
}
