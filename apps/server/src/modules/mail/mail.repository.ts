import { type Insertable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, MailOutboxTable } from '../../db/schema.ts';

// All SQL of the mail outbox (mail_outbox): one row per mail to send, about one report or one
// booking, written in that one's own transaction; the sender takes due rows one at a time.

type Tx = Db | Transaction<Database>;

/** What a mail is about: a fault report or a booking. */
export type About = { reportId: string } | { bookingId: string };
const aboutColumn = (a: About) =>
  ('reportId' in a ? 'report_id' : 'booking_id') as 'report_id' | 'booking_id';
const aboutId = (a: About) => ('reportId' in a ? a.reportId : a.bookingId);

export const insertMailRows = (db: Tx, rows: Insertable<MailOutboxTable>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .insertInto('mail_outbox')
        .values(rows)
        .execute()
        .then(() => {});

/** One due pending mail, locked (others sending side by side skip it). */
export const lockDueMail = (trx: Transaction<Database>, now: Date) =>
  trx
    .selectFrom('mail_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();

export const markMailSent = (db: Tx, id: string, attempts: number) =>
  db
    .updateTable('mail_outbox')
    .set({ status: 'sent', attempts, sent_at: new Date(), last_error: null })
    .where('id', '=', id)
    .execute();

export const markMailAttemptFailed = (
  db: Tx,
  id: string,
  a: { attempts: number; error: string; next: Date; givenUp: boolean },
) =>
  db
    .updateTable('mail_outbox')
    .set({
      status: a.givenUp ? 'failed' : 'pending',
      attempts: a.attempts,
      last_error: a.error.slice(0, 500),
      next_attempt_at: a.next,
    })
    .where('id', '=', id)
    .execute();

export const nextDueMailAt = async (db: Tx): Promise<Date | null> =>
  (
    await db
      .selectFrom('mail_outbox')
      .select(sql<Date | null>`min(next_attempt_at)`.as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
  ).at;

/** The mails about one report or one booking, oldest first. */
export const mailRowsOf = (db: Tx, about: About) =>
  db
    .selectFrom('mail_outbox')
    .select(['to_address', 'status', 'attempts', 'last_error', 'sent_at'])
    .where(aboutColumn(about), '=', aboutId(about))
    .orderBy('id')
    .execute();

/** Failed mails of a report or booking are tried again (staff asked for it). */
export const retryFailedMails = async (db: Tx, about: About) =>
  Number(
    (
      await db
        .updateTable('mail_outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: new Date() })
        .where(aboutColumn(about), '=', aboutId(about))
        .where('status', '=', 'failed')
        .executeTakeFirst()
    ).numUpdatedRows,
  );

/** Monitoring (O-03): mails waiting (with retries), the oldest one's creation, and mails given up. */
export async function mailOutboxFigures(db: Db) {
  const r = await db
    .selectFrom('mail_outbox')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('status', '=', 'pending').as('pending'),
      eb.fn.countAll<string>().filterWhere('status', '=', 'failed').as('failed'),
      eb.fn.min('created_at').filterWhere('status', '=', 'pending').as('oldest'),
    ])
    .where('status', '<>', 'sent')
    .executeTakeFirstOrThrow();
  return { pending: Number(r.pending), failed: Number(r.failed), oldest: r.oldest as Date | null };
}
