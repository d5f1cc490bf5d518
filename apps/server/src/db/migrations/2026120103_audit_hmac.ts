import { type Kysely, sql } from 'kysely';

// S-09: the audit chain becomes keyed (HMAC-SHA-256, chain version 2). Rows written before stay
// version 1 (plain SHA-256) and still verify; a version 1 row after a version 2 row does not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_log add column chain_version smallint not null default 1
      check (chain_version in (1, 2));
    alter table audit_log alter column chain_version drop default;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log drop column chain_version`.execute(db);
}
