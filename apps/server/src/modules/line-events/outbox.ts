import { randomUUID } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { StoredLineEvent } from './line-event.ts';
import { insertOutbox } from './outbox.repository.ts';

// What an event handler may cause outside the database (issue 8 §6, D-03): it never calls LINE
// itself. A reply or push is recorded in the outbox inside the dispatch transaction, so it exists
// exactly when the event is marked dispatched; the outbox sender calls LINE after the commit.
// Other work for after the commit (e.g. kicking a job) is queued with `afterCommit`.

export interface LineEffects {
  /** Replies to the event with its reply token (nothing when it has none). Answers whether recorded. */
  reply(event: StoredLineEvent, messages: messagingApi.Message[]): Promise<boolean>;
  /** Pushes to a user, group or room; sent with an X-Line-Retry-Key stored now. */
  push(channelId: string, to: string, messages: messagingApi.Message[]): Promise<void>;
  /** Runs `fn` once the transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void): void;
}

/** The effects of one dispatch transaction: its recorded calls and the after-commit callbacks. */
export function createLineEffects(
  trx: Transaction<Database>,
  cipher: Cipher,
): LineEffects & { recorded(): number; committed(): void } {
  let recorded = 0;
  const callbacks: (() => void)[] = [];
  const seal = (messages: messagingApi.Message[]) =>
    cipher.encryptBytes(Buffer.from(JSON.stringify(messages), 'utf8'));
  return {
    async reply(event, messages) {
      const replyToken = event.event.replyToken;
      if (typeof replyToken !== 'string' || replyToken.length === 0) return false;
      const ok = await insertOutbox(trx, {
        channel_id: event.channelId,
        line_event_id: event.id,
        kind: 'reply',
        reply_token: replyToken,
        messages_enc: seal(messages),
      });
      if (ok) recorded += 1;
      return ok;
    },
    async push(channelId, to, messages) {
      await insertOutbox(trx, {
        channel_id: channelId,
        kind: 'push',
        to_id: to,
        retry_key: randomUUID(),
        messages_enc: seal(messages),
      });
      recorded += 1;
    },
    afterCommit(fn) {
      callbacks.push(fn);
    },
    recorded: () => recorded,
    committed() {
      for (const fn of callbacks) {
        try {
          fn();
        } catch {
          // A trigger that fails must not turn a committed dispatch into a failed one.
        }
      }
    },
  };
}

export function openOutboxMessages(cipher: Cipher, sealed: Buffer): messagingApi.Message[] {
  return JSON.parse(cipher.decryptBytes(sealed).toString('utf8')) as messagingApi.Message[];
}
