import { type Kysely, sql } from 'kysely';

// The attribute export (D-08) reads friends page by page in follow order (never-followed last):
// this index makes each page a range scan instead of a sort of the whole channel.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index friends_export_order
      on friends (channel_id, (coalesce(first_followed_at, 'infinity'::timestamptz)), id)
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index friends_export_order`.execute(db);
}
