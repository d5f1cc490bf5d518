import { type Kysely, sql } from 'kysely';

// Disaster mode at 200,000 friends: the per-user menu each friend has on LINE as far as we
// know it — linked by a segment publication, by LINE when the friend tapped a tab switch
// (richmenuswitch), or by the disaster switch and its switch-off — so switching on links only these friends
// (everyone else sees the default) and records what each one had without asking LINE per friend.
// Filled from the segment links live now.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rich_menu_user_menus (
      channel_id uuid not null references channels (id),
      line_user_id text not null,
      rich_menu_id text not null,
      source text not null check (source in ('segment', 'switch', 'disaster', 'restored')),
      updated_at timestamptz not null default now(),
      primary key (channel_id, line_user_id)
    );
    create index rich_menu_user_menus_menu on rich_menu_user_menus (channel_id, rich_menu_id);

    insert into rich_menu_user_menus (channel_id, line_user_id, rich_menu_id, source)
    select distinct on (p.channel_id, l.line_user_id) p.channel_id, l.line_user_id, t.line_rich_menu_id, 'segment'
    from rich_menu_user_links l
    join rich_menu_publications p on p.id = l.publication_id
    join rich_menu_tabs t on t.group_id = p.group_id and t.position = 0
    where l.state = 'linked' and p.target = 'segment' and p.status in ('linking', 'active', 'ending')
      and t.line_rich_menu_id is not null
    order by p.channel_id, l.line_user_id, p.activated_at desc nulls last;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rich_menu_user_menus;`.execute(db);
}
