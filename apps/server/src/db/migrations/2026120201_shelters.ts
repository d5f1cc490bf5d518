import { type Kysely, sql } from 'kysely';

// Shelters (X-03 … X-05): 指定避難所 and 指定緊急避難場所 of the city, imported from CSV. One
// installation serves one city, so the sites are not per LINE channel: every channel (production
// and test) offers the same sites. `external_id` is the ID in the city's file (or one derived from
// it, see shelter-csv.ts); a re-import updates by it. `location` is point(longitude, latitude),
// computed from the two columns, with a GiST index for the nearest-neighbour (`<->`) search.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table shelters (
      id uuid primary key default gen_random_uuid(),
      external_id text not null unique,
      name text not null,
      name_kana text not null default '',
      address text not null,
      latitude double precision not null check (latitude between -90 and 90),
      longitude double precision not null check (longitude between -180 and 180),
      location point generated always as (point(longitude, latitude)) stored,
      capacity int check (capacity >= 0),
      disaster_types text[] not null default '{}',
      kind text not null check (kind in ('shelter', 'emergency_site', 'both')),
      phone text not null default '',
      note text not null default '',
      source_layout text not null,
      status text not null default 'closed_not_opened'
        check (status in ('open', 'closed_not_opened', 'full', 'shut')),
      status_changed_at timestamptz,
      status_changed_by uuid references staff_accounts (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index shelters_location on shelters using gist (location);
    create index shelters_status on shelters (status);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table shelters`.execute(db);
}
