import { type Insertable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ChatbotStepsTable, Database } from '../../db/schema.ts';

// All SQL of the chatbot's scenarios (issue 12): scenarios and their versions, the published
// keywords, friends' places (sessions), steps (analytics) and hand-overs.

type Tx = Db | Transaction<Database>;

const SCENARIO = [
  'id',
  'channel_id',
  'key',
  'name',
  'draft',
  'revision',
  'published_version',
  'created_at',
  'updated_at',
] as const;

export type ScenarioRow = Awaited<ReturnType<typeof findScenarioRow>> & {};

export const findScenarioRow = (db: Tx, id: string) =>
  db
    .selectFrom('chatbot_scenarios')
    .select(SCENARIO)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();

export const lockScenarioRow = (trx: Transaction<Database>, id: string) =>
  trx
    .selectFrom('chatbot_scenarios')
    .select(SCENARIO)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();

export const findScenarioByKey = (db: Tx, channelId: string, key: string) =>
  db
    .selectFrom('chatbot_scenarios')
    .select(SCENARIO)
    .where('channel_id', '=', channelId)
    .where('key', '=', key)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();

/** The channel's scenarios by key, without their drafts (LINE events read them once per batch). */
export const scenarioKeyRows = (db: Tx, channelId: string) =>
  db
    .selectFrom('chatbot_scenarios')
    .select(['id', 'key', 'name', 'published_version'])
    .where('channel_id', '=', channelId)
    .where('deleted_at', 'is', null)
    .execute();

export const listScenarioRows = (db: Tx, channelId: string) =>
  db
    .selectFrom('chatbot_scenarios')
    .select(SCENARIO)
    .where('channel_id', '=', channelId)
    .where('deleted_at', 'is', null)
    .orderBy('updated_at', 'desc')
    .execute();

export const insertScenarioRow = (
  db: Tx,
  s: { channelId: string; key: string; name: string; draft: unknown },
) =>
  db
    .insertInto('chatbot_scenarios')
    .values({ channel_id: s.channelId, key: s.key, name: s.name, draft: JSON.stringify(s.draft) })
    .returning(SCENARIO)
    .executeTakeFirstOrThrow();

/** Saves the draft when the revision is still `revision`; undefined when it changed meanwhile. */
export const updateDraftRow = (db: Tx, id: string, revision: number, name: string, draft: unknown) =>
  db
    .updateTable('chatbot_scenarios')
    .set({ name, draft: JSON.stringify(draft), revision: sql`revision + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .where('deleted_at', 'is', null)
    .returning(SCENARIO)
    .executeTakeFirst();

export const setPublishedVersion = (trx: Tx, id: string, version: number | null) =>
  trx
    .updateTable('chatbot_scenarios')
    .set({ published_version: version, updated_at: new Date() })
    .where('id', '=', id)
    .returning(SCENARIO)
    .executeTakeFirstOrThrow();

export async function markScenarioDeleted(trx: Tx, id: string) {
  await trx
    .updateTable('chatbot_scenarios')
    .set({ deleted_at: new Date(), published_version: null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  // Friends waiting in it leave it (a new scenario may take the key later).
  await trx
    .updateTable('chatbot_sessions')
    .set({ node_id: null, vars_enc: null, updated_at: new Date() })
    .where('scenario_id', '=', id)
    .execute();
}

/** Publishing is serialised per channel, so two publishes cannot both pass the conflict check. */
export const lockChannelPublishing = (trx: Transaction<Database>, channelId: string) =>
  sql`select pg_advisory_xact_lock(hashtext('chatbot.publish'), hashtext(${channelId}))`.execute(trx);

export const nextVersionNumber = async (trx: Tx, scenarioId: string) =>
  Number(
    (
      await trx
        .selectFrom('chatbot_versions')
        .select((eb) => eb.fn.coalesce(eb.fn.max('version'), sql<number>`0`).as('v'))
        .where('scenario_id', '=', scenarioId)
        .executeTakeFirstOrThrow()
    ).v,
  ) + 1;

export const insertVersionRow = (
  trx: Tx,
  v: { scenarioId: string; version: number; content: unknown; publishedBy: string | null },
) =>
  trx
    .insertInto('chatbot_versions')
    .values({
      scenario_id: v.scenarioId,
      version: v.version,
      content: JSON.stringify(v.content),
      published_by: v.publishedBy,
    })
    .onConflict((oc) =>
      oc.columns(['scenario_id', 'version']).doUpdateSet({
        content: JSON.stringify(v.content),
        published_at: new Date(),
        published_by: v.publishedBy,
      }),
    )
    .execute();

export const findVersionRow = (db: Tx, scenarioId: string, version: number) =>
  db
    .selectFrom('chatbot_versions')
    .select(['scenario_id', 'version', 'content', 'published_at', 'published_by'])
    .where('scenario_id', '=', scenarioId)
    .where('version', '=', version)
    .executeTakeFirst();

/** Published versions (version 0, a draft snapshot sent to a test phone, is not one). */
export const listVersionRows = (db: Tx, scenarioId: string) =>
  db
    .selectFrom('chatbot_versions')
    .select(['version', 'content', 'published_at', 'published_by'])
    .where('scenario_id', '=', scenarioId)
    .where('version', '>', 0)
    .orderBy('version', 'desc')
    .execute();

/** The channel's published scenarios with their published content (triggers, graph). */
export const publishedScenarioRows = (db: Tx, channelId: string) =>
  db
    .selectFrom('chatbot_scenarios as s')
    .innerJoin('chatbot_versions as v', (j) =>
      j.onRef('v.scenario_id', '=', 's.id').onRef('v.version', '=', 's.published_version'),
    )
    .select(['s.id', 's.key', 's.name', 's.published_version', 'v.content'])
    .where('s.channel_id', '=', channelId)
    .where('s.deleted_at', 'is', null)
    .execute();

/** The published scenario with a follow / fallback trigger (at most one: publishing refuses two). */
export const publishedWithTrigger = (db: Tx, channelId: string, kind: 'follow' | 'fallback') =>
  db
    .selectFrom('chatbot_scenarios as s')
    .innerJoin('chatbot_versions as v', (j) =>
      j.onRef('v.scenario_id', '=', 's.id').onRef('v.version', '=', 's.published_version'),
    )
    .select(['s.id', 's.key', 's.name', 's.published_version', 'v.content'])
    .where('s.channel_id', '=', channelId)
    .where('s.deleted_at', 'is', null)
    .where(sql<boolean>`v.content -> 'triggers' @> ${JSON.stringify([{ kind }])}::jsonb`)
    .limit(1)
    .executeTakeFirst();

export async function replaceKeywordRows(
  trx: Tx,
  scenarioId: string,
  channelId: string,
  words: { match: 'exact' | 'contains'; word: string; onlyInDisaster: boolean }[],
) {
  await trx.deleteFrom('chatbot_keywords').where('scenario_id', '=', scenarioId).execute();
  if (words.length === 0) return;
  await trx
    .insertInto('chatbot_keywords')
    .values(
      words.map((w) => ({
        channel_id: channelId,
        scenario_id: scenarioId,
        match: w.match,
        word: w.word,
        only_in_disaster: w.onlyInDisaster,
      })),
    )
    .execute();
}

/**
 * The published scenarios a normalised text starts: an exact word first, then contains words
 * (longest first). Each with its scenario's key and published version.
 */
/** Every keyword of the channel's published scenarios (matched in memory, once per dispatch batch). */
export const publishedKeywordRows = (db: Tx, channelId: string) =>
  db
    .selectFrom('chatbot_keywords as k')
    .innerJoin('chatbot_scenarios as s', 's.id', 'k.scenario_id')
    .select(['k.match', 'k.word', 'k.only_in_disaster', 's.id', 's.key'])
    .where('k.channel_id', '=', channelId)
    .where('s.published_version', 'is not', null)
    .where('s.deleted_at', 'is', null)
    .execute();

export const keywordMatches = (db: Tx, channelId: string, text: string) =>
  db
    .selectFrom('chatbot_keywords as k')
    .innerJoin('chatbot_scenarios as s', 's.id', 'k.scenario_id')
    .select(['k.match', 'k.word', 'k.only_in_disaster', 's.id', 's.key'])
    .where('k.channel_id', '=', channelId)
    .where('s.published_version', 'is not', null)
    .where('s.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('k.match', '=', 'exact'), eb('k.word', '=', text)]),
        eb.and([eb('k.match', '=', 'contains'), sql<boolean>`strpos(${text}, k.word) > 0`]),
      ]),
    )
    .orderBy(sql`k.match = 'exact'`, 'desc')
    .orderBy(sql`length(k.word)`, 'desc')
    .execute();

// ---------------------------------------------------------------------------------------------
// Sessions

const SESSION = [
  'channel_id',
  'line_user_id',
  'scenario_id',
  'scenario_key',
  'version',
  'node_id',
  'vars_enc',
  'expires_at',
  'last_event_id',
] as const;

/** A friend's place (chatbot_sessions), as read and as written. */
export interface SessionRow {
  channel_id: string;
  line_user_id: string;
  scenario_id: string | null;
  scenario_key: string;
  version: number;
  node_id: string | null;
  vars_enc: Buffer | null;
  expires_at: Date;
  last_event_id: string | null;
}

/**
 * For each of these friends of the channel: whether they have an open hand-over, and their place
 * locked FOR UPDATE (null when they have none yet); one round trip for a whole dispatch batch. The
 * rows are locked in the order of `lineUserIds` (pass them sorted).
 */
export async function lockPlaceRows(
  trx: Transaction<Database>,
  channelId: string,
  lineUserIds: string[],
): Promise<Map<string, { handedOver: boolean; session: SessionRow | null }>> {
  const r = await sql<SessionRow & { friend: string; handed_over: boolean; found: boolean | null }>`
    select u.friend,
           exists (
             select 1 from chatbot_handovers h
              where h.channel_id = ${channelId} and h.line_user_id = u.friend and h.closed_at is null
           ) as handed_over,
           s.found, ${sql.join(SESSION.map((c) => sql.ref(`s.${c}`)))}
      from unnest(${lineUserIds}::text[]) with ordinality as u (friend, n)
      left join lateral (
        select true as found, ${sql.join(SESSION.map((c) => sql.ref(c)))}
          from chatbot_sessions
         where channel_id = ${channelId} and line_user_id = u.friend
           for update
      ) s on true
     order by u.n
  `.execute(trx);
  return new Map(
    r.rows.map(({ friend, handed_over, found, ...session }) => [
      friend,
      { handedOver: handed_over, session: found ? (session as SessionRow) : null },
    ]),
  );
}

/** Writes places: one statement; of several rows for one friend, the last is kept. */
export async function upsertSessionRows(trx: Tx, rows: SessionRow[]): Promise<void> {
  const last = new Map(rows.map((r) => [`${r.channel_id}\n${r.line_user_id}`, r]));
  if (last.size === 0) return;
  const now = new Date();
  await trx
    .insertInto('chatbot_sessions')
    .values([...last.values()].map((r) => ({ ...r, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['channel_id', 'line_user_id']).doUpdateSet((eb) => ({
        scenario_id: eb.ref('excluded.scenario_id'),
        scenario_key: eb.ref('excluded.scenario_key'),
        version: eb.ref('excluded.version'),
        node_id: eb.ref('excluded.node_id'),
        vars_enc: eb.ref('excluded.vars_enc'),
        expires_at: eb.ref('excluded.expires_at'),
        last_event_id: eb.ref('excluded.last_event_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** The places that timed out, locked (skipping those a dispatch holds), to drop them one by one. */
export const lockExpiredSessions = (trx: Transaction<Database>, now: Date, limit: number) =>
  trx
    .selectFrom('chatbot_sessions')
    .select(SESSION)
    .where('node_id', 'is not', null)
    .where('expires_at', '<=', now)
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();

export const endSessionRows = (trx: Tx, keys: { channelId: string; lineUserId: string }[]) =>
  keys.length === 0
    ? Promise.resolve()
    : trx
        .updateTable('chatbot_sessions')
        .set({ node_id: null, vars_enc: null, updated_at: new Date() })
        .where((eb) =>
          eb.or(
            keys.map((k) =>
              eb.and([eb('channel_id', '=', k.channelId), eb('line_user_id', '=', k.lineUserId)]),
            ),
          ),
        )
        .execute()
        .then(() => undefined);

// ---------------------------------------------------------------------------------------------
// Steps (analytics)

export const insertStepRows = async (trx: Tx, rows: Insertable<ChatbotStepsTable>[]) => {
  if (rows.length > 0) await trx.insertInto('chatbot_steps').values(rows).execute();
};

/** Counts per kind and node of one scenario (its published versions; drafts on test phones are not). */
export const stepCounts = (db: Tx, scenarioId: string) =>
  db
    .selectFrom('chatbot_steps')
    .select(['kind', 'node_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('scenario_id', '=', scenarioId)
    .where('version', '>', 0)
    .groupBy(['kind', 'node_id'])
    .execute();

/** Counts per scenario, kind and node of a channel's scenarios (the export). */
export const channelStepCounts = (db: Tx, channelId: string) =>
  db
    .selectFrom('chatbot_steps')
    .select(['scenario_id', 'scenario_key', 'kind', 'node_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('channel_id', '=', channelId)
    .where('version', '>', 0)
    .groupBy(['scenario_id', 'scenario_key', 'kind', 'node_id'])
    .execute();

// ---------------------------------------------------------------------------------------------
// Hand-overs

export const findOpenHandover = (db: Tx, channelId: string, lineUserId: string) =>
  db
    .selectFrom('chatbot_handovers')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('line_user_id', '=', lineUserId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();

export const insertHandoverRow = (
  db: Tx,
  h: { channelId: string; lineUserId: string; scenarioId: string | null; scenarioName: string; text: string },
) =>
  db
    .insertInto('chatbot_handovers')
    .values({
      channel_id: h.channelId,
      line_user_id: h.lineUserId,
      scenario_id: h.scenarioId,
      scenario_name: h.scenarioName,
      text: h.text,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'line_user_id']).where('closed_at', 'is', null).doNothing())
    .execute();

/** Open hand-overs with the friend's ID and display name (READ_JOINS: friends). */
export const listOpenHandovers = (db: Tx, channelId: string) =>
  db
    .selectFrom('chatbot_handovers as h')
    .leftJoin('friends as f', (j) =>
      j.onRef('f.channel_id', '=', 'h.channel_id').onRef('f.line_user_id', '=', 'h.line_user_id'),
    )
    .select([
      'h.id',
      'h.channel_id',
      'h.scenario_name',
      'h.text',
      'h.created_at',
      'f.id as friend_id',
      'f.display_name',
    ])
    .where('h.channel_id', '=', channelId)
    .where('h.closed_at', 'is', null)
    .orderBy('h.created_at', 'asc')
    .limit(500)
    .execute();

export const findHandoverRow = (db: Tx, id: string) =>
  db
    .selectFrom('chatbot_handovers')
    .select(['id', 'channel_id', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirst();

export const closeHandoverRow = (db: Tx, id: string, by: string | null) =>
  db
    .updateTable('chatbot_handovers')
    .set({ closed_at: new Date(), closed_by: by })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
