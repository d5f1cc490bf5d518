import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// The SQL of delivery and friend analytics (G-10, O-08). Counts come back as strings (bigint) and
// are turned into numbers here.

export interface DeliveryStatsRow {
  id: string;
  channelId: string;
  title: string;
  status: string;
  isTest: boolean;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  recipients: number;
  sent: number;
  failed: number;
  links: number;
  clickedLinks: number;
  clicks: number;
}

interface RawDeliveryRow {
  id: string;
  channel_id: string;
  title: string;
  status: string;
  is_test: boolean;
  scheduled_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  recipients: number | null;
  sent: number;
  failed: number;
  links: string;
  clicked_links: string;
  clicks: string;
}

const toRow = (r: RawDeliveryRow): DeliveryStatsRow => ({
  id: r.id,
  channelId: r.channel_id,
  title: r.title,
  status: r.status,
  isTest: r.is_test,
  scheduledAt: r.scheduled_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  recipients: r.recipients ?? 0,
  sent: r.sent,
  failed: r.failed,
  links: Number(r.links),
  clickedLinks: Number(r.clicked_links),
  clicks: Number(r.clicks),
});

const deliveryColumns = sql`
  d.id, d.channel_id, d.title, d.status, d.is_test, d.scheduled_at, d.started_at, d.finished_at,
  d.recipients, d.sent, d.failed,
  coalesce(l.links, 0) as links, coalesce(l.clicked_links, 0) as clicked_links, coalesce(l.clicks, 0) as clicks`;

const linkTotals = sql`
  left join lateral (
    select count(*) as links,
           count(*) filter (where c.n > 0) as clicked_links,
           coalesce(sum(c.n), 0) as clicks
    from delivery_links dl
    cross join lateral (select count(*) as n from delivery_clicks dc where dc.link_id = dl.id) c
    where dl.delivery_id = d.id
  ) l on true`;

/** Deliveries of a channel that started sending in [from, to), oldest first. */
export async function deliveriesStartedIn(
  db: Db,
  q: { channelId: string; from: Date; to: Date; includeTest: boolean },
): Promise<DeliveryStatsRow[]> {
  const { rows } = await sql<RawDeliveryRow>`
    select ${deliveryColumns}
    from deliveries d
    ${linkTotals}
    where d.channel_id = ${q.channelId}
      and d.started_at >= ${q.from} and d.started_at < ${q.to}
      and (${q.includeTest} or not d.is_test)
    order by d.started_at, d.id`.execute(db);
  return rows.map(toRow);
}

export async function deliveryStats(db: Db, id: string): Promise<DeliveryStatsRow | undefined> {
  const { rows } = await sql<RawDeliveryRow>`
    select ${deliveryColumns}
    from deliveries d
    ${linkTotals}
    where d.id = ${id}`.execute(db);
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Clicks per link (every rewritten link, also those never clicked), in message order. */
export async function clicksPerLink(db: Db, deliveryId: string) {
  const { rows } = await sql<{ position: number; url: string; clicks: string }>`
    select dl.position, dl.url, count(dc.id) as clicks
    from delivery_links dl
    left join delivery_clicks dc on dc.link_id = dl.id
    where dl.delivery_id = ${deliveryId}
    group by dl.id
    order by dl.position`.execute(db);
  return rows.map((r) => ({ position: r.position, url: r.url, clicks: Number(r.clicks) }));
}

/** Clicks of a delivery per Tokyo day and hour. */
export async function clicksByDayHour(db: Db, deliveryId: string) {
  const { rows } = await sql<{ day: string; hour: number; clicks: string }>`
    select to_char(dc.clicked_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day,
           extract(hour from dc.clicked_at at time zone 'Asia/Tokyo')::int as hour,
           count(*) as clicks
    from delivery_clicks dc
    join delivery_links dl on dl.id = dc.link_id
    where dl.delivery_id = ${deliveryId}
    group by 1, 2
    order by 1, 2`.execute(db);
  return rows.map((r) => ({ day: r.day, hour: r.hour, clicks: Number(r.clicks) }));
}

/** A choice item of the channel's registration form, with all its choices (retired ones too). */
export async function registrationChoiceItem(db: Db, channelId: string, itemId: string) {
  const item = await db
    .selectFrom('form_items as i')
    .innerJoin('forms as f', 'f.id', 'i.form_id')
    .select(['i.id', 'i.form_id', 'i.label', 'i.type', 'i.retired_at'])
    .where('i.id', '=', itemId)
    .where('f.channel_id', '=', channelId)
    .where('f.purpose', '=', 'registration')
    .executeTakeFirst();
  if (!item) return undefined;
  const choices = await db
    .selectFrom('form_choices')
    .select(['id', 'label', 'parent_id', 'position', 'retired_at'])
    .where('item_id', '=', itemId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return { ...item, choices };
}

/**
 * Recipients, successes and failures of a delivery by the chosen choices of one item: the
 * friends of every batch (unnested) joined to their registration answers. A friend who chose
 * several choices counts under each; one without an answer to the item counts under null.
 */
export async function recipientsByChoice(
  db: Db,
  q: { deliveryId: string; formId: string; choiceIds: string[] },
) {
  const { rows } = await sql<{ choice_id: string | null; recipients: string; sent: string; failed: string }>`
    with r as (
      select u.friend_id, b.status
      from delivery_batches b
      cross join lateral unnest(b.friend_ids) as u(friend_id)
      where b.delivery_id = ${q.deliveryId}
    )
    select ch.choice_id::text as choice_id,
           count(*) as recipients,
           count(*) filter (where r.status = 'sent') as sent,
           count(*) filter (where r.status = 'failed') as failed
    from r
    left join form_responses fr on fr.form_id = ${q.formId} and fr.friend_id = r.friend_id
    left join lateral (
      select x as choice_id from unnest(fr.choice_ids) as x
      where x = any(${q.choiceIds}::bigint[])
    ) ch on true
    group by 1`.execute(db);
  return rows.map((r) => ({
    choiceId: r.choice_id,
    recipients: Number(r.recipients),
    sent: Number(r.sent),
    failed: Number(r.failed),
  }));
}

export const channelExists = async (db: Db, id: string) =>
  (await db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
