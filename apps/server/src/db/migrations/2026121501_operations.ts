import { type Kysely, sql } from 'kysely';

// Operations (issue 16). `maintenance_windows` (O-04, C-15): a window covers [starts_at, ends_at)
// (ends_at null: until switched off); a window is active when it covers now, so scheduled windows
// start and end by time alone; canceled windows are kept for the record. `change_records` (O-05):
// one row per server start that ran something different (version, Node, PostgreSQL, migrations,
// configuration hash) and the operator's own entries (patches, updates). `access_log` (S-05): one
// row per HTTP request, written in batches, deleted after ACCESS_LOG_RETENTION_DAYS.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table maintenance_windows (
      id uuid primary key default gen_random_uuid(),
      starts_at timestamptz not null,
      ends_at timestamptz,
      message_ja text not null,
      message_en text,
      created_by text not null,
      created_at timestamptz not null default now(),
      canceled_at timestamptz,
      canceled_by text,
      check (ends_at is null or ends_at > starts_at)
    );
    create index maintenance_windows_live on maintenance_windows (starts_at) where canceled_at is null;

    create table change_records (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      kind text not null check (kind in ('start', 'patch', 'update', 'config')),
      summary text not null,
      version text,
      revision text,
      node_version text,
      postgres_version text,
      migrations jsonb,
      config_hash text,
      config_keys jsonb,
      changed_keys jsonb,
      created_by text not null
    );
    create index change_records_start on change_records (id desc) where kind = 'start';

    create table access_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      method text not null,
      route text,
      path text not null,
      status integer not null,
      duration_ms integer not null,
      ip text,
      account_id uuid,
      user_agent text
    );
    create index access_log_at on access_log (at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table access_log; drop table change_records; drop table maintenance_windows;`.execute(db);
}
