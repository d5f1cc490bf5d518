import type { messagingApi } from '@line/bot-sdk';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { LineChannelCredentials, LineClients } from '../../platform/line/line-clients.ts';
import { classify } from '../../platform/line/line-errors.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { outboxFailed, outboxSent } from './line-events-metrics.ts';
import {
  finishOutboxRows,
  lockDueOutbox,
  nextOutboxAttemptAt,
  type OutboxOutcome,
  type OutboxRow,
  peekDueOutbox,
} from './outbox.repository.ts';

// Sends the LINE outbox after the dispatch commit (issue 8 §6, D-03), through the official SDK:
//   2xx → sent · push 409 "retry key already accepted" → sent (an earlier attempt got through)
//   5xx / network / 429 → pending again, exponential backoff, at most MAX_ATTEMPTS tries
//   other 4xx → failed; a reply's 400 (token expired or already used) is final and logged
// Rows are sent GROUP at a time inside a transaction that holds them (`FOR UPDATE SKIP LOCKED`):
// another worker skips them, and a worker killed mid-call leaves them pending (a push is then re-sent
// with the same retry key; a reply is tried once more and LINE refuses a used token, so nothing
// arrives twice). The group's calls run at once and each row gets its own outcome; one transaction
// for the group instead of one per row saves three round trips and a commit per reply (bench/chatbot:
// 500 replies/s). The transaction needs no second connection (credentials are read before it opens),
// so the CONCURRENCY transactions can never wait on each other for the pool.

export const OUTBOX_JOB = 'line-outbox.send';
export const OUTBOX_SWEEP_JOB = 'line-outbox.sweep';

const PAGE = 100;
const CONCURRENCY = 4;
/** Rows one transaction takes and sends at once. */
const GROUP = 25;
/** Rows whose LINE call can be in flight at once in one process (re-sent if the process dies). */
export const OUTBOX_MAX_IN_FLIGHT = CONCURRENCY * GROUP;
export const OUTBOX_MAX_ATTEMPTS = 5;
const MAX_BACKOFF_MS = 60_000;
const CALL_TIMEOUT_MS = 20_000;

export interface OutboxSenderDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  line: LineClients;
  log: { warn(o: unknown, m?: string): void; error(o: unknown, m?: string): void };
  /** Asks for another run (queues the send job); called when a retry's backoff is over. */
  trigger?: () => void;
  retryBaseMs?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from LINE within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function createOutboxSender(deps: OutboxSenderDeps) {
  const { db, cipher } = deps;
  const base = deps.retryBaseMs ?? 1000;
  // One timer for the earliest retry this process scheduled (a dead process's retries: the sweep).
  let wake: { at: number; timer: NodeJS.Timeout } | null = null;
  const wakeAt = (at: Date) => {
    if (!deps.trigger || at.getTime() <= Date.now()) return;
    if (wake && wake.at <= at.getTime()) return;
    if (wake) clearTimeout(wake.timer);
    const timer = setTimeout(() => {
      wake = null;
      deps.trigger?.();
    }, at.getTime() - Date.now());
    timer.unref();
    wake = { at: at.getTime(), timer };
  };

  /** The outcome of one row's LINE call, as the row's new state. */
  const callLine = async (
    row: OutboxRow,
    credentials: Map<string, LineChannelCredentials | null>,
  ): Promise<OutboxOutcome> => {
    const channel = credentials.get(row.channel_id);
    if (!channel) return { status: 'failed', httpStatus: null, error: 'channel not found', requestId: null };
    const messages = openOutboxMessages(cipher, row.messages_enc);
    const client = deps.line.messaging(channel);
    try {
      const call =
        row.kind === 'reply'
          ? client.replyMessageWithHttpInfo({ replyToken: row.reply_token!, messages })
          : client.pushMessageWithHttpInfo({ to: row.to_id!, messages }, row.retry_key!);
      const res = await withTimeout(call, CALL_TIMEOUT_MS);
      return {
        status: 'sent',
        httpStatus: res.httpResponse.status,
        error: null,
        requestId: res.httpResponse.headers.get('x-line-request-id'),
      };
    } catch (err) {
      const outcome = classify(err);
      const attempts = row.attempts + 1;
      if (outcome.kind === 'sent') {
        return { status: 'sent', httpStatus: outcome.httpStatus, error: null, requestId: outcome.requestId };
      }
      if (outcome.kind === 'failed' || attempts >= OUTBOX_MAX_ATTEMPTS) {
        deps.log.warn(
          { outbox: row.id, kind: row.kind, channel: row.channel_id, error: outcome.error },
          'LINE call from the outbox failed (final)',
        );
        return {
          status: 'failed',
          httpStatus: outcome.kind === 'rateLimited' ? 429 : outcome.httpStatus,
          error: outcome.error,
          requestId: null,
        };
      }
      const wait =
        outcome.kind === 'rateLimited' && outcome.waitMs !== null
          ? outcome.waitMs
          : Math.min(MAX_BACKOFF_MS, base * 2 ** (attempts - 1));
      return {
        status: 'pending',
        httpStatus: outcome.kind === 'retry' ? outcome.httpStatus : 429,
        error: outcome.error,
        requestId: null,
        retryAt: new Date(Date.now() + wait),
      };
    }
  };

  /** Sends up to GROUP rows of `ids` that are still due and not taken; answers how many it took. */
  const sendGroup = (ids: string[], credentials: Map<string, LineChannelCredentials | null>) =>
    db.transaction().execute(async (trx) => {
      const rows = await lockDueOutbox(trx, ids, GROUP);
      const outcomes = await Promise.all(rows.map((row) => callLine(row, credentials)));
      // The group's outcomes in one statement (was: one update per row).
      await finishOutboxRows(
        trx,
        rows.map((row, i) => ({ id: row.id, outcome: outcomes[i]! })),
        new Date(),
      );
      for (const [i, row] of rows.entries()) {
        const status = outcomes[i]!.status;
        if (status === 'sent') outboxSent.inc({ kind: row.kind });
        else if (status === 'failed') outboxFailed.inc({ kind: row.kind });
      }
      return rows.length;
    });

  return {
    /** Sends everything due; answers how many rows were taken (sent, failed or rescheduled). */
    async sendDue(): Promise<number> {
      let taken = 0;
      for (;;) {
        const due = await peekDueOutbox(db, PAGE);
        if (due.length === 0) break;
        const credentials = new Map<string, LineChannelCredentials | null>();
        for (const channelId of new Set(due.map((r) => r.channel_id))) {
          credentials.set(channelId, await deps.channels.secrets(channelId));
        }
        const ids = due.map((r) => r.id);
        let progress = 0;
        await Promise.all(
          Array.from({ length: Math.min(CONCURRENCY, Math.ceil(ids.length / GROUP)) }, async () => {
            for (let n = await sendGroup(ids, credentials); n > 0; n = await sendGroup(ids, credentials))
              progress += n;
          }),
        );
        taken += progress;
        // Every row of the page was taken by other workers: leave the rest to them.
        if (progress === 0) break;
      }
      const next = await nextOutboxAttemptAt(db);
      if (next) wakeAt(next);
      return taken;
    },
  };
}

function openOutboxMessages(cipher: Cipher, sealed: Buffer): messagingApi.Message[] {
  return JSON.parse(cipher.decryptBytes(sealed).toString('utf8')) as messagingApi.Message[];
}
