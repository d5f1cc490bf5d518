import { type Kysely, sql } from 'kysely';

// Attribute registration, segments and delivery (G-01 … G-13, D-08, O-08).
//
// - forms / form_items / form_choices: one form engine (registration now; surveys, bookings,
//   reports and applications later). Items and choices are retired, never deleted, so old answers
//   stay readable. Choices may have a parent (area: ward → town).
// - form_responses: one row per respondent and form. Chosen choices are kept as an array of choice
//   IDs (GIN-indexed) so a segment over 200,000 friends is one scan; numbers (birth year) as jsonb;
//   free-text answers sealed with ENCRYPTION_KEY.
// - segments: saved condition trees (AND / OR / NOT over attributes and friend facts).
// - deliveries: up to 5 messages, the audience, schedule or recurrence, and counters.
//   delivery_batches: recipients resolved at send time, ≤ 500 per batch, each with its own
//   X-Line-Retry-Key stored before the first attempt (exactly once across crashes).
// - delivery_links / delivery_clicks: links rewritten to /r/<token>; a click is counted per link
//   with its time only (no personal data in the URL).
// - media: uploaded images (checked, resized) served over HTTPS for image and imagemap messages.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table forms (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid references channels (id),
      purpose text not null check (purpose in ('registration', 'survey', 'booking', 'report', 'application')),
      title text not null,
      description text not null default '',
      status text not null default 'published' check (status in ('draft', 'published', 'closed')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index forms_one_registration on forms (channel_id) where purpose = 'registration';

    create table form_items (
      id uuid primary key default gen_random_uuid(),
      form_id uuid not null references forms (id) on delete cascade,
      key text not null,
      label text not null,
      type text not null check (type in ('single', 'multiple', 'select', 'area', 'birth_year', 'text', 'textarea')),
      required boolean not null default false,
      position int not null,
      help text not null default '',
      config jsonb not null default '{}',
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (form_id, key)
    );

    create table form_choices (
      id bigint generated always as identity primary key,
      item_id uuid not null references form_items (id) on delete cascade,
      parent_id bigint references form_choices (id),
      label text not null,
      position int not null,
      retired_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index form_choices_item on form_choices (item_id, position);

    create table form_responses (
      id uuid primary key default gen_random_uuid(),
      form_id uuid not null references forms (id) on delete cascade,
      friend_id uuid references friends (id),
      choice_ids bigint[] not null default '{}',
      numbers jsonb not null default '{}',
      texts_enc bytea,
      submitted_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index form_responses_friend on form_responses (form_id, friend_id) where friend_id is not null;
    create index form_responses_choices on form_responses using gin (choice_ids);

    create table segments (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      name text not null,
      tree jsonb not null,
      created_by uuid references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table media (
      id uuid primary key default gen_random_uuid(),
      content_type text not null,
      width int not null,
      height int not null,
      bytes bytea not null,
      preview bytea not null,
      original_name text not null default '',
      created_by uuid references staff_accounts (id),
      created_at timestamptz not null default now()
    );

    create table deliveries (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      title text not null,
      messages jsonb not null,
      audience jsonb not null,
      is_test boolean not null default false,
      status text not null check (status in ('draft', 'scheduled', 'sending', 'sent', 'failed', 'cancelled')),
      scheduled_at timestamptz,
      recurrence jsonb,
      series_id uuid references deliveries (id),
      recipients int,
      sent int not null default 0,
      failed int not null default 0,
      resolved_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      cancelled_at timestamptz,
      error text,
      created_by uuid references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index deliveries_due on deliveries (scheduled_at) where status = 'scheduled';
    create index deliveries_channel on deliveries (channel_id, created_at desc);
    create unique index deliveries_series_occurrence on deliveries (series_id, scheduled_at) where series_id is not null;

    create table delivery_batches (
      delivery_id uuid not null references deliveries (id) on delete cascade,
      batch_no int not null,
      retry_key uuid not null,
      friend_ids uuid[] not null,
      user_ids text[] not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts int not null default 0,
      http_status int,
      error text,
      request_id text,
      sent_at timestamptz,
      primary key (delivery_id, batch_no)
    );
    create index delivery_batches_pending on delivery_batches (delivery_id) where status = 'pending';

    create table delivery_links (
      id bigint generated always as identity primary key,
      delivery_id uuid not null references deliveries (id) on delete cascade,
      token text not null unique,
      url text not null,
      position int not null,
      unique (delivery_id, position)
    );

    create table delivery_clicks (
      id bigint generated always as identity primary key,
      link_id bigint not null references delivery_links (id) on delete cascade,
      clicked_at timestamptz not null default now()
    );
    create index delivery_clicks_link on delivery_clicks (link_id, clicked_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table delivery_clicks, delivery_links, delivery_batches, deliveries, media, segments,
      form_responses, form_choices, form_items, forms;
  `.execute(db);
}
