import { type Kysely, sql } from 'kysely';

// The FAQ answers (issue 12, B-04). A channel's FAQ is replaced as a whole by an import (one
// transaction), which bumps faq_channels.revision: every server node keeps a search index per
// channel in memory and rebuilds it when the revision it reads (one cheap query per lookup) moved.
// row_no is the FAQ No. staff see and the sheet's ID column carries; next_row_no only grows, so a
// removed row's number is never given to another question (its counts would be mixed up).
// faq_unanswered groups the questions nothing answered, by their normalised text (normalizeForMatch),
// capped at 200 characters, long digit runs and e-mail addresses masked, and never with the LINE
// user ID: staff need the words to improve the FAQ, not who asked.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_channels (
      channel_id uuid primary key references channels (id),
      revision bigint not null default 1,
      next_row_no int not null default 1,
      updated_at timestamptz not null default now()
    );

    create table faq_entries (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      row_no int not null,
      question text not null,
      answer text not null,
      category text not null default '',
      keywords text[] not null default '{}',
      link text,
      answered int not null default 0,
      helpful int not null default 0,
      not_helpful int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (channel_id, row_no)
    );
    create index faq_entries_category on faq_entries (channel_id, category);

    create table faq_unanswered (
      channel_id uuid not null references channels (id),
      text text not null check (length(text) <= 200),
      count int not null default 1,
      first_asked_at timestamptz not null default now(),
      last_asked_at timestamptz not null default now(),
      dismissed_at timestamptz,
      primary key (channel_id, text)
    );
    create index faq_unanswered_open on faq_unanswered (channel_id, count desc) where dismissed_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table faq_unanswered;
    drop table faq_entries;
    drop table faq_channels;
  `.execute(db);
}
