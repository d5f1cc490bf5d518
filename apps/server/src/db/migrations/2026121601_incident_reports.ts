import { type Kysely, sql } from 'kysely';

// Incident reports (O-03, issue 16): each failure the system staff record — when it started and
// ended, its impact, cause, action and prevention — open until resolved. Owned by modules/incidents.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table incident_reports (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      status text not null default 'open' check (status in ('open', 'resolved')),
      started_at timestamptz not null,
      ended_at timestamptz,
      impact text not null default '',
      cause text not null default '',
      action text not null default '',
      prevention text not null default '',
      created_by uuid references staff_accounts (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ended_at is null or ended_at >= started_at)
    );
    create index incident_reports_started on incident_reports (started_at desc, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table incident_reports`.execute(db);
}
