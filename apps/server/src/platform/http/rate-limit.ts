import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { AppError } from '../errors.ts';
import { pgRateLimitStore } from './rate-limit-store.ts';

// Request rate limits per key (client address unless a route says otherwise) in fixed windows,
// counted in PostgreSQL so that N server processes together allow the limit, not N times it.
// Routes opt in with `config.rateLimit: { max, timeWindow }`; the check runs as a preHandler,
// after the request has been validated. Account lockout stops guessing one account's password;
// these stop one address (or user) trying many times.

export const RATE_LIMITED_MESSAGE = '短時間に操作が集中しています。しばらく待ってからお試しください';

export async function registerRateLimit(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    hook: 'preHandler',
    store: pgRateLimitStore(db),
    keyGenerator: (request) => request.ip,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
    errorResponseBuilder: () => new AppError(429, 'RATE_LIMITED', RATE_LIMITED_MESSAGE),
  });
}
