import { type Kysely, sql } from 'kysely';

// Request rate limits (@fastify/rate-limit) shared by every server process: one row per key
// (route or group, and client address or user) holding the hits of its current fixed window,
// which starts at the key's first hit and ends at expires_at.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limits (
      key text primary key,
      hits int not null,
      expires_at timestamptz not null
    );
    create index rate_limits_expires on rate_limits (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rate_limits`.execute(db);
}
