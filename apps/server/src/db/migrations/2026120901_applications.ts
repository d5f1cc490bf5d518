import { type Kysely, sql } from 'kysely';

// Procedures and applications (issue 15, A-03).
// - procedures: per channel, configured by staff (not code): names, a form of the form engine
//   (purpose 'application'), the identity level, the fee rule (yen per copy, the copies item, the
//   postage per delivery choice) and how long closed applications are kept.
// - applications: one per citizen application; the answers in the form engine's stored shape (texts
//   sealed), the identity verification and payment of the identity and payments modules (their IDs
//   only), the amount fixed when the answers were sent, the reference number (令和 year + serial).
// - application_changes: who changed the status or assignee and the staff notes (notes sealed).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table procedures (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      slug text not null,
      name_ja text not null,
      name_en text not null default '',
      description text not null default '',
      form_id uuid not null references forms (id),
      identity_level text not null check (identity_level in ('none', 'basic', 'sign')),
      unit_fee int not null default 0 check (unit_fee >= 0),
      copies_item_key text,
      delivery_item_key text,
      postage jsonb not null default '[]',
      retention_days int not null default 365 check (retention_days > 0),
      active boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (channel_id, slug)
    );

    create sequence application_serials;

    create table applications (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      procedure_id uuid not null references procedures (id),
      friend_id uuid not null references friends (id),
      era_year int not null,
      serial bigint not null default nextval('application_serials'),
      status text not null default 'draft' check (status in
        ('draft', 'identity', 'payment', 'received', 'reviewing', 'shipped', 'returned', 'rejected')),
      choice_ids bigint[] not null default '{}',
      numbers jsonb not null default '{}',
      texts_enc bytea,
      text_keys text[] not null default '{}',
      identity_verification_id text,
      payment_id text,
      amount int,
      fee_lines jsonb,
      reason_enc bytea,
      assignee_id uuid references staff_accounts (id),
      request_key text,
      submitted_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (serial)
    );
    create unique index applications_request on applications (friend_id, request_key) where request_key is not null;
    create index applications_queue on applications (channel_id, submitted_at desc, id desc) where submitted_at is not null;
    create index applications_friend on applications (friend_id, created_at desc);
    create index applications_payment on applications (payment_id) where payment_id is not null;
    create index applications_closed on applications (closed_at) where closed_at is not null;

    create table application_changes (
      id bigint generated always as identity primary key,
      application_id uuid not null references applications (id) on delete cascade,
      staff_id uuid references staff_accounts (id),
      actor text not null check (actor in ('citizen', 'staff', 'system')),
      field text not null check (field in ('status', 'assignee', 'note')),
      from_value text not null,
      to_value text not null,
      at timestamptz not null default now()
    );
    create index application_changes_application on application_changes (application_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table application_changes, applications, procedures; drop sequence application_serials`.execute(
    db,
  );
}
