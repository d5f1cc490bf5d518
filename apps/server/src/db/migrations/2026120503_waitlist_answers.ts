import { type Kysely, sql } from 'kysely';

// The booking form's answers of a friend on the waiting list (issue 13, V-02 / V-03): filled and
// checked by the form engine when they join, kept like a booking's (choice IDs, numbers, texts sealed
// with the text keys beside them), and carried onto the booking when a freed seat is theirs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table booking_waitlist
      add column choice_ids bigint[] not null default '{}',
      add column numbers jsonb not null default '{}',
      add column texts_enc bytea,
      add column text_keys text[] not null default '{}';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table booking_waitlist
      drop column choice_ids, drop column numbers, drop column texts_enc, drop column text_keys;
  `.execute(db);
}
