import { type Kysely, sql } from 'kysely';

// File and photo answers of surveys (issue 13, Q-01).
// - form_items.type: 'file' (only a survey's form takes it; the form engine refuses it elsewhere).
// - survey_files: uploaded by a respondent before they send their answer (response_id and item_key
//   null), then taken by the answer that names them. `respondent_key` is the survey answers' key (an
//   HMAC of channel, LINE user and survey), so only the one who uploaded a file can name it. Images
//   are re-encoded without metadata, PDF files stored as sent; the bytes and the original name are
//   sealed with the cipher. Uploads no answer took within a day are pruned by a job.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table form_items drop constraint form_items_type_check;
    alter table form_items add constraint form_items_type_check check (type in (
      'single', 'multiple', 'select', 'area', 'birth_year', 'text', 'textarea',
      'number', 'date', 'postal_code', 'phone', 'email', 'address', 'description', 'file'));

    create table survey_files (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id) on delete cascade,
      respondent_key bytea not null,
      response_id uuid references survey_responses (id) on delete cascade,
      item_key text,
      position int not null default 0,
      content_type text not null
        check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
      byte_size int not null check (byte_size > 0),
      name_enc bytea not null,
      bytes_enc bytea not null,
      created_at timestamptz not null default now(),
      check ((response_id is null) = (item_key is null))
    );
    create index survey_files_response on survey_files (response_id, item_key, position)
      where response_id is not null;
    create index survey_files_unused on survey_files (survey_id, respondent_key, created_at)
      where response_id is null;
    create index survey_files_prune on survey_files (created_at) where response_id is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table survey_files;
    delete from form_items where type = 'file';
    alter table form_items drop constraint form_items_type_check;
    alter table form_items add constraint form_items_type_check check (type in (
      'single', 'multiple', 'select', 'area', 'birth_year', 'text', 'textarea',
      'number', 'date', 'postal_code', 'phone', 'email', 'address', 'description'));
  `.execute(db);
}
