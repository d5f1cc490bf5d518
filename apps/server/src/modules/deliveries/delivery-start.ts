import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import {
  advanceSeries,
  insertBatches,
  insertOccurrence,
  lockDueDelivery,
  lockDueSeries,
  markFailedAtStart,
  markSending,
} from './deliveries.repository.ts';
import type { Audience } from './deliveries.schema.ts';
import { recipientsQuery } from './delivery-audience.ts';
import { rewriteLinks } from './links.ts';
import { type DeliveryMessage, toLineMessages } from './messages.schema.ts';
import { nextOccurrence, type Recurrence } from './recurrence.ts';

// Pipeline step 2, batch: a due series gets its occurrence; a due delivery is taken, its audience
// resolved and stored as batches of recipients (each with its retry key), and its LINE messages
// prepared (links rewritten to /r/<token>), all in one transaction. Steps 3 and 4 (send, finish) are
// in delivery-sender.ts, which only sends what was stored; delivery-runner.ts runs them in turn.

/**
 * Starts one due delivery: locks it (FOR UPDATE SKIP LOCKED), resolves its recipients into batches
 * with one INSERT … SELECT and switches it to `sending`, all in one transaction — from its commit
 * on, changes and cancellation are refused. Returns the ID, or null when nothing is due.
 */
export async function startDueDelivery(db: Db, publicUrl: string): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const row = await lockDueDelivery(trx);
    if (!row) return null;
    let recipients: number;
    try {
      const audience = await recipientsQuery(
        trx,
        row.channel_id,
        row.audience as Audience,
        row.is_test,
        row.channel_environment,
      );
      recipients = await insertBatches(trx, row.id, audience);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await markFailedAtStart(trx, row.id, `配信先を決められませんでした: ${err.message}`);
      return row.id;
    }
    // The same tokens for the same delivery and position (links.ts), so a retry prepares the same.
    const lineMessages = await rewriteLinks(
      trx,
      row.id,
      toLineMessages(row.messages as DeliveryMessage[], publicUrl),
      publicUrl,
    );
    await markSending(trx, row.id, recipients, lineMessages);
    return row.id;
  });
}

/**
 * Creates the occurrence of one due series and moves the series to its next occurrence (or ends it).
 * Missed occurrences (the server was down) are not made up: only the due one is sent, late.
 * Returns the series' next occurrence (undefined when no series was due).
 */
export async function expandDueSeries(db: Db, at = new Date()): Promise<{ next: Date | null } | undefined> {
  return db.transaction().execute(async (trx) => {
    const series = await lockDueSeries(trx);
    if (!series?.scheduled_at) return undefined;
    await insertOccurrence(trx, series, series.scheduled_at);
    const after = series.scheduled_at.getTime() > at.getTime() ? series.scheduled_at : at;
    const next = nextOccurrence(series.recurrence as Recurrence, after);
    await advanceSeries(trx, series.id, next);
    return { next };
  });
}
