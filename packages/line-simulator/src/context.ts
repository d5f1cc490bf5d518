import type { FastifyRequest } from 'fastify';
import type { FaultStore } from './faults.ts';
import type { OpenApiValidator } from './openapi-validator.ts';
import type { ResolvedOptions } from './options.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { ReplyTokenStore } from './reply-tokens.ts';
import type { RequestLog } from './request-log.ts';
import type { RetryKeyStore } from './retry-keys.ts';
import type { SimEventHub } from './sim-events.ts';
import type { SimulatorState } from './state.ts';
import type { WebhookSender } from './webhook-sender.ts';

/** Everything the routes share. */
export interface SimContext {
  options: ResolvedOptions;
  state: SimulatorState;
  validator: OpenApiValidator;
  rateLimiter: RateLimiter;
  retryKeys: RetryKeyStore;
  replyTokens: ReplyTokenStore;
  requestLog: RequestLog;
  webhooks: WebhookSender;
  events: SimEventHub;
  /** Injected faults (POST /_sim/faults). */
  faults: FaultStore;
  now(): number;
  /** Base URL browsers use to reach the simulator (known once listening). */
  baseUrl: string | undefined;
}

/** The simulator's public base URL, as seen by the client of this request when not configured. */
export function publicBaseUrl(ctx: SimContext, req: FastifyRequest): string {
  return ctx.options.publicUrl ?? ctx.baseUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`;
}
