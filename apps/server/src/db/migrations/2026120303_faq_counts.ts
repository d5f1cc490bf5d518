import { type Kysely, sql } from 'kysely';

// FAQ counts without hot rows (issue 12, B-04). Counting used to update one shared row inside the
// LINE dispatch transaction — `faq_entries.answered + 1` (helpful, not_helpful) and the upsert of
// `faq_unanswered` (count + 1) — so concurrent dispatch transactions waited on each other's row lock
// (154 ms per call at 500 events/s) and, in parallel partitions, deadlocked. Now every use and every
// unanswered ask is its own row, INSERT only (no row is ever updated by the dispatch), and the counts
// are aggregated when staff read them (the list, the search test, the statistics export, the
// unanswered list). Dismissing an unanswered question stores when (one row per channel and text, a
// staff action); asks after it count again from one, as before.
// The existing counts move into rows (at = the entry's updated_at / the question's last ask); the
// old columns and faq_unanswered are dropped. faq_uses has no primary key (nothing refers to a use)
// and no foreign key to faq_entries: its check would lock the popular row FOR KEY SHARE from every
// dispatch transaction, and fail the whole dispatch batch when an import removes the row meanwhile.
// The import deletes a removed row's uses with it; a use counted in that very moment stays behind,
// never read (entry IDs are never reused).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_uses (
      channel_id uuid not null references channels (id),
      entry_id uuid not null,
      kind text not null check (kind in ('answered', 'helpful', 'not_helpful')),
      at timestamptz not null default now()
    );
    create index faq_uses_entry on faq_uses (entry_id, kind);

    create table faq_unanswered_asks (
      channel_id uuid not null references channels (id),
      text text not null check (length(text) <= 200),
      at timestamptz not null default clock_timestamp()
    );
    create index faq_unanswered_asks_text on faq_unanswered_asks (channel_id, text, at);

    create table faq_unanswered_dismissals (
      channel_id uuid not null references channels (id),
      text text not null check (length(text) <= 200),
      dismissed_at timestamptz not null default clock_timestamp(),
      primary key (channel_id, text)
    );

    insert into faq_uses (channel_id, entry_id, kind, at)
    select e.channel_id, e.id, k.kind, e.updated_at
      from faq_entries e
     cross join lateral (values ('answered', e.answered), ('helpful', e.helpful), ('not_helpful', e.not_helpful)) k (kind, n)
     cross join lateral generate_series(1, k.n);

    insert into faq_unanswered_asks (channel_id, text, at)
    select u.channel_id, u.text, least(u.last_asked_at, coalesce(u.dismissed_at, u.last_asked_at))
      from faq_unanswered u
     cross join lateral generate_series(1, u.count);
    insert into faq_unanswered_dismissals (channel_id, text, dismissed_at)
    select channel_id, text, dismissed_at from faq_unanswered where dismissed_at is not null;

    drop table faq_unanswered;
    alter table faq_entries drop column answered, drop column helpful, drop column not_helpful;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table faq_entries
      add column answered int not null default 0,
      add column helpful int not null default 0,
      add column not_helpful int not null default 0;
    update faq_entries e
       set answered = c.answered, helpful = c.helpful, not_helpful = c.not_helpful
      from (select entry_id,
                   count(*) filter (where kind = 'answered') as answered,
                   count(*) filter (where kind = 'helpful') as helpful,
                   count(*) filter (where kind = 'not_helpful') as not_helpful
              from faq_uses group by entry_id) c
     where c.entry_id = e.id;

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
    insert into faq_unanswered (channel_id, text, count, first_asked_at, last_asked_at, dismissed_at)
    select a.channel_id, a.text,
           case when max(a.at) <= max(d.dismissed_at) then count(*)
                else count(*) filter (where d.dismissed_at is null or a.at > d.dismissed_at) end,
           min(a.at), max(a.at),
           case when max(a.at) <= max(d.dismissed_at) then max(d.dismissed_at) end
      from faq_unanswered_asks a
      left join faq_unanswered_dismissals d on d.channel_id = a.channel_id and d.text = a.text
     group by a.channel_id, a.text;

    drop table faq_unanswered_dismissals;
    drop table faq_unanswered_asks;
    drop table faq_uses;
  `.execute(db);
}
