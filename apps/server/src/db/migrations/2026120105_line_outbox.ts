import { type Kysely, sql } from 'kysely';

// Side effects only after commit (issue 8 §6): webhook event handlers do not call LINE; they record
// their replies and pushes here in the same transaction that marks the event dispatched. A sender
// takes committed rows one at a time (`FOR UPDATE SKIP LOCKED`) and calls LINE; a push carries its
// stored X-Line-Retry-Key so a re-send after a crash is answered 409 instead of reaching the citizen
// twice. Messages are sealed with ENCRYPTION_KEY (they may hold personal data).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table line_outbox (
      id bigint generated always as identity primary key,
      channel_id uuid not null references channels (id) on delete cascade,
      line_event_id bigint references line_events (id) on delete set null,
      kind text not null check (kind in ('reply', 'push')),
      reply_token text,
      to_id text,
      retry_key uuid,
      messages_enc bytea not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      http_status int,
      error text,
      request_id text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      check (
        (kind = 'reply' and reply_token is not null)
        or (kind = 'push' and to_id is not null and retry_key is not null)
      )
    );
    create index line_outbox_due on line_outbox (next_attempt_at, id) where status = 'pending';
    -- A reply token is good for one reply: the first handler that records one wins.
    create unique index line_outbox_reply_token on line_outbox (channel_id, reply_token) where kind = 'reply';
    create index line_outbox_event on line_outbox (line_event_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table line_outbox`.execute(db);
}
