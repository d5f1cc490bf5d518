import { type Kysely, sql } from 'kysely';

// Foundation: LINE channels, webhook events, friends, staff accounts, sessions,
// IP allow-lists, audit log, citizen sessions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table channels (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      line_channel_id text not null unique,
      environment text not null check (environment in ('production', 'test')),
      channel_secret_enc text not null,
      access_token_enc text not null,
      login_channel_id text,
      login_channel_secret_enc text,
      liff_id text,
      bot_user_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table line_events (
      id bigint generated always as identity primary key,
      channel_id uuid not null references channels (id),
      webhook_event_id text not null unique,
      type text not null,
      source_user_id text,
      occurred_at timestamptz not null,
      is_redelivery boolean not null default false,
      payload_enc bytea not null,
      received_at timestamptz not null default now(),
      dispatched_at timestamptz,
      dispatch_attempts int not null default 0,
      dispatch_error text
    );
    create index line_events_pending on line_events (id) where dispatched_at is null;
    create index line_events_channel_time on line_events (channel_id, occurred_at);

    create table friends (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      line_user_id text not null,
      status text not null check (status in ('following', 'blocked')),
      status_changed_at timestamptz not null,
      display_name text,
      picture_url text,
      language text,
      is_test boolean not null default false,
      first_followed_at timestamptz,
      followed_at timestamptz,
      unfollowed_at timestamptz,
      follow_count int not null default 0,
      profile_fetched_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (channel_id, line_user_id)
    );
    create index friends_channel_status on friends (channel_id, status);

    create table friend_events (
      id bigint generated always as identity primary key,
      channel_id uuid not null references channels (id),
      friend_id uuid not null references friends (id),
      kind text not null check (kind in ('follow', 'refollow', 'unfollow')),
      occurred_at timestamptz not null,
      line_event_id bigint unique references line_events (id)
    );
    create index friend_events_channel_time on friend_events (channel_id, occurred_at);

    create table roles (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      builtin_key text unique,
      permissions text[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table staff_accounts (
      id uuid primary key default gen_random_uuid(),
      login_id text not null unique,
      display_name text not null,
      role_id uuid not null references roles (id),
      password_hash text not null,
      must_change_password boolean not null default false,
      totp_secret_enc text,
      totp_pending_secret_enc text,
      failed_logins int not null default 0,
      locked_until timestamptz,
      disabled boolean not null default false,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table staff_sessions (
      id_hash text primary key,
      account_id uuid not null references staff_accounts (id) on delete cascade,
      csrf_token text not null,
      ip text not null,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index staff_sessions_account on staff_sessions (account_id);

    create table ip_allowlist_entries (
      id uuid primary key default gen_random_uuid(),
      area text not null check (area in ('admin', 'counselor')),
      cidr text not null,
      note text not null default '',
      position int not null,
      created_at timestamptz not null default now()
    );

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      account_id uuid,
      login_id text,
      ip text,
      action text not null,
      target_type text,
      target_id text,
      result text not null check (result in ('success', 'failure')),
      count int,
      detail jsonb,
      prev_hash text not null,
      hash text not null
    );
    create index audit_log_at on audit_log (at);

    create table citizen_sessions (
      id_hash text primary key,
      channel_id uuid not null references channels (id),
      line_user_id text not null,
      display_name text,
      picture_url text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
  `.execute(db);
}
