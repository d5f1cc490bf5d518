import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../../db/database.ts';
import { deleteEndedRateLimits, hitRateLimit } from './rate-limit.repository.ts';

// The store of @fastify/rate-limit in PostgreSQL (rate-limit.repository.ts): one window per key,
// shared by every server process. A route's limit counts under its group (config.rateLimit.groupId)
// or else its URL, so routes do not share windows unless they say so.

const CLEANUP_EVERY_MS = 60_000;

export function pgRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  let lastCleanup = 0;
  const cleanup = () => {
    const now = Date.now();
    if (now - lastCleanup < CLEANUP_EVERY_MS) return;
    lastCleanup = now;
    // Best effort: an ended window is restarted by the next hit anyway.
    deleteEndedRateLimits(db).catch(() => {});
  };

  // `child` is given the route's merged options (not the RouteOptions the library's types name).
  class PgRateLimitStore {
    readonly scope: string;
    constructor(scope?: unknown) {
      this.scope = typeof scope === 'string' ? scope : '';
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      cleanup();
      hitRateLimit(db, `${this.scope}|${key}`, timeWindow).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (err: Error) => callback(err),
      );
    }

    child(routeOptions: { groupId?: string; routeInfo?: { url?: string } }): PgRateLimitStore {
      return new PgRateLimitStore(routeOptions.groupId ?? routeOptions.routeInfo?.url ?? '');
    }
  }
  return PgRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
