import { type Kysely, sql } from 'kysely';

// Sign-in throttling (S-08, S-04), shared by every server process:
// - login_throttles: one row per (login ID as typed, source address) with its consecutive
//   failures and the backoff that follows; unknown login IDs get rows exactly like real ones,
//   so the answers never tell which IDs exist. last_success_at marks an address the account
//   has signed in from, which the per-account ceiling lets through.
// - login_failure_windows: failures per login ID (the per-account ceiling across addresses)
//   and per address (the per-IP limit), in fixed windows; locked_until is set when a window
//   reaches its limit.
// The per-account columns of staff_accounts are replaced by these.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table login_throttles (
      login_id text not null,
      ip text not null,
      failures int not null default 0,
      last_failure_at timestamptz,
      blocked_until timestamptz,
      last_success_at timestamptz,
      forget_at timestamptz not null,
      primary key (login_id, ip)
    );
    create index login_throttles_forget on login_throttles (forget_at);

    create table login_failure_windows (
      scope text not null check (scope in ('account', 'ip')),
      key text not null,
      window_start timestamptz not null,
      failures int not null,
      locked_until timestamptz,
      primary key (scope, key)
    );
    create index login_failure_windows_start on login_failure_windows (window_start);

    alter table staff_accounts drop column failed_logins, drop column locked_until;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staff_accounts add column failed_logins int not null default 0,
      add column locked_until timestamptz;
    drop table login_failure_windows;
    drop table login_throttles;
  `.execute(db);
}
