import { type Kysely, sql } from 'kysely';

// Online payment (A-02, issue 15). `payments`: one checkout of a fee for (purpose, ref) — e.g. an
// application — with its lines and amount computed on the server; its idempotency key is stored
// before the provider is called, so a retry after a lost answer reuses the provider's checkout.
// At most one open (pending) payment per (purpose, ref). `payment_webhook_events`: every webhook
// accepted (signature checked), deduplicated by the provider's event ID, its raw body sealed, so
// nothing accepted is lost (an event for no payment of ours stays as 'unknown_payment').
// `payment_refunds`: one full refund per payment, its idempotency key stored before the call.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table payments (
      id uuid primary key default gen_random_uuid(),
      purpose text not null,
      ref text not null,
      description text not null,
      lines jsonb not null,
      amount integer not null check (amount > 0),
      currency text not null default 'jpy' check (currency = 'jpy'),
      provider text not null,
      idempotency_key text not null unique,
      provider_ref text,
      provider_payment_ref text,
      checkout_url text,
      return_path text not null,
      status text not null default 'pending'
        check (status in ('pending', 'paid', 'failed', 'canceled', 'refunded')),
      provider_amount integer,
      flag text check (flag in ('amount_mismatch', 'paid_after_close')),
      flagged_at timestamptz,
      last_error text,
      checked_at timestamptz,
      paid_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index payments_one_open on payments (purpose, ref) where status = 'pending';
    create index payments_purpose_ref on payments (purpose, ref, created_at desc);
    create unique index payments_provider_ref on payments (provider, provider_ref);
    create index payments_pending on payments (created_at) where status = 'pending';
    create index payments_created on payments (created_at, id);

    create table payment_refunds (
      id uuid primary key default gen_random_uuid(),
      payment_id uuid not null unique references payments (id),
      amount integer not null check (amount > 0),
      reason text not null,
      actor_id uuid,
      idempotency_key text not null unique,
      provider_ref text,
      status text not null default 'requested'
        check (status in ('requested', 'pending', 'succeeded', 'failed')),
      last_error text,
      attempts integer not null default 0,
      succeeded_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index payment_refunds_open on payment_refunds (created_at) where status in ('requested', 'pending');
    create index payment_refunds_created on payment_refunds (created_at, id);

    create table payment_webhook_events (
      id bigint generated always as identity primary key,
      provider text not null,
      event_id text not null,
      type text not null,
      payment_id uuid references payments (id),
      payload_enc bytea not null,
      state text not null default 'received'
        check (state in ('received', 'processed', 'unknown_payment', 'ignored', 'failed')),
      attempts integer not null default 0,
      last_error text,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      unique (provider, event_id)
    );
    create index payment_webhook_events_payment on payment_webhook_events (payment_id, id);
    create index payment_webhook_events_open on payment_webhook_events (received_at)
      where state in ('received', 'failed');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table payment_webhook_events;
    drop table payment_refunds;
    drop table payments;
  `.execute(db);
}
