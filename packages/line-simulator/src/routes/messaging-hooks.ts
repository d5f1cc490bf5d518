import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { SimContext } from '../context.ts';
import { type Fault, faultError } from '../faults.ts';
import { newRequestId } from '../ids.ts';
import { AUTH_FAILED, AUTH_HEADER_REQUIRED, type LineError, LineHttpError } from '../line-errors.ts';
import type { RateLimitGroup } from '../options.ts';
import type { LoggedRequest } from '../request-log.ts';

// Hooks of the Messaging API scope: bearer-token authentication (the token names the channel),
// X-Line-Request-Id on every answer, and the request log.

const channels = new WeakMap<FastifyRequest, ChannelRuntime>();
const logEntries = new WeakMap<FastifyRequest, LoggedRequest>();
const requestIds = new WeakMap<FastifyRequest, string>();
const afterFaults = new WeakMap<FastifyRequest, Fault>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The authenticated channel of a Messaging API request. */
export function channelOf(req: FastifyRequest): ChannelRuntime {
  const channel = channels.get(req);
  if (!channel) throw new Error('channelOf() outside the Messaging API scope');
  return channel;
}

export function requestIdOf(req: FastifyRequest): string {
  let id = requestIds.get(req);
  if (!id) {
    id = newRequestId();
    requestIds.set(req, id);
  }
  return id;
}

export function sendLineError(reply: FastifyReply, error: LineError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.status).send(error.body);
}

/** Throws 429 when the channel is over the limit of this endpoint group. */
export function enforceRateLimit(ctx: SimContext, req: FastifyRequest, group: RateLimitGroup): void {
  if (!ctx.rateLimiter.allow(channelOf(req).channelId, group)) {
    throw new LineHttpError({
      status: 429,
      body: { message: 'The API rate limit has been exceeded. Try again later.' },
    });
  }
}

function loggedHeaders(req: FastifyRequest): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k !== 'authorization') headers[k] = v;
  return headers;
}

function logRequest(ctx: SimContext, req: FastifyRequest, channelId: string | null, body: unknown): void {
  const q = req.url.indexOf('?');
  const entry = ctx.requestLog.add({
    at: new Date(ctx.now()).toISOString(),
    method: req.method,
    path: q < 0 ? req.url : req.url.slice(0, q),
    query: q < 0 ? '' : req.url.slice(q + 1),
    channelId,
    headers: loggedHeaders(req),
    body,
  });
  logEntries.set(req, entry);
}

export function registerMessagingHooks(app: FastifyInstance, ctx: SimContext): void {
  app.addHook('onRequest', async (req, reply) => {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const channel = token ? ctx.state.channelByToken(token) : undefined;
    if (!channel) {
      logRequest(ctx, req, null, undefined);
      return sendLineError(reply, {
        status: 401,
        body: { message: token ? AUTH_FAILED : AUTH_HEADER_REQUIRED },
      });
    }
    channels.set(req, channel);
  });

  app.addHook('preHandler', async (req) => {
    const body = Buffer.isBuffer(req.body) ? { bytes: req.body.length } : req.body;
    logRequest(ctx, req, channelOf(req).channelId, body);
  });

  // Injected faults (/_sim/faults): "before" answers instead of the endpoint, "after" delays or
  // replaces the answer of a request that was carried out.
  app.addHook('preHandler', async (req) => {
    const q = req.url.indexOf('?');
    const fault = ctx.faults.take(
      req.method,
      q < 0 ? req.url : req.url.slice(0, q),
      channelOf(req).channelId,
    );
    if (!fault) return;
    if (fault.when === 'after') {
      afterFaults.set(req, fault);
      return;
    }
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    throw new LineHttpError(faultError(fault as Fault & { status: number }));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const fault = afterFaults.get(req);
    if (!fault) return payload;
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.status === undefined) return payload;
    const error = faultError(fault as Fault & { status: number });
    if (error.headers) reply.headers(error.headers);
    reply.code(error.status).type('application/json; charset=utf-8');
    return JSON.stringify(error.body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const requestId = requestIdOf(req);
    reply.header('x-line-request-id', requestId);
    const entry = logEntries.get(req);
    if (entry) {
      entry.status = reply.statusCode;
      entry.requestId = requestId;
    }
    return payload;
  });
}
