import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// SQL of the rich menu tables (modules/README.md "Tables and owners"): tab groups, tabs, areas,
// publications, the per-user links a publication made, and tap counts.

export type Executor = Db;

// ---- groups, tabs, areas ----

export const insertGroupRow = (
  db: Executor,
  g: { channelId: string; name: string; kind: 'normal' | 'disaster'; createdBy: string | null },
) =>
  db
    .insertInto('rich_menu_groups')
    .values({ channel_id: g.channelId, name: g.name, kind: g.kind, created_by: g.createdBy, error: null })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateGroupRow = (
  db: Executor,
  id: string,
  patch: { name?: string; kind?: 'normal' | 'disaster' },
) =>
  db
    .updateTable('rich_menu_groups')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();

export const setGroupStatus = (
  db: Executor,
  id: string,
  status: 'draft' | 'ready' | 'failed',
  error: string | null,
) =>
  db
    .updateTable('rich_menu_groups')
    .set({ status, error, updated_at: new Date() })
    .where('id', '=', id)
    .execute();

/** Claims the group for a LINE change (for at most `ms`); false when another one holds it. */
export const claimGroup = async (db: Executor, id: string, ms: number) =>
  (
    await db
      .updateTable('rich_menu_groups')
      .set({ busy_until: new Date(Date.now() + ms) })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('busy_until', 'is', null), eb('busy_until', '<', new Date())]))
      .executeTakeFirst()
  ).numUpdatedRows > 0n;

export const releaseGroup = (db: Executor, id: string) =>
  db.updateTable('rich_menu_groups').set({ busy_until: null }).where('id', '=', id).execute();

export const findGroupRow = (db: Executor, id: string) =>
  db.selectFrom('rich_menu_groups').selectAll().where('id', '=', id).executeTakeFirst();

/** The group row locked for a change (publish, delete): one change at a time per group. */
export const lockGroupRow = (db: Executor, id: string) =>
  db.selectFrom('rich_menu_groups').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const listGroupRows = (db: Executor, channelId: string | undefined) => {
  let q = db.selectFrom('rich_menu_groups').selectAll().orderBy('created_at', 'desc').limit(200);
  if (channelId) q = q.where('channel_id', '=', channelId);
  return q.execute();
};

export const deleteGroupRow = (db: Executor, id: string) =>
  db.deleteFrom('rich_menu_groups').where('id', '=', id).execute();

export const insertTabRow = (
  db: Executor,
  t: {
    groupId: string;
    position: number;
    label: string;
    chatBarText: string;
    width: number;
    height: number;
    image: unknown;
    aliasId: string;
  },
) =>
  db
    .insertInto('rich_menu_tabs')
    .values({
      group_id: t.groupId,
      position: t.position,
      label: t.label,
      chat_bar_text: t.chatBarText,
      width: t.width,
      height: t.height,
      image: JSON.stringify(t.image),
      line_alias_id: t.aliasId,
      line_rich_menu_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const deleteTabRows = (db: Executor, groupId: string) =>
  db.deleteFrom('rich_menu_tabs').where('group_id', '=', groupId).execute();

export const findTabRows = (db: Executor, groupId: string) =>
  db.selectFrom('rich_menu_tabs').selectAll().where('group_id', '=', groupId).orderBy('position').execute();

export const findTabRow = (db: Executor, groupId: string, tabId: string) =>
  db
    .selectFrom('rich_menu_tabs')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('id', '=', tabId)
    .executeTakeFirst();

export const setTabLine = (
  db: Executor,
  tabId: string,
  patch: { line_rich_menu_id?: string | null; image_uploaded?: boolean; alias_created?: boolean },
) => db.updateTable('rich_menu_tabs').set(patch).where('id', '=', tabId).execute();

export const insertAreaRows = (
  db: Executor,
  rows: {
    tabId: string;
    position: number;
    x: number;
    y: number;
    width: number;
    height: number;
    label: string | null;
    action: unknown;
  }[],
) =>
  rows.length === 0
    ? Promise.resolve([])
    : db
        .insertInto('rich_menu_areas')
        .values(
          rows.map((r) => ({
            tab_id: r.tabId,
            position: r.position,
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
            label: r.label,
            action: JSON.stringify(r.action),
          })),
        )
        .returning(['id', 'tab_id', 'position'])
        .execute();

export const findAreaRows = (db: Executor, tabIds: string[]) =>
  tabIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('rich_menu_areas')
        .selectAll()
        .where('tab_id', 'in', tabIds)
        .orderBy('tab_id')
        .orderBy('position')
        .execute();

/** An area with its tab's channel, group and positions (the /rm/ redirect and tap counting). */
export const findAreaWithChannel = (db: Executor, areaId: string) =>
  db
    .selectFrom('rich_menu_areas as a')
    .innerJoin('rich_menu_tabs as t', 't.id', 'a.tab_id')
    .innerJoin('rich_menu_groups as g', 'g.id', 't.group_id')
    .select([
      'a.id',
      'a.action',
      'a.position',
      'a.label',
      't.position as tab_position',
      'g.id as group_id',
      'g.channel_id',
    ])
    .where('a.id', '=', areaId)
    .executeTakeFirst();

// ---- taps ----

/** `n` taps of an area on a Tokyo day; the row also names where the area was (kept after an edit). */
export const addTap = (
  db: Executor,
  area: { id: string; group_id: string; tab_position: number; position: number; label: string | null },
  day: string,
  n = 1,
) =>
  db
    .insertInto('rich_menu_taps')
    .values({
      area_id: area.id,
      group_id: area.group_id,
      tab_position: area.tab_position,
      area_position: area.position,
      area_label: area.label,
      day,
      taps: n,
    })
    .onConflict((oc) =>
      oc.columns(['area_id', 'day']).doUpdateSet({ taps: sql`rich_menu_taps.taps + excluded.taps` }),
    )
    .execute();

/** A group's taps summed by tab position, area position and label (current and replaced areas). */
export const tapCountRows = (db: Executor, groupId: string, from?: string, to?: string) => {
  let q = db
    .selectFrom('rich_menu_taps')
    .select([
      'tab_position',
      'area_position',
      'area_label',
      sql<number>`sum(taps)::int`.as('taps'),
      sql<boolean>`bool_and(area_id is null)`.as('replaced'),
    ])
    .where('group_id', '=', groupId);
  if (from) q = q.where('day', '>=', from);
  if (to) q = q.where('day', '<=', to);
  return q
    .groupBy(['tab_position', 'area_position', 'area_label'])
    .orderBy('tab_position')
    .orderBy('area_position')
    .orderBy('area_label')
    .execute();
};

// ---- publications ----

export type PublicationStatus =
  | 'scheduled'
  | 'linking'
  | 'active'
  | 'ending'
  | 'ended'
  | 'failed'
  | 'cancelled';

export const insertPublicationRow = (
  db: Executor,
  p: {
    groupId: string;
    channelId: string;
    target: 'default' | 'segment' | 'disaster';
    segmentId: string | null;
    startsAt: Date | null;
    endsAt: Date | null;
    status: PublicationStatus;
    createdBy: string | null;
  },
) =>
  db
    .insertInto('rich_menu_publications')
    .values({
      group_id: p.groupId,
      channel_id: p.channelId,
      target: p.target,
      segment_id: p.segmentId,
      starts_at: p.startsAt,
      ends_at: p.endsAt,
      status: p.status,
      created_by: p.createdBy,
      error: null,
      activated_at: null,
      previous_default: null,
      next_attempt_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const findPublicationRow = (db: Executor, id: string) =>
  db.selectFrom('rich_menu_publications').selectAll().where('id', '=', id).executeTakeFirst();

export const publicationRowsOfGroups = (db: Executor, groupIds: string[]) =>
  groupIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('rich_menu_publications')
        .selectAll()
        .where('group_id', 'in', groupIds)
        .orderBy('created_at', 'desc')
        .execute();

const LIVE: PublicationStatus[] = ['scheduled', 'linking', 'active', 'ending'];

export const livePublicationsOfGroup = (db: Executor, groupId: string) =>
  db
    .selectFrom('rich_menu_publications')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('status', 'in', LIVE)
    .execute();

/** Active default publications of a channel, newest activation first. */
export const activeDefaults = (db: Executor, channelId: string) =>
  db
    .selectFrom('rich_menu_publications')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('target', '=', 'default')
    .where('status', '=', 'active')
    .orderBy('activated_at', 'desc')
    .execute();

/** Moves a publication from one of `from` to `to`; null when another worker got there first. */
export const transitionPublication = (
  db: Executor,
  id: string,
  from: PublicationStatus[],
  to: PublicationStatus,
  patch: {
    error?: string | null;
    activated_at?: Date;
    previous_default?: string | null;
    attempts?: number;
    next_attempt_at?: Date | null;
    linked_count?: number;
  } = {},
) =>
  db
    .updateTable('rich_menu_publications')
    .set({ ...patch, status: to, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();

export const retryLater = (db: Executor, id: string, attempts: number, next: Date, error: string) =>
  db
    .updateTable('rich_menu_publications')
    .set({ attempts, next_attempt_at: next, error, updated_at: new Date() })
    .where('id', '=', id)
    .execute();

/** Publications with work to do now: starting, ending, or linking/unlinking friends. */
export const duePublicationRows = (db: Executor, now: Date) =>
  db
    .selectFrom('rich_menu_publications')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'scheduled'),
          eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', now)]),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
        ]),
        eb.and([eb('status', '=', 'active'), eb('ends_at', 'is not', null), eb('ends_at', '<=', now)]),
        eb.and([
          eb('status', 'in', ['linking', 'ending']),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
        ]),
      ]),
    )
    .orderBy('created_at')
    .limit(50)
    .execute();

// ---- per-user links ----

/** Records the users a segment publication links, each with the live publication it covers. */
export async function insertUserLinks(db: Executor, publicationId: string, userIds: string[]) {
  for (let i = 0; i < userIds.length; i += 5000) {
    const chunk = userIds.slice(i, i + 5000);
    await sql`
      insert into rich_menu_user_links (publication_id, line_user_id, state, previous_publication_id)
      select ${publicationId}::uuid, u.id, 'pending',
        (select l.publication_id from rich_menu_user_links l
          where l.line_user_id = u.id and l.state = 'linked' and l.publication_id <> ${publicationId}::uuid
          limit 1)
      from unnest(${chunk}::text[]) as u(id)
      on conflict do nothing
    `.execute(db);
  }
}

export const userLinkRows = (
  db: Executor,
  publicationId: string,
  state: 'pending' | 'linked',
  limit: number,
) =>
  db
    .selectFrom('rich_menu_user_links')
    .select(['line_user_id', 'previous_publication_id'])
    .where('publication_id', '=', publicationId)
    .where('state', '=', state)
    .orderBy('line_user_id')
    .limit(limit)
    .execute();

/** After linking: these users' records are linked, and the ones they covered are superseded. */
export async function markLinked(db: Executor, publicationId: string, userIds: string[]) {
  await db
    .updateTable('rich_menu_user_links')
    .set({ state: 'superseded' })
    .where('line_user_id', 'in', userIds)
    .where('state', '=', 'linked')
    .where('publication_id', '<>', publicationId)
    .execute();
  await db
    .updateTable('rich_menu_user_links')
    .set({ state: 'linked' })
    .where('publication_id', '=', publicationId)
    .where('line_user_id', 'in', userIds)
    .execute();
}

/**
 * After undoing: these users' records are restored; the previous publication's records of the users
 * that went back to it are linked again; records that pointed at this publication now point at
 * what it covered.
 */
export async function markRestored(
  db: Executor,
  publicationId: string,
  users: { userId: string; previous: string | null }[],
) {
  const ids = users.map((u) => u.userId);
  await db
    .updateTable('rich_menu_user_links')
    .set({ state: 'restored' })
    .where('publication_id', '=', publicationId)
    .where('line_user_id', 'in', ids)
    .execute();
  for (const u of users) {
    if (!u.previous) continue;
    await db
      .updateTable('rich_menu_user_links')
      .set({ state: 'linked' })
      .where('publication_id', '=', u.previous)
      .where('line_user_id', '=', u.userId)
      .where('state', '=', 'superseded')
      .execute();
  }
}

/** Users superseded by a later publication stay with it; that one now covers what this one did. */
export async function handOver(db: Executor, publicationId: string) {
  await sql`
    update rich_menu_user_links n set previous_publication_id = o.previous_publication_id
    from rich_menu_user_links o
    where o.publication_id = ${publicationId}::uuid and n.previous_publication_id = ${publicationId}::uuid
      and n.line_user_id = o.line_user_id
  `.execute(db);
  await db
    .updateTable('rich_menu_user_links')
    .set({ state: 'restored' })
    .where('publication_id', '=', publicationId)
    .where('state', 'in', ['superseded', 'pending'])
    .execute();
}

export const countLinked = async (db: Executor, publicationId: string) =>
  Number(
    (
      await db
        .selectFrom('rich_menu_user_links')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('publication_id', '=', publicationId)
        .where('state', '=', 'linked')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The first tab's LINE menu of a publication's group (where a user goes back to). */
export const publicationFirstMenu = (db: Executor, publicationId: string) =>
  db
    .selectFrom('rich_menu_publications as p')
    .innerJoin('rich_menu_tabs as t', 't.group_id', 'p.group_id')
    .select(['p.status', 't.line_rich_menu_id'])
    .where('p.id', '=', publicationId)
    .where('t.position', '=', 0)
    .executeTakeFirst();

// ---- disaster switch (X-01) ----

/** Inserts the channel's one live disaster switch; null when another one is live (it won). */
export async function insertDisasterRow(
  db: Executor,
  p: {
    groupId: string;
    channelId: string;
    previousDefault: string | null;
    createdBy: string | null;
    endsAt?: Date | null;
  },
) {
  return db
    .insertInto('rich_menu_publications')
    .values({
      group_id: p.groupId,
      channel_id: p.channelId,
      target: 'disaster',
      segment_id: null,
      starts_at: null,
      ends_at: p.endsAt ?? null,
      status: 'linking',
      activated_at: new Date(),
      previous_default: p.previousDefault,
      created_by: p.createdBy,
      error: null,
      next_attempt_at: null,
    })
    .onConflict((oc) =>
      oc
        .column('channel_id')
        .where('target', '=', 'disaster')
        .where('status', 'in', ['scheduled', 'linking', 'active', 'ending'])
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

export const liveDisasterRow = (db: Executor, channelId: string) =>
  db
    .selectFrom('rich_menu_publications')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('target', '=', 'disaster')
    .where('status', 'in', ['linking', 'active', 'ending'])
    .executeTakeFirst();

/** The channel's live disaster switch with its group's name (disaster mode as others read it). */
export const liveDisasterSwitch = (db: Executor, channelId: string) =>
  db
    .selectFrom('rich_menu_publications as p')
    .innerJoin('rich_menu_groups as g', 'g.id', 'p.group_id')
    .select([
      'p.id',
      'p.group_id',
      'g.name as group_name',
      'p.status',
      'p.error',
      'p.created_at',
      'p.ends_at',
    ])
    .where('p.channel_id', '=', channelId)
    .where('p.target', '=', 'disaster')
    .where('p.status', 'in', ['linking', 'active', 'ending'])
    .executeTakeFirst();

/** Tabs with a LINE alias of the channel's other groups (their aliases are re-pointed). */
export const aliasedTabsOfChannel = (db: Executor, channelId: string, exceptGroupId: string) =>
  db
    .selectFrom('rich_menu_tabs as t')
    .innerJoin('rich_menu_groups as g', 'g.id', 't.group_id')
    .select(['t.id', 't.line_alias_id', 't.line_rich_menu_id'])
    .where('g.channel_id', '=', channelId)
    .where('g.id', '<>', exceptGroupId)
    .where('t.alias_created', '=', true)
    .where('t.line_rich_menu_id', 'is not', null)
    .execute();

export const setDisasterState = (
  db: Executor,
  publicationId: string,
  userIds: string[],
  state: 'linked' | 'restored',
) =>
  db
    .updateTable('rich_menu_user_links')
    .set({ state })
    .where('publication_id', '=', publicationId)
    .where('line_user_id', 'in', userIds)
    .execute();

/** Whether a LINE menu is one of our tabs, and whether its group is published now. */
export async function menuOwnership(db: Executor, richMenuId: string) {
  const row = await db
    .selectFrom('rich_menu_tabs as t')
    .leftJoin('rich_menu_publications as p', (j) =>
      j.onRef('p.group_id', '=', 't.group_id').on('p.status', 'in', ['linking', 'active', 'ending']),
    )
    .select(['t.id', 'p.id as publication_id'])
    .where('t.line_rich_menu_id', '=', richMenuId)
    .executeTakeFirst();
  return { ours: Boolean(row), live: Boolean(row?.publication_id) };
}

/** After the disaster switch is off: the channel's publications that waited for it go on now. */
export const wakeWaiting = (db: Executor, channelId: string) =>
  db
    .updateTable('rich_menu_publications')
    .set({ next_attempt_at: null })
    .where('channel_id', '=', channelId)
    .where('target', '<>', 'disaster')
    .where('status', 'in', ['scheduled', 'linking', 'active', 'ending'])
    .where('next_attempt_at', 'is not', null)
    .execute();

// ---- per-user menus as far as we know them (X-01) ----
// One row per channel and friend: the menu a segment publication, the disaster switch (and its
// switch-off, `restored`), or LINE (a tab switch the friend tapped) linked to them. A row is replaced
// only by a newer fact; a friend without a row has no per-user menu we know of.

export type UserMenuSource = 'segment' | 'switch' | 'disaster' | 'restored';

/** These friends now have `richMenuId` as their per-user menu. */
export async function setUserMenus(
  db: Executor,
  channelId: string,
  userIds: string[],
  richMenuId: string,
  source: UserMenuSource,
  at = new Date(),
) {
  for (let i = 0; i < userIds.length; i += 5000) {
    await sql`
      insert into rich_menu_user_menus (channel_id, line_user_id, rich_menu_id, source, updated_at)
      select ${channelId}::uuid, u.id, ${richMenuId}, ${source}, ${at}
      from unnest(${userIds.slice(i, i + 5000)}::text[]) as u(id)
      on conflict (channel_id, line_user_id) do update
        set rich_menu_id = excluded.rich_menu_id, source = excluded.source, updated_at = excluded.updated_at
        where rich_menu_user_menus.updated_at <= excluded.updated_at
    `.execute(db);
  }
}

/** These friends have no per-user menu now (unlinked: they see the default). */
export const clearUserMenus = (db: Executor, channelId: string, userIds: string[]) =>
  userIds.length === 0
    ? Promise.resolve()
    : db
        .deleteFrom('rich_menu_user_menus')
        .where('channel_id', '=', channelId)
        .where('line_user_id', 'in', userIds)
        .execute()
        .then(() => undefined);

/** LINE's batch unlink "from" these menus: nobody of the channel has them any more. */
export const clearUserMenusOf = (db: Executor, channelId: string, richMenuIds: string[]) =>
  richMenuIds.length === 0
    ? Promise.resolve()
    : db
        .deleteFrom('rich_menu_user_menus')
        .where('channel_id', '=', channelId)
        .where('rich_menu_id', 'in', richMenuIds)
        .execute()
        .then(() => undefined);

/** Whether a LINE menu is one of our tabs whose group is shown now (published, not ending). */
export const menuShown = async (db: Executor, richMenuId: string) =>
  Boolean(
    await db
      .selectFrom('rich_menu_tabs as t')
      .innerJoin('rich_menu_publications as p', 'p.group_id', 't.group_id')
      .select('p.id')
      .where('t.line_rich_menu_id', '=', richMenuId)
      .where('p.status', 'in', ['linking', 'active'])
      .executeTakeFirst(),
  );

/** The tab of the channel whose alias a richmenuswitch named, with its menu. */
export const tabOfAlias = (db: Executor, channelId: string, aliasId: string) =>
  db
    .selectFrom('rich_menu_tabs as t')
    .innerJoin('rich_menu_groups as g', 'g.id', 't.group_id')
    .select(['t.group_id', 't.line_rich_menu_id'])
    .where('t.line_alias_id', '=', aliasId)
    .where('g.channel_id', '=', channelId)
    .where('t.alias_created', '=', true)
    .executeTakeFirst();

/**
 * The disaster switch's record of every friend known to have a per-user menu (except one of the
 * disaster group's own): `superseded` with that menu as the previous one, until linked. Friends
 * recorded already are left as they are (the job runs it again after the aliases are re-pointed).
 */
export async function recordKnownMenus(
  db: Executor,
  publicationId: string,
  channelId: string,
  disasterMenus: string[],
) {
  const r = await sql`
    insert into rich_menu_user_links (publication_id, line_user_id, state, previous_rich_menu_id)
    select ${publicationId}::uuid, m.line_user_id, 'superseded', m.rich_menu_id
    from rich_menu_user_menus m
    where m.channel_id = ${channelId}::uuid and m.rich_menu_id <> all(${disasterMenus}::text[])
    on conflict do nothing
  `.execute(db);
  // Many rows at once: fresh statistics, or the planner reads the whole publication for every
  // 500-friend update and page (measured: 30–80 ms each at 100,000 friends instead of ~2 ms).
  if (Number(r.numAffectedRows ?? 0n) >= 5_000) await sql`analyze rich_menu_user_links`.execute(db);
}

/** Friends a disaster switch recorded, by state, after `afterUserId` (keyset pages). */
export const disasterPage = (
  db: Executor,
  publicationId: string,
  states: ('superseded' | 'linked')[],
  afterUserId: string,
  limit: number,
) =>
  db
    .selectFrom('rich_menu_user_links')
    .select(['line_user_id', 'previous_rich_menu_id'])
    .where('publication_id', '=', publicationId)
    .where('state', 'in', states)
    .where('line_user_id', '>', afterUserId)
    .orderBy('line_user_id')
    .limit(limit)
    .execute();

/**
 * Runs `fn` holding the switch's advisory lock (a session lock on a connection of its own, released
 * if that connection dies): its linking and its switch-off never overlap, in any process.
 */
export const withSwitchLock = <T>(db: Executor, publicationId: string, fn: () => Promise<T>): Promise<T> =>
  db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtextextended(${publicationId}, 0))`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${publicationId}, 0))`.execute(conn);
    }
  });

/** A switch-off being done: the job leaves it alone for `ms` (0: the job may take it now). */
export const holdLease = (db: Executor, publicationId: string, ms: number) =>
  db
    .updateTable('rich_menu_publications')
    .set({ next_attempt_at: new Date(Date.now() + ms) })
    .where('id', '=', publicationId)
    .where('status', '=', 'ending')
    .execute();

export const disasterStatusOf = async (db: Executor, publicationId: string) =>
  (
    await db
      .selectFrom('rich_menu_publications')
      .select('status')
      .where('id', '=', publicationId)
      .executeTakeFirst()
  )?.status;
