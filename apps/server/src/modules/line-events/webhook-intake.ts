import { createHash } from 'node:crypto';
import type { Insertable, Transaction } from 'kysely';
import { Counter } from 'prom-client';
import type { Db } from '../../db/database.ts';
import type { Database, LineEventsRejectedTable, LineEventsTable } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { lineEventsReceived, registry } from '../../platform/http/metrics.ts';
import { verifyLineSignature } from '../../platform/line/signature.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { eventKey } from './line-event.ts';
import {
  countRejectedEvents,
  INSERT_CHUNK,
  insertLineEvents,
  insertRejectedEvents,
  listRejectedEvents,
} from './line-events.repository.ts';
import { lineEventsDuplicate } from './line-events-metrics.ts';
import {
  boundedJson,
  checkEnvelope,
  checkEvent,
  type RejectReason,
  storableText,
} from './webhook-event-validation.ts';

// Webhook intake (D-03): verify the signature on the raw body, check the envelope (a wrong one is
// 400 as a whole), check each event, then store the valid events and keep the malformed ones aside
// in one transaction, INSERT_CHUNK rows per statement (unique keys absorb redeliveries). A
// malformed event never costs the good events of its body: the answer is 200 and LINE does not
// redeliver a body that could never succeed.

export const lineEventsRejected = new Counter({
  name: 'madoguchi_line_events_rejected_total',
  help: 'LINE webhook events kept aside as malformed (redeliveries excluded), by reason',
  labelNames: ['reason'],
  registers: [registry],
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RejectedSummary {
  index: number;
  reason: RejectReason;
  detail: string;
}

export interface IntakeResult {
  received: number;
  stored: number;
  /** Malformed events of this body (also those already kept from an earlier delivery). */
  rejected: RejectedSummary[];
}

export interface IntakeDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  onStored: () => void;
}

const channelNotFound = () => new AppError(404, 'CHANNEL_NOT_FOUND', 'チャネルが見つかりません');

/** The unique key of a malformed event: its webhookEventId when usable, else a digest of its content. */
function rejectedKey(channelId: string, value: unknown): string {
  const id = (value as { webhookEventId?: unknown } | null)?.webhookEventId;
  if (typeof id === 'string' && /^[\x21-\x7e]{1,100}$/.test(id)) return id;
  let content = value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    // A redelivery differs only in deliveryContext.
    const { deliveryContext: _ignored, ...rest } = value as Record<string, unknown>;
    content = rest;
  }
  return `sha256:${createHash('sha256').update(channelId).update(boundedJson(content)).digest('hex')}`;
}

export async function intakeWebhook(
  deps: IntakeDeps,
  channelId: string,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<IntakeResult> {
  const { db, cipher } = deps;
  // Anything not shaped as a UUID is no channel of ours (and never reaches PostgreSQL).
  if (!UUID.test(channelId)) throw channelNotFound();
  const channel = await deps.channels.secrets(channelId);
  if (!channel) throw channelNotFound();
  if (!verifyLineSignature(channel.channelSecret, rawBody, signature)) {
    throw new AppError(401, 'INVALID_SIGNATURE', 'x-line-signature が正しくありません');
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError(400, 'INVALID_JSON', 'JSON の形式が正しくありません');
  }
  const envelope = checkEnvelope(body);
  if (!envelope.ok) throw new AppError(400, envelope.code, envelope.message);

  const rows: Insertable<LineEventsTable>[] = [];
  const rejectedRows: Insertable<LineEventsRejectedTable>[] = [];
  const rejected: RejectedSummary[] = [];
  for (const [index, value] of envelope.events.entries()) {
    const check = checkEvent(value);
    if (check.ok) {
      const event = check.event;
      rows.push({
        channel_id: channel.id,
        webhook_event_id: eventKey(channel.id, event),
        type: event.type,
        source_user_id: typeof event.source?.userId === 'string' ? event.source.userId : null,
        occurred_at: new Date(event.timestamp as number),
        is_redelivery: event.deliveryContext?.isRedelivery === true,
        payload_enc: cipher.encryptBytes(Buffer.from(JSON.stringify(event))),
        // Kept for webhook forwarding (W-01): the envelope it came in and LINE's signature of it.
        destination: envelope.destination,
        signature: signature ?? null,
      });
      continue;
    }
    const type = (value as { type?: unknown } | null)?.type;
    const detail = storableText(check.detail, 500);
    rejected.push({ index, reason: check.reason, detail });
    rejectedRows.push({
      channel_id: channel.id,
      event_key: rejectedKey(channel.id, value),
      type: typeof type === 'string' ? storableText(type, 64) : null,
      reason: check.reason,
      detail,
      payload_enc: cipher.encryptBytes(Buffer.from(boundedJson(value))),
    });
  }

  // A body is stored whole or not at all. One INSERT is atomic by itself, so the usual body (only
  // valid events, one statement) needs no BEGIN and COMMIT: two round trips fewer per webhook.
  const store = async (q: Db | Transaction<Database>) => ({
    inserted: await insertLineEvents(q, rows),
    kept: await insertRejectedEvents(q, rejectedRows),
  });
  const oneStatement =
    (rejectedRows.length === 0 && rows.length <= INSERT_CHUNK) ||
    (rows.length === 0 && rejectedRows.length <= INSERT_CHUNK);
  const { inserted, kept } = oneStatement ? await store(db) : await db.transaction().execute(store);
  for (const r of inserted) lineEventsReceived.inc({ type: r.type });
  if (rows.length > inserted.length) lineEventsDuplicate.inc(rows.length - inserted.length);
  for (const r of kept) lineEventsRejected.inc({ reason: r.reason });
  if (inserted.length > 0) deps.onStored();
  return { received: envelope.events.length, stored: inserted.length, rejected };
}

export interface RejectedEventView {
  id: string;
  channelId: string;
  eventKey: string;
  type: string | null;
  reason: string;
  detail: string;
  receivedAt: Date;
  /** The event as received, nesting and strings cut to the validation bounds. */
  payload: unknown;
}

export async function listRejected(
  deps: { db: Db; cipher: Cipher },
  opts: { channelId?: string; beforeId?: string; limit: number },
): Promise<{ total: number; items: RejectedEventView[] }> {
  const [rows, total] = await Promise.all([
    listRejectedEvents(deps.db, opts),
    countRejectedEvents(deps.db, opts.channelId),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      id: String(r.id),
      channelId: r.channel_id,
      eventKey: r.event_key,
      type: r.type,
      reason: r.reason,
      detail: r.detail,
      receivedAt: r.received_at,
      payload: JSON.parse(deps.cipher.decryptBytes(r.payload_enc).toString('utf8')),
    })),
  };
}
