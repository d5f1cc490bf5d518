import { type Kysely, sql } from 'kysely';

// Fault reports (issue 13, R-01 … R-03).
// - report_categories: per channel, configured by staff, each with the e-mail addresses it notifies.
// - reports: one per citizen report; the text sealed with the cipher (text_enc), the place as numeric
//   lat/lng, the status and assignee, `request_key` so a retried send makes one report, and
//   `done_notified_at` so the reporter's "完了" LINE message is recorded once.
// - report_photos: uploaded (checked, re-encoded, metadata stripped) before the report is sent, then
//   attached to it (report_id); never public, served only to staff with reports.handle.
// - report_changes: who changed the status or assignee, and the staff notes.
// - report_mails: the outbox of notification mails, written in the report's transaction (nothing accepted
//   is lost); a job sends them with retries and backoff, and gives up visibly (failed) after N attempts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_categories (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      name text not null,
      emails text[] not null,
      active boolean not null default true,
      position int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (channel_id, name)
    );

    create table reports (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      friend_id uuid not null references friends (id),
      category_id uuid not null references report_categories (id),
      text_enc bytea not null,
      occurred_at timestamptz not null,
      lat numeric(9, 6) not null check (lat between -90 and 90),
      lng numeric(9, 6) not null check (lng between -180 and 180),
      status text not null default 'received' check (status in ('received', 'in_progress', 'done', 'rejected')),
      assignee_id uuid references staff_accounts (id),
      request_key text,
      done_notified_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index reports_request on reports (friend_id, request_key) where request_key is not null;
    create index reports_list on reports (channel_id, created_at desc, id desc);
    create index reports_friend on reports (friend_id, created_at desc);

    create table report_photos (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      friend_id uuid not null references friends (id),
      report_id uuid references reports (id) on delete cascade,
      position int not null default 0,
      content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
      size int not null,
      width int not null,
      height int not null,
      bytes bytea not null,
      created_at timestamptz not null default now()
    );
    create index report_photos_report on report_photos (report_id, position);
    create index report_photos_unattached on report_photos (created_at) where report_id is null;

    create table report_changes (
      id bigint generated always as identity primary key,
      report_id uuid not null references reports (id) on delete cascade,
      staff_id uuid references staff_accounts (id),
      field text not null check (field in ('status', 'assignee', 'note')),
      from_value text not null,
      to_value text not null,
      at timestamptz not null default now()
    );
    create index report_changes_report on report_changes (report_id, at);

    create table report_mails (
      id bigint generated always as identity primary key,
      report_id uuid not null references reports (id) on delete cascade,
      to_address text not null,
      subject text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      sent_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index report_mails_due on report_mails (next_attempt_at) where status = 'pending';
    create index report_mails_report on report_mails (report_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table report_mails, report_changes, report_photos, reports, report_categories`.execute(db);
}
