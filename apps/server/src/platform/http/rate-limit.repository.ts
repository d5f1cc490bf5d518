import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// The windows of the request rate limits (rate-limit.ts) in PostgreSQL, so every server process
// counts the same hits.

/**
 * Counts one hit of `key` in its fixed window of `windowMs` (started by the key's first hit, or
 * a new one once it has ended), in one atomic statement. Returns the hits in the window so far
 * and the milliseconds left in it.
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  windowMs: number,
): Promise<{ hits: number; ttlMs: number }> {
  const ended = sql<boolean>`rate_limits.expires_at <= now()`;
  const row = await db
    .insertInto('rate_limits')
    .values({
      key,
      hits: 1,
      expires_at: sql<Date>`now() + make_interval(secs => ${windowMs / 1000}::float8)`,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when ${ended} then 1 else rate_limits.hits + 1 end`,
        expires_at: sql<Date>`case when ${ended} then excluded.expires_at else rate_limits.expires_at end`,
      }),
    )
    .returning([
      'hits',
      sql<number>`ceil(extract(epoch from (rate_limits.expires_at - now())) * 1000)::int`.as('ttl_ms'),
    ])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, ttlMs: Math.max(0, row.ttl_ms) };
}

/** Deletes the windows that have ended. */
export async function deleteEndedRateLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limits').where('expires_at', '<=', sql<Date>`now()`).execute();
}
