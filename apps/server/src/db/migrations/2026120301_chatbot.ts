import { type Kysely, sql } from 'kysely';

// Chatbot scenarios (issue 12, B-01 … B-03, X-02): a scenario's draft is edited and tested, then
// published as an immutable version (the previous ones stay restorable). The keywords of the
// published versions are kept apart, normalised, for a fast lookup per message. A friend's place in a
// scenario is one row per (channel, friend) — it survives restarts and times out. Steps are the
// analytics (reached / completed / dropped per node); hand-overs keep the bot quiet for a friend.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table chatbot_scenarios (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      key text not null,
      name text not null,
      draft jsonb not null,
      revision int not null default 1,
      published_version int,
      deleted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index chatbot_scenarios_key on chatbot_scenarios (channel_id, key) where deleted_at is null;

    create table chatbot_versions (
      scenario_id uuid not null references chatbot_scenarios (id) on delete cascade,
      version int not null,
      content jsonb not null,
      published_at timestamptz not null default now(),
      published_by uuid,
      primary key (scenario_id, version)
    );

    create table chatbot_keywords (
      channel_id uuid not null references channels (id),
      scenario_id uuid not null references chatbot_scenarios (id) on delete cascade,
      match text not null check (match in ('exact', 'contains')),
      word text not null,
      only_in_disaster boolean not null default false
    );
    create index chatbot_keywords_exact on chatbot_keywords (channel_id, word) where match = 'exact';
    create index chatbot_keywords_channel on chatbot_keywords (channel_id, match);

    create table chatbot_sessions (
      channel_id uuid not null references channels (id),
      line_user_id text not null,
      scenario_id uuid references chatbot_scenarios (id) on delete cascade,
      scenario_key text not null,
      version int not null,
      node_id text,
      vars_enc bytea,
      expires_at timestamptz not null,
      last_event_id bigint,
      updated_at timestamptz not null default now(),
      primary key (channel_id, line_user_id)
    );
    create index chatbot_sessions_expiry on chatbot_sessions (expires_at) where node_id is not null;

    create table chatbot_steps (
      id bigint generated always as identity primary key,
      channel_id uuid not null references channels (id),
      scenario_id uuid,
      scenario_key text not null,
      version int not null,
      node_id text not null,
      kind text not null check (kind in ('started', 'reached', 'completed', 'dropped')),
      at timestamptz not null default now()
    );
    create index chatbot_steps_scenario on chatbot_steps (scenario_id, kind, node_id);
    create index chatbot_steps_channel on chatbot_steps (channel_id, at);

    create table chatbot_handovers (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      line_user_id text not null,
      scenario_id uuid references chatbot_scenarios (id) on delete set null,
      scenario_name text not null,
      text text not null,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      closed_by uuid
    );
    create unique index chatbot_handovers_open on chatbot_handovers (channel_id, line_user_id) where closed_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table chatbot_handovers;
    drop table chatbot_steps;
    drop table chatbot_sessions;
    drop table chatbot_keywords;
    drop table chatbot_versions;
    drop table chatbot_scenarios;
  `.execute(db);
}
