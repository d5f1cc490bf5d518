import { type Kysely, sql } from 'kysely';

// Webhook events that failed validation (D-03, S-04): kept aside for operators, never dispatched.
// One row per event: a redelivered body adds nothing (unique per channel and event key).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table line_events_rejected (
      id bigint generated always as identity primary key,
      channel_id uuid not null references channels (id),
      event_key text not null,
      type text,
      reason text not null,
      detail text not null,
      payload_enc bytea not null,
      received_at timestamptz not null default now(),
      unique (channel_id, event_key)
    );
    create index line_events_rejected_time on line_events_rejected (received_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table line_events_rejected`.execute(db);
}
