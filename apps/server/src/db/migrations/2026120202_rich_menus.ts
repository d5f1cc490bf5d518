import { type Kysely, sql } from 'kysely';

// Tabbed rich menus (M-01 … M-05, O-08, X-01): tab groups of 1–3 tabs, each tab one LINE rich menu
// with an alias (the richmenuswitch target); its areas (tap counts and the /rm/ redirect name them);
// publications (as the default menu, to a segment, or the disaster switch) with a schedule; the
// per-user links a publication made (so they are undone exactly); tap counts per area and day.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rich_menu_groups (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      name text not null,
      kind text not null check (kind in ('normal', 'disaster')),
      status text not null default 'draft' check (status in ('draft', 'ready', 'failed')),
      error text,
      created_by uuid references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index rich_menu_groups_channel on rich_menu_groups (channel_id, created_at desc);

    create table rich_menu_tabs (
      id uuid primary key default gen_random_uuid(),
      group_id uuid not null references rich_menu_groups (id) on delete cascade,
      position int not null check (position between 0 and 2),
      label text not null,
      chat_bar_text text not null,
      width int not null,
      height int not null,
      image jsonb not null,
      line_rich_menu_id text unique,
      image_uploaded boolean not null default false,
      line_alias_id text not null unique,
      alias_created boolean not null default false,
      unique (group_id, position)
    );

    create table rich_menu_areas (
      id uuid primary key default gen_random_uuid(),
      tab_id uuid not null references rich_menu_tabs (id) on delete cascade,
      position int not null,
      x int not null,
      y int not null,
      width int not null,
      height int not null,
      label text,
      action jsonb not null,
      unique (tab_id, position)
    );

    create table rich_menu_publications (
      id uuid primary key default gen_random_uuid(),
      group_id uuid not null references rich_menu_groups (id) on delete cascade,
      channel_id uuid not null references channels (id),
      target text not null check (target in ('default', 'segment', 'disaster')),
      segment_id uuid,
      starts_at timestamptz,
      ends_at timestamptz,
      status text not null check (status in ('scheduled', 'linking', 'active', 'ending', 'ended', 'failed', 'cancelled')),
      activated_at timestamptz,
      previous_default text,
      linked_count int not null default 0,
      attempts int not null default 0,
      next_attempt_at timestamptz,
      error text,
      created_by uuid references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index rich_menu_publications_due on rich_menu_publications (status, starts_at, ends_at);
    create index rich_menu_publications_group on rich_menu_publications (group_id);

    create table rich_menu_user_links (
      publication_id uuid not null references rich_menu_publications (id) on delete cascade,
      line_user_id text not null,
      state text not null check (state in ('pending', 'linked', 'superseded', 'restored')),
      previous_publication_id uuid,
      primary key (publication_id, line_user_id)
    );
    create index rich_menu_user_links_user on rich_menu_user_links (line_user_id, state);

    create table rich_menu_taps (
      area_id uuid not null references rich_menu_areas (id) on delete cascade,
      day date not null,
      taps int not null default 0,
      primary key (area_id, day)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table rich_menu_taps;
    drop table rich_menu_user_links;
    drop table rich_menu_publications;
    drop table rich_menu_areas;
    drop table rich_menu_tabs;
    drop table rich_menu_groups;
  `.execute(db);
}
