import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { SimContext } from '../context.ts';
import { createDelivery, deliverToFollowers } from '../delivery.ts';
import { isLineChatId, newQuoteToken, UUID_PATTERN } from '../ids.ts';
import { errors, invalidBody, LineHttpError } from '../line-errors.ts';
import { checkMessageLimits, mergeDetails } from '../message-limits.ts';
import type { JsonObject, SendVia } from '../model.ts';
import type { ErrorDetail } from '../openapi-validator.ts';
import type { AcceptedRetryKey } from '../retry-keys.ts';
import { channelOf, enforceRateLimit, requestIdOf, sendLineError } from './messaging-hooks.ts';

// Sending messages: reply, push, multicast, narrowcast (+ progress) and broadcast.

interface NarrowcastProgress {
  channelId: string;
  phase: 'waiting' | 'sending' | 'succeeded' | 'failed';
  acceptedTime: string;
  completedTime?: string;
  successCount?: number;
  failureCount?: number;
  targetCount?: number;
  failedDescription?: string;
  errorCode?: number;
}

type SentMessage = { id: string; quoteToken?: string };

function validateSend(ctx: SimContext, path: string, body: unknown): JsonObject {
  const details: ErrorDetail[] = mergeDetails(
    ctx.validator.validate('POST', path, body),
    checkMessageLimits((body as JsonObject | undefined)?.messages),
  );
  if (details.length > 0) throw new LineHttpError(invalidBody(details));
  return body as JsonObject;
}

/** Reads X-Line-Retry-Key; throws 400 when malformed and 409 when already accepted. */
function checkRetryKey(ctx: SimContext, req: FastifyRequest, channel: ChannelRuntime): string | undefined {
  const raw = req.headers['x-line-retry-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0]! : raw;
  if (!UUID_PATTERN.test(key)) throw new LineHttpError(errors.invalidRetryKey());
  const accepted = ctx.retryKeys.find(channel.channelId, key);
  if (accepted) {
    const body: JsonObject = { message: 'The retry key is already accepted' };
    if (accepted.sentMessages) body.sentMessages = accepted.sentMessages;
    throw new LineHttpError({
      status: 409,
      body: body as { message: string },
      headers: { 'x-line-accepted-request-id': accepted.acceptedRequestId },
    });
  }
  return key;
}

function acceptRetryKey(
  ctx: SimContext,
  key: string | undefined,
  req: FastifyRequest,
  channel: ChannelRuntime,
  recipients: string[],
  sentMessages?: SentMessage[],
): AcceptedRetryKey | undefined {
  if (key === undefined) return undefined;
  const record: AcceptedRetryKey = {
    key,
    channelId: channel.channelId,
    path: req.url,
    acceptedRequestId: requestIdOf(req),
    acceptedAt: ctx.now(),
    recipients,
  };
  if (sentMessages) record.sentMessages = sentMessages;
  ctx.retryKeys.accept(record);
  return record;
}

function newDelivery(
  ctx: SimContext,
  req: FastifyRequest,
  via: SendVia,
  messages: JsonObject[],
  withQuoteTokens: boolean,
) {
  const ids = messages.map(() => ctx.state.messageIds.next());
  const delivery = createDelivery(requestIdOf(req), ctx.now(), via, messages, ids);
  const sentMessages: SentMessage[] | undefined = withQuoteTokens
    ? ids.map((id) => ({ id, quoteToken: newQuoteToken() }))
    : undefined;
  return { delivery, sentMessages };
}

export function registerSendRoutes(app: FastifyInstance, ctx: SimContext): void {
  const narrowcasts = new Map<string, NarrowcastProgress>();

  app.post('/v2/bot/message/reply', async (req, reply) => {
    enforceRateLimit(ctx, req, 'reply');
    const channel = channelOf(req);
    const body = validateSend(ctx, '/v2/bot/message/reply', req.body);
    const userId = ctx.replyTokens.consume(channel.channelId, String(body.replyToken));
    if (userId === undefined) throw new LineHttpError(errors.invalidReplyToken());
    const { delivery, sentMessages } = newDelivery(ctx, req, 'reply', body.messages as JsonObject[], true);
    deliverToFollowers(channel, [userId], delivery, ctx.events);
    ctx.state.changed();
    return reply.send({ sentMessages });
  });

  app.post('/v2/bot/message/push', async (req, reply) => {
    enforceRateLimit(ctx, req, 'push');
    const channel = channelOf(req);
    const retryKey = checkRetryKey(ctx, req, channel);
    const body = validateSend(ctx, '/v2/bot/message/push', req.body);
    const to = String(body.to);
    if (!isLineChatId(to)) throw new LineHttpError(errors.invalidTo());
    if (!channel.isFollowing(to)) throw new LineHttpError(errors.failedToSend());
    const { delivery, sentMessages } = newDelivery(ctx, req, 'push', body.messages as JsonObject[], true);
    const received = deliverToFollowers(channel, [to], delivery, ctx.events);
    channel.addUsage(received.length, ctx.now());
    acceptRetryKey(ctx, retryKey, req, channel, received, sentMessages);
    ctx.state.changed();
    return reply.send({ sentMessages });
  });

  app.post('/v2/bot/message/multicast', async (req, reply) => {
    enforceRateLimit(ctx, req, 'multicast');
    const channel = channelOf(req);
    const retryKey = checkRetryKey(ctx, req, channel);
    const body = validateSend(ctx, '/v2/bot/message/multicast', req.body);
    const to = body.to as string[];
    const bad: ErrorDetail[] = [];
    for (let i = 0; i < to.length; i++) {
      if (!isLineChatId(to[i]!)) bad.push({ message: 'Invalid user ID', property: `to[${i}]` });
    }
    if (bad.length > 0) throw new LineHttpError(invalidBody(bad));
    const { delivery } = newDelivery(ctx, req, 'multicast', body.messages as JsonObject[], false);
    const received = deliverToFollowers(channel, to, delivery, ctx.events);
    channel.addUsage(received.length, ctx.now());
    acceptRetryKey(ctx, retryKey, req, channel, received);
    ctx.state.changed();
    return reply.send({});
  });

  app.post('/v2/bot/message/broadcast', async (req, reply) => {
    enforceRateLimit(ctx, req, 'broadcast');
    const channel = channelOf(req);
    const retryKey = checkRetryKey(ctx, req, channel);
    const body = validateSend(ctx, '/v2/bot/message/broadcast', req.body);
    const { delivery } = newDelivery(ctx, req, 'broadcast', body.messages as JsonObject[], false);
    const received = deliverToFollowers(channel, channel.followerIds(), delivery, ctx.events);
    channel.addUsage(received.length, ctx.now());
    acceptRetryKey(ctx, retryKey, req, channel, received);
    ctx.state.changed();
    return reply.send({});
  });

  app.post('/v2/bot/message/narrowcast', async (req, reply) => {
    enforceRateLimit(ctx, req, 'narrowcast');
    const channel = channelOf(req);
    const retryKey = checkRetryKey(ctx, req, channel);
    const body = validateSend(ctx, '/v2/bot/message/narrowcast', req.body);
    const requestId = requestIdOf(req);
    const progress: NarrowcastProgress = {
      channelId: channel.channelId,
      phase: 'waiting',
      acceptedTime: new Date(ctx.now()).toISOString(),
    };
    narrowcasts.set(requestId, progress);
    const { delivery } = newDelivery(ctx, req, 'narrowcast', body.messages as JsonObject[], false);
    const record = acceptRetryKey(ctx, retryKey, req, channel, []);
    // LINE processes narrowcasts asynchronously; so does the simulator (on the next turn).
    setImmediate(() => {
      progress.phase = 'sending';
      if (body.recipient !== undefined || body.filter !== undefined) {
        Object.assign(progress, {
          phase: 'failed',
          errorCode: 1,
          failedDescription:
            'The LINE simulator has no audiences or demographics: recipient and filter are not supported',
          completedTime: new Date(ctx.now()).toISOString(),
        });
        return;
      }
      let targets = channel.followerIds();
      const max = (body.limit as { max?: number } | undefined)?.max;
      if (typeof max === 'number') targets = targets.slice(0, max);
      const received = deliverToFollowers(channel, targets, delivery, ctx.events);
      channel.addUsage(received.length, ctx.now());
      if (record) record.recipients = received;
      Object.assign(progress, {
        phase: 'succeeded',
        successCount: received.length,
        failureCount: targets.length - received.length,
        targetCount: targets.length,
        completedTime: new Date(ctx.now()).toISOString(),
      });
      ctx.state.changed();
    });
    return reply.code(202).send({});
  });

  // Validation-only endpoints (ValidateMessageRequest): 200 {} or LINE's 400.
  for (const kind of ['reply', 'push', 'multicast', 'narrowcast', 'broadcast']) {
    const path = `/v2/bot/message/validate/${kind}`;
    app.post(path, async (req, reply) => {
      enforceRateLimit(ctx, req, 'other');
      validateSend(ctx, path, req.body);
      return reply.send({});
    });
  }

  app.get('/v2/bot/message/progress/narrowcast', async (req, reply: FastifyReply) => {
    const requestId = (req.query as { requestId?: string }).requestId;
    if (!requestId) {
      return sendLineError(reply, invalidBody([{ message: 'must be specified', property: 'requestId' }]));
    }
    const progress = narrowcasts.get(requestId);
    if (!progress || progress.channelId !== channelOf(req).channelId)
      return sendLineError(reply, errors.notFound());
    const { channelId: _channelId, ...answer } = progress;
    return reply.send(answer);
  });
}
