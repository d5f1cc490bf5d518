import { type Kysely, sql } from 'kysely';

// Webhook forwarding (W-01, issue 14): a channel's targets, and the queue of events to forward to
// them. A queue row is written in the dispatch transaction of its event (so nothing dispatched is
// lost, and "only when nothing handled it" can be decided), unique per (target, webhookEventId), and
// sent in id order per (target, user). line_events keeps the envelope's destination and LINE's
// signature of the body the event came in (forwarded in x-madoguchi-original-signature).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table line_events add column destination text, add column signature text;

    create table forwarding_targets (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id) on delete cascade,
      name text not null,
      url text not null,
      secret_enc text not null,
      enabled boolean not null default true,
      event_types text[],
      message_mode text not null default 'unhandled' check (message_mode in ('unhandled', 'always')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (channel_id, name)
    );

    create table forwarding_items (
      id bigint generated always as identity primary key,
      target_id uuid not null references forwarding_targets (id) on delete cascade,
      line_event_id bigint not null references line_events (id) on delete cascade,
      webhook_event_id text not null,
      event_type text not null,
      user_key text not null default '',
      state text not null default 'pending' check (state in ('pending', 'sent', 'dead')),
      attempts int not null default 0,
      failures int not null default 0,
      next_attempt_at timestamptz not null default now(),
      leased_until timestamptz,
      queued_at timestamptz not null default now(),
      sent_at timestamptz,
      dead_at timestamptz,
      last_status int,
      last_error text,
      response_excerpt text,
      unique (target_id, webhook_event_id)
    );
    create index forwarding_items_due on forwarding_items (next_attempt_at, id) where state = 'pending';
    create index forwarding_items_user_order on forwarding_items (target_id, user_key, id) where state = 'pending';
    create index forwarding_items_target_state on forwarding_items (target_id, state, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table forwarding_items;
    drop table forwarding_targets;
    alter table line_events drop column destination, drop column signature;
  `.execute(db);
}
