import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createLineClients } from '../../platform/line/line-clients.ts';
import { lineUserId, postWebhook, textEvent } from '../../testing/line-webhook.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { until } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import { GREETING_TEXT } from '../chatbot/scenario-templates.ts';
import { createDesk } from '../consultation/desks.service.ts';
import { addItem, getRegistrationForm } from '../forms/forms.service.ts';
import { createLineEffects } from './line-event-bus.ts';
import { createOutboxSender } from './outbox-sender.ts';

// Side effects only after commit (issue 8 §6, D-03, G-02, C-01): event handlers record their LINE
// calls in the outbox inside the dispatch transaction; the sender calls LINE after the commit. Against
// the LINE simulator, whose request log shows every call the product made.

let w: LineWorld;
const secret = () => `secret-${w.line.channelId}`;

interface Logged {
  at: string;
  path: string;
  status?: number;
  headers: Record<string, string>;
  body: { replyToken?: string; to?: string };
}
const requests = async (path: string) =>
  (await (
    await fetch(`${w.sim.url}/_sim/requests?channelId=${w.line.channelId}&path=${path}`)
  ).json()) as Logged[];
const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: { via: string; message: { type: string; text?: string; template?: { text?: string } } }[];
    }
  ).messages;

const newUser = async () =>
  ((await w.sim$('POST', '/_sim/users', { displayName: '窓口 太郎' })) as { userId: string }).userId;

/** The stored event of this user and type, once it is dispatched (or has failed at least once). */
const settledEvent = (userId: string, type: string) =>
  until(`the ${type} event of ${userId}`, () =>
    w.server.db
      .selectFrom('line_events')
      .selectAll()
      .where('source_user_id', '=', userId)
      .where('type', '=', type)
      .where((eb) => eb.or([eb('dispatched_at', 'is not', null), eb('dispatch_attempts', '>', 0)]))
      .executeTakeFirst(),
  );

const outboxOf = (lineEventId: string) =>
  w.server.db.selectFrom('line_outbox').selectAll().where('line_event_id', '=', lineEventId).execute();

beforeAll(async () => {
  w = await startLineWorld('2600000001');
  const form = await getRegistrationForm(w.server.db, w.channelId);
  await addItem(w.server.db, form.id, {
    type: 'single',
    key: 'gender',
    label: '性別',
    required: false,
    help: '',
    config: {},
    choices: [{ label: '男性' }, { label: '女性' }, { label: '回答しない' }],
  });
  const [welfare] = demoDesks(w.channelId);
  await createDesk(w.server.db, { ...welfare!, closedOnHolidays: false, closedYearEnd: false });
}, 60_000);
afterAll(async () => w?.close());

describe('LINE calls only after commit (issue 8 §6)', () => {
  it('D-03/G-02: a follow is greeted exactly once, after the dispatch committed; a redelivery adds nothing', async () => {
    const user = await newUser();
    await w.sim$('POST', `/_sim/users/${user}/follow`, { channelId: w.line.channelId });
    const event = await settledEvent(user, 'follow');
    const [row] = await until('the greeting sent', async () => {
      const rows = await outboxOf(event.id);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(row).toMatchObject({ kind: 'reply', status: 'sent', attempts: 1, http_status: 200 });
    // The stored message is sealed, not readable in the database.
    expect(row!.messages_enc.toString('utf8')).not.toContain('受信設定');

    const replies = (await requests('/v2/bot/message/reply')).filter(
      (r) => r.body.replyToken === row!.reply_token,
    );
    expect(replies).toHaveLength(1);
    expect(replies[0]!.status).toBe(200);
    // LINE was called after the event was marked dispatched, i.e. after the commit.
    expect(new Date(replies[0]!.at).getTime()).toBeGreaterThanOrEqual(event.dispatched_at!.getTime());
    const box = await inbox(user);
    expect(box).toHaveLength(1);
    expect(box[0]!.message.template?.text).toBe(GREETING_TEXT);

    // LINE redelivers the same webhook: absorbed, no second reply.
    const log = (await w.sim$('GET', `/_sim/webhooks?channelId=${w.line.channelId}`)) as unknown as {
      id: number;
      body: string;
    }[];
    const attempt = log.filter((a) => a.body.includes(user)).at(-1)!;
    await w.sim$('POST', `/_sim/webhooks/${attempt.id}/redeliver`);
    await new Promise((r) => setTimeout(r, 500));
    expect(await outboxOf(event.id)).toHaveLength(1);
    expect(
      (await requests('/v2/bot/message/reply')).filter((r) => r.body.replyToken === row!.reply_token),
    ).toHaveLength(1);
    expect(await inbox(user)).toHaveLength(1);
  });

  it('D-03/G-02: a failure after the greeting was recorded rolls it back: nothing is sent; once the fault is gone, it is sent once', async () => {
    const user = await newUser();
    // The dispatch fails after every handler ran (the greeting is already recorded): marking this
    // user's event dispatched raises.
    await sql
      .raw(`
        create function fail_dispatch() returns trigger language plpgsql as $$
        begin
          if new.dispatched_at is not null and new.source_user_id = '${user}' then
            raise exception 'injected failure after the handlers';
          end if;
          return new;
        end $$;
        create trigger fail_dispatch before update on line_events for each row execute function fail_dispatch();
      `)
      .execute(w.server.db);
    try {
      await w.sim$('POST', `/_sim/users/${user}/follow`, { channelId: w.line.channelId });
      const event = await settledEvent(user, 'follow');
      expect(event.dispatched_at).toBeNull();
      expect(event.dispatch_error).toContain('injected failure');
      await new Promise((r) => setTimeout(r, 500));
      expect(await outboxOf(event.id)).toEqual([]);
      expect(await inbox(user)).toEqual([]);
      expect(
        await w.server.db.selectFrom('friends').select('id').where('line_user_id', '=', user).execute(),
      ).toEqual([]);
    } finally {
      await sql`drop trigger fail_dispatch on line_events; drop function fail_dispatch();`.execute(
        w.server.db,
      );
    }
    // The event is still pending: the next dispatch (here: another friend's message) handles it.
    await w.sim$('POST', `/_sim/users/${await newUser()}/follow`, { channelId: w.line.channelId });
    const box = await until('the greeting after the retry', async () => {
      const b = await inbox(user);
      return b.length > 0 ? b : null;
    });
    expect(box).toHaveLength(1);
    const event = await settledEvent(user, 'follow');
    expect(event.dispatched_at).not.toBeNull();
    // The simulator holds the message before the sender has recorded LINE's answer: wait for the row.
    const rows = await until('the outbox row marked sent', async () => {
      const r = await outboxOf(event.id);
      return r.every((x) => x.status === 'sent') && r.length > 0 ? r : null;
    });
    expect(rows.map((r) => r.status)).toEqual(['sent']);
    expect(
      (await requests('/v2/bot/message/reply')).filter((r) => r.body.replyToken === rows[0]!.reply_token),
    ).toHaveLength(1);
  });

  it('D-03: LINE answers 5xx, then OK: the reply is retried with backoff and arrives once', async () => {
    await w.sim$('POST', '/_sim/faults', { path: '/v2/bot/message/reply', status: 500, count: 1 });
    const user = await newUser();
    await w.sim$('POST', `/_sim/users/${user}/follow`, { channelId: w.line.channelId });
    const event = await settledEvent(user, 'follow');
    const [row] = await until('the greeting sent after the retry', async () => {
      const rows = await outboxOf(event.id);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(row).toMatchObject({ status: 'sent', attempts: 2, http_status: 200 });
    const replies = (await requests('/v2/bot/message/reply')).filter(
      (r) => r.body.replyToken === row!.reply_token,
    );
    expect(replies.map((r) => r.status)).toEqual([500, 200]);
    expect(await inbox(user)).toHaveLength(1);
  });

  it('D-03: an expired reply token (400) is final: marked failed, not retried', async () => {
    const user = lineUserId();
    const event = textEvent(user, '相談したいです');
    event.replyToken = randomBytes(16).toString('hex'); // never issued by LINE
    expect((await postWebhook(w.server.url, w.channelId, secret(), [event])).status).toBe(200);
    const stored = await settledEvent(user, 'message');
    const [row] = await until('the reply marked failed', async () => {
      const rows = await outboxOf(stored.id);
      return rows[0]?.status === 'failed' ? rows : null;
    });
    expect(row).toMatchObject({ kind: 'reply', status: 'failed', attempts: 1, http_status: 400 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      (await requests('/v2/bot/message/reply')).filter((r) => r.body.replyToken === event.replyToken),
    ).toHaveLength(1);
  });

  it('D-03: a push whose answer was lost is re-sent with its stored retry key: LINE delivers it once (409 counts as sent)', async () => {
    const user = await newUser();
    await w.sim$('POST', `/_sim/users/${user}/follow`, { channelId: w.line.channelId });
    await until('the greeting', async () => (await inbox(user)).length === 1);
    const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
    await w.server.db.transaction().execute(async (trx) => {
      await createLineEffects(trx, cipher).push(w.channelId, user, [
        { type: 'text', text: '避難所を開設しました' },
      ]);
    });
    // LINE carries out the push but its answer is lost (a 500 instead).
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/message/push',
      when: 'after',
      status: 500,
      count: 1,
    });
    const sender = createOutboxSender({
      db: w.server.db,
      cipher,
      channels: createChannelsService({ db: w.server.db, cipher, publicUrl: w.server.url }),
      line: createLineClients({ api: w.sim.url, data: w.sim.url }),
      log: { warn: () => {}, error: () => {} },
      retryBaseMs: 50,
    });
    const pushRow = () =>
      w.server.db
        .selectFrom('line_outbox')
        .selectAll()
        .where('kind', '=', 'push')
        .where('to_id', '=', user)
        .executeTakeFirstOrThrow();
    await sender.sendDue();
    // The retry is due after its backoff (50 ms here); on a busy machine that may take longer.
    await until('the retry after the lost answer', async () => {
      await sender.sendDue();
      return (await pushRow()).status !== 'pending';
    });
    const row = await pushRow();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, http_status: 409 });
    const pushes = (await requests('/v2/bot/message/push')).filter((r) => r.body.to === user);
    expect(pushes.map((r) => [r.headers['x-line-retry-key'], r.status])).toEqual([
      [row.retry_key, 500],
      [row.retry_key, 409],
    ]);
    const pushed = (await inbox(user)).filter((m) => m.via === 'push');
    expect(pushed.map((m) => m.message.text)).toEqual(['避難所を開設しました']);
  });

  it('C-01: the consultation keyword in a group or room chat gets no answer; in a 1:1 chat it does', async () => {
    const user = lineUserId();
    const hex = () => randomBytes(16).toString('hex');
    const inGroup = {
      ...textEvent(user, '相談したいです'),
      source: { type: 'group', groupId: `C${hex()}`, userId: user },
    };
    const inRoom = {
      ...textEvent(user, '相談したいです'),
      source: { type: 'room', roomId: `R${hex()}`, userId: user },
    };
    const oneToOne = textEvent(user, '相談したいです');
    expect((await postWebhook(w.server.url, w.channelId, secret(), [inGroup, inRoom, oneToOne])).status).toBe(
      200,
    );
    const stored = await until('the three events dispatched', async () => {
      const rows = await w.server.db
        .selectFrom('line_events')
        .select(['id', 'webhook_event_id', 'dispatched_at'])
        .where('source_user_id', '=', user)
        .execute();
      return rows.length === 3 && rows.every((r) => r.dispatched_at) ? rows : null;
    });
    const idOf = (e: { webhookEventId: string }) =>
      stored.find((r) => r.webhook_event_id === e.webhookEventId)!.id;
    expect(await outboxOf(idOf(inGroup))).toEqual([]);
    expect(await outboxOf(idOf(inRoom))).toEqual([]);
    expect((await outboxOf(idOf(oneToOne))).map((r) => r.reply_token)).toEqual([oneToOne.replyToken]);
    await new Promise((r) => setTimeout(r, 500));
    const tokens = (await requests('/v2/bot/message/reply')).map((r) => r.body.replyToken);
    expect(tokens).not.toContain(inGroup.replyToken);
    expect(tokens).not.toContain(inRoom.replyToken);
  });
});
