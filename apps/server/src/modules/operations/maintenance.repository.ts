import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { REALTIME_CHANNEL } from '../../platform/realtime.ts';

// maintenance_windows (O-04, C-15). A window is live unless canceled; active while it covers now.

export type WindowRow = NonNullable<Awaited<ReturnType<typeof findWindow>>>;

export const insertWindow = (
  db: Db,
  w: { startsAt: Date; endsAt: Date | null; messageJa: string; messageEn: string | null; createdBy: string },
) =>
  db
    .insertInto('maintenance_windows')
    .values({
      starts_at: w.startsAt,
      ends_at: w.endsAt,
      message_ja: w.messageJa,
      message_en: w.messageEn,
      created_by: w.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const findWindow = (db: Db, id: string) =>
  db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();

/** Live windows not over at `at` (active and upcoming), soonest first. */
export const liveWindowsFrom = (db: Db, at: Date) =>
  db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where('canceled_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .orderBy('starts_at')
    .execute();

/** A window active at `at`, if any. */
export const activeWindowAt = (db: Db, at: Date) =>
  db
    .selectFrom('maintenance_windows')
    .select('id')
    .where('canceled_at', 'is', null)
    .where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .executeTakeFirst();

/** Every window (canceled ones too) that ended after `since` or has not ended, newest start first. */
export const windowsSince = (db: Db, since: Date) =>
  db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', since)]))
    .orderBy('starts_at', 'desc')
    .limit(500)
    .execute();

/** Ends every window active at `now` (sets its end to now); returns the IDs. */
export const endActiveWindows = (db: Db, now: Date) =>
  db
    .updateTable('maintenance_windows')
    .set({ ends_at: now })
    .where('canceled_at', 'is', null)
    .where('starts_at', '<=', now)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .returning('id')
    .execute();

export const endWindow = (db: Db, id: string, now: Date) =>
  db.updateTable('maintenance_windows').set({ ends_at: now }).where('id', '=', id).execute();

export const cancelWindowRow = (db: Db, id: string, now: Date, by: string) =>
  db
    .updateTable('maintenance_windows')
    .set({ canceled_at: now, canceled_by: by })
    .where('id', '=', id)
    .execute();

/** Tells every server process (the CLI's too) that the windows changed: their caches reload. */
export async function notifyWindowsChanged(db: Db): Promise<void> {
  await sql`select pg_notify(${REALTIME_CHANNEL}, ${JSON.stringify({ t: 'maint' })})`.execute(db);
}
