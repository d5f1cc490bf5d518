import { type Kysely, sql } from 'kysely';

// Surveys and public comment (issue 13, Q-01 … Q-05) on the one form engine.
// - form_items.type: the new item types (number, date, postal code, phone, e-mail, address, description).
// - surveys: one per survey form (forms.purpose = 'survey'), its period, audience, answer mode and, for public
//   comment, the published results summary.
// - survey_documents: the public comment's attached PDF (kept in the database, served by the server).
// - survey_responses: the answers, in the form engine's stored shape (choice IDs, numbers, sealed texts).
//   `respondent_key` is an HMAC of the channel, LINE user and survey (never the user ID itself), so an
//   anonymous survey can still keep one answer per person; `friend_id` is set only for named surveys.
//   `slot` is 'only' in overwrite mode (one row per person, enforced by the unique index) and the row's
//   own ID in append mode. `request_key` makes a retried send count once. `text_keys` names the text
//   answers present (their content is sealed in texts_enc), so the results count them in SQL.
// - survey_response_changes: who changed an answer's status or staff-only items, and when.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table form_items drop constraint form_items_type_check;
    alter table form_items add constraint form_items_type_check check (type in (
      'single', 'multiple', 'select', 'area', 'birth_year', 'text', 'textarea',
      'number', 'date', 'postal_code', 'phone', 'email', 'address', 'description'));

    create table surveys (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      form_id uuid not null unique references forms (id),
      kind text not null check (kind in ('survey', 'public_comment')),
      status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
      mode text not null check (mode in ('overwrite', 'append')),
      anonymous boolean not null default false,
      opens_at timestamptz,
      closes_at timestamptz,
      audience_segment_id uuid references segments (id),
      results_published boolean not null default false,
      results_summary text not null default '',
      created_by uuid references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (opens_at is null or closes_at is null or opens_at < closes_at)
    );
    create index surveys_channel on surveys (channel_id, created_at desc);

    create table survey_documents (
      survey_id uuid primary key references surveys (id) on delete cascade,
      file_name text not null,
      content_type text not null,
      bytes bytea not null,
      uploaded_at timestamptz not null default now()
    );

    create table survey_responses (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id) on delete cascade,
      respondent_key bytea not null,
      slot text not null,
      friend_id uuid references friends (id),
      request_key text,
      choice_ids bigint[] not null default '{}',
      numbers jsonb not null default '{}',
      texts_enc bytea,
      text_keys text[] not null default '{}',
      status text not null default 'new' check (status in ('new', 'in_progress', 'done')),
      status_changed_at timestamptz,
      status_changed_by uuid references staff_accounts (id),
      submitted_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (survey_id, respondent_key, slot)
    );
    create unique index survey_responses_request on survey_responses (survey_id, respondent_key, request_key)
      where request_key is not null;
    create index survey_responses_list on survey_responses (survey_id, submitted_at desc, id desc);
    create index survey_responses_choices on survey_responses using gin (choice_ids);

    create table survey_response_changes (
      id bigint generated always as identity primary key,
      response_id uuid not null references survey_responses (id) on delete cascade,
      staff_id uuid references staff_accounts (id),
      field text not null check (field in ('status', 'staff_answers')),
      from_value text not null,
      to_value text not null,
      at timestamptz not null default now()
    );
    create index survey_response_changes_response on survey_response_changes (response_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table survey_response_changes, survey_responses, survey_documents, surveys;
    delete from form_items where type in ('number', 'date', 'postal_code', 'phone', 'email', 'address', 'description');
    alter table form_items drop constraint form_items_type_check;
    alter table form_items add constraint form_items_type_check check (type in (
      'single', 'multiple', 'select', 'area', 'birth_year', 'text', 'textarea'));
  `.execute(db);
}
