import { type Kysely, sql } from 'kysely';

// A delivery's LINE messages are prepared when it starts (links rewritten to /r/<token>), in the same
// transaction that resolves its batches: the sender only sends what was stored, so a resumed delivery
// sends exactly the same messages.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deliveries add column line_messages jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deliveries drop column line_messages`.execute(db);
}
