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

    comment on table incident_reports is '障害報告（O-03）: 障害ごとの発生・復旧の日時、影響、原因、対応、再発防止';
    comment on column incident_reports.id is 'ID（主キー）';
    comment on column incident_reports.title is '件名';
    comment on column incident_reports.status is '状態（コード値）';
    comment on column incident_reports.started_at is '発生日時';
    comment on column incident_reports.ended_at is '復旧日時（空: 対応中）';
    comment on column incident_reports.impact is '影響（止まった機能、影響を受けた人の数など）';
    comment on column incident_reports.cause is '原因';
    comment on column incident_reports.action is '対応';
    comment on column incident_reports.prevention is '再発防止策';
    comment on column incident_reports.created_by is '作成した職員（staff_accounts.id）';
    comment on column incident_reports.created_at is '作成日時';
    comment on column incident_reports.updated_at is '最終更新日時';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table incident_reports`.execute(db);
}
