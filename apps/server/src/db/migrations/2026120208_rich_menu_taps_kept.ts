import { type Kysely, sql } from 'kysely';

// Tap counts survive an edit (O-08): PUT /api/richmenus/:id replaces a group's tabs and areas, and
// the taps used to go with the deleted areas (on delete cascade). Each tap row now also names its
// group, tab position, area position and area label, and `area_id` becomes nullable (set null when
// the area is replaced), so the taps route can still report earlier areas (by position and label).
// The taps of a deleted group still go with it. Counting keeps its upsert on (area_id, day): a
// unique constraint instead of the primary key (kept rows have a null area_id; nulls are distinct).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table rich_menu_taps
      add column group_id uuid references rich_menu_groups (id) on delete cascade,
      add column tab_position int,
      add column area_position int,
      add column area_label text;

    update rich_menu_taps k
       set group_id = t.group_id, tab_position = t.position, area_position = a.position, area_label = a.label
      from rich_menu_areas a
      join rich_menu_tabs t on t.id = a.tab_id
     where a.id = k.area_id;

    alter table rich_menu_taps
      alter column group_id set not null,
      alter column tab_position set not null,
      alter column area_position set not null,
      drop constraint rich_menu_taps_pkey,
      alter column area_id drop not null,
      drop constraint rich_menu_taps_area_id_fkey,
      add constraint rich_menu_taps_area_id_fkey
        foreign key (area_id) references rich_menu_areas (id) on delete set null,
      add constraint rich_menu_taps_area_day unique (area_id, day);
    create index rich_menu_taps_group on rich_menu_taps (group_id, day);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from rich_menu_taps where area_id is null;
    drop index rich_menu_taps_group;
    alter table rich_menu_taps
      drop constraint rich_menu_taps_area_day,
      drop constraint rich_menu_taps_area_id_fkey,
      add constraint rich_menu_taps_area_id_fkey
        foreign key (area_id) references rich_menu_areas (id) on delete cascade,
      alter column area_id set not null,
      add primary key (area_id, day),
      drop column area_label,
      drop column area_position,
      drop column tab_position,
      drop column group_id;
  `.execute(db);
}
