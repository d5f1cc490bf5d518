import { type Kysely, sql } from 'kysely';

// SNS consultation (C-01 … C-17): desks, consultees, consultations, messages (encrypted), records.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table desks (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid references channels (id),
      name text not null,
      slug text not null unique,
      description text not null default '',
      hours jsonb not null default '{}',
      closed_on_holidays boolean not null default true,
      closed_year_end boolean not null default true,
      closed_dates date[] not null default '{}',
      greeting text not null default '',
      out_of_hours_reply text not null default '',
      emergency_contacts jsonb not null default '[]',
      record_fields jsonb not null default '[]',
      allow_incomplete_records boolean not null default false,
      canned_responses jsonb not null default '[]',
      web_enabled boolean not null default false,
      access_code_hash text,
      max_concurrent int not null default 3,
      risk_words text[] not null default '{}',
      keywords text[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table desk_counselors (
      desk_id uuid not null references desks (id) on delete cascade,
      account_id uuid not null references staff_accounts (id) on delete cascade,
      primary key (desk_id, account_id)
    );

    create table consultees (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid references channels (id),
      line_user_id text,
      web_token_hash text unique,
      label text not null,
      created_at timestamptz not null default now(),
      unique (channel_id, line_user_id)
    );

    create table consultations (
      id uuid primary key default gen_random_uuid(),
      desk_id uuid not null references desks (id),
      consultee_id uuid not null references consultees (id),
      origin text not null check (origin in ('line', 'web')),
      data_key_enc bytea not null,
      status text not null check (status in ('waiting', 'active', 'closed')),
      counselor_id uuid references staff_accounts (id),
      opened_at timestamptz not null default now(),
      first_reply_at timestamptz,
      last_message_at timestamptz,
      closed_at timestamptz,
      closed_by text,
      risk_flagged_at timestamptz,
      history_confirmed_at timestamptz,
      history_confirmed_by uuid references staff_accounts (id),
      out_of_hours_replied_at timestamptz,
      line_notified_at timestamptz
    );
    create index consultations_status on consultations (status, desk_id);
    create index consultations_consultee on consultations (consultee_id, opened_at);
    create unique index consultations_one_open on consultations (consultee_id, desk_id) where status <> 'closed';

    create table consultation_messages (
      id bigint generated always as identity primary key,
      consultation_id uuid not null references consultations (id),
      sender text not null check (sender in ('consultee', 'counselor', 'system')),
      kind text not null check (kind in ('text', 'note')),
      account_id uuid references staff_accounts (id),
      client_id text,
      body_enc bytea not null,
      created_at timestamptz not null default now()
    );
    create index consultation_messages_consultation on consultation_messages (consultation_id, id);
    create unique index consultation_messages_client on consultation_messages (consultation_id, client_id) where client_id is not null;

    create table consultation_records (
      consultation_id uuid primary key references consultations (id),
      values_enc bytea not null,
      missing_reason text,
      updated_at timestamptz not null default now(),
      updated_by uuid references staff_accounts (id)
    );
  `.execute(db);
}
