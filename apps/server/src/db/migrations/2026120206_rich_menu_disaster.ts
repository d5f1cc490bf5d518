import { type Kysely, sql } from 'kysely';

// Disaster mode: at most one live disaster switch per channel (the conditional insert that
// lets exactly one of two concurrent switches win), and each friend's per-user menu before the
// switch, so switching off puts exactly that menu back. And a claim on a tab group while its LINE
// objects are being made or removed (two clicks on 再登録 never make two sets of menus).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table rich_menu_user_links add column previous_rich_menu_id text;
    alter table rich_menu_groups add column busy_until timestamptz;
    create unique index rich_menu_publications_one_disaster on rich_menu_publications (channel_id)
      where target = 'disaster' and status in ('scheduled', 'linking', 'active', 'ending');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index rich_menu_publications_one_disaster;
    alter table rich_menu_user_links drop column previous_rich_menu_id;
    alter table rich_menu_groups drop column busy_until;
  `.execute(db);
}
