import { type Kysely, sql } from 'kysely';

// A fault report's place sent as a LINE location message (issue 13, R-01). The report page asks for
// it (a push with a quick reply `location`); the friend's next location message in the 1:1 chat,
// while the request is open (15 minutes), is taken for the report instead of the shelter search.
// - One row per friend (a new request replaces the last one): open while received_at is null and
//   expires_at is in the future; the received place as numeric lat/lng like reports' own, the
//   address LINE sent with it sealed with the cipher (it may be the friend's home). Deleted when the
//   friend sends a report, and by the hourly prune a while after it expired.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_location_requests (
      friend_id uuid primary key references friends (id) on delete cascade,
      channel_id uuid not null references channels (id),
      requested_at timestamptz not null default now(),
      expires_at timestamptz not null,
      received_at timestamptz,
      lat numeric(9, 6) check (lat between -90 and 90),
      lng numeric(9, 6) check (lng between -180 and 180),
      address_enc bytea,
      check ((received_at is null) = (lat is null) and (lat is null) = (lng is null))
    );
    create index report_location_requests_expiry on report_location_requests (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table report_location_requests`.execute(db);
}
