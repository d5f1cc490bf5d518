import type {
  HandoverView,
  ScenarioDraft,
  ScenarioStats,
  ScenarioSummary,
  ScenarioVersionSummary,
  ScenarioView,
  TestTurnResult,
} from '@madoguchi/contracts/chatbot.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import { createRuntime, type Runtime } from '../../runtime.ts';
import { scenarioWith } from '../../testing/chatbot-scenarios.ts';
import {
  addFriend,
  quickReply,
  received,
  receivedAfter,
  say,
  settled,
  tap,
} from '../../testing/line-chat.ts';
import { postWebhook, textEvent } from '../../testing/line-webhook.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { saveRegistration } from '../forms/forms.service.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import {
  createLineEffects,
  createLineEventBus,
  dispatchPendingEvents,
} from '../line-events/line-event-bus.ts';
import { insertLineEvents, markDispatched } from '../line-events/line-events.repository.ts';
import { dropExpired } from './chatbot.service.ts';
import { createChatbotRuntime } from './chatbot-line.ts';

// Chatbot scenarios through the real webhook, dispatch, outbox and the LINE simulator (B-01 … B-03):
// staff build, test and publish scenarios over HTTP; friends on the virtual phone start them with
// keywords (normalised), answer questions, take different branches by their registered attributes,
// tap stale buttons, time out, and are handed over to staff; two messages are handled in order.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let counselor: Awaited<ReturnType<typeof staffClient>>;

const at = { title: '', position: { x: 0, y: 0 } };
const text = (id: string, t: string, next: string | null = null) => ({
  id,
  ...at,
  type: 'message' as const,
  messages: [{ kind: 'text' as const, text: t }],
  next,
});

const session = (userId: string) =>
  w.server.db
    .selectFrom('chatbot_sessions')
    .select(['node_id', 'scenario_key', 'version', 'expires_at'])
    .where('line_user_id', '=', userId)
    .executeTakeFirst();

const scenario = (key: string, draft: ScenarioDraft, publish = true) =>
  scenarioWith(admin, w.channelId, key, draft, publish);

const quiz: ScenarioDraft = {
  name: 'くだものクイズ',
  triggers: [{ kind: 'keyword', match: 'exact', words: ['くだもの'] }],
  timeoutMinutes: 1,
  graph: {
    start: 'q1',
    nodes: [
      {
        id: 'q1',
        ...at,
        type: 'question',
        text: '好きなくだものは？',
        saveAs: 'fruit',
        input: 'choice',
        choices: [
          { id: 'apple', label: 'りんご', next: 'q2' },
          { id: 'banana', label: 'ばなな', next: 'q2' },
        ],
        next: null,
      },
      {
        id: 'q2',
        ...at,
        type: 'question',
        text: 'つぎは？',
        saveAs: 'second',
        input: 'choice',
        choices: [{ id: 'orange', label: 'みかん', next: 'end' }],
        next: null,
      },
      { id: 'end', ...at, type: 'end', text: 'おわり' },
    ],
  },
};

let quizView: ScenarioView;

beforeAll(async () => {
  w = await startLineWorld('2600001201');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
}, 90_000);
afterAll(async () => w?.close());

describe('chatbot scenarios in LINE (B-01 … B-03)', () => {
  it('B-02: the greeting on follow is a scenario (no registration form in the channel)', async () => {
    await scenario('greeting', {
      name: 'あいさつ',
      triggers: [{ kind: 'follow' }],
      timeoutMinutes: 30,
      graph: { start: 'hello', nodes: [text('hello', 'ようこそ、テスト市です')] },
    });
    const user = await addFriend(w, 'テスト 太郎');
    const [hello] = await receivedAfter(w, user, 0, 1);
    expect(hello!.message.text).toBe('ようこそ、テスト市です');
  });

  it('B-02: a keyword matches its full-width, half-width katakana and spaced variants; fallback takes the rest', async () => {
    await scenario('gomi', {
      name: 'ごみの出し方',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['ゴミの出し方'] }],
      timeoutMinutes: 30,
      graph: { start: 'a', nodes: [text('a', 'ごみは朝8時までに出してください')] },
    });
    await scenario('fallback', {
      name: 'わからないとき',
      triggers: [{ kind: 'fallback' }],
      timeoutMinutes: 30,
      graph: { start: 'a', nodes: [text('a', 'すみません、わかりませんでした')] },
    });
    const user = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, user, 0, 1); // the greeting
    for (const [i, variant] of ['ごみの出し方', 'ｺﾞﾐの出し方', 'ゴミ　の 出し方？'].entries()) {
      await say(w, user, variant);
      const [r] = await receivedAfter(w, user, 1 + i, 2 + i);
      expect(r!.message.text).toBe('ごみは朝8時までに出してください');
    }
    await say(w, user, 'なんでもない話');
    const [fb] = await receivedAfter(w, user, 4, 5);
    expect(fb!.message.text).toBe('すみません、わかりませんでした');
  });

  it('B-03: a conflicting keyword is reported on save and refused on publish; an invalid graph is refused and nothing changes', async () => {
    const clash = await scenario(
      'gomi2',
      {
        name: 'ごみ2',
        triggers: [{ kind: 'keyword', match: 'exact', words: ['ごみの出し方'] }],
        timeoutMinutes: 30,
        graph: { start: 'a', nodes: [text('a', '別の答え')] },
      },
      false,
    );
    expect(clash.conflicts.map((c) => [c.code, c.word])).toEqual([
      ['CHATBOT_KEYWORD_CONFLICT', 'ごみの出し方'],
    ]);
    const refused = await admin.request('POST', `/api/chatbot/scenarios/${clash.id}/publish`, {
      revision: clash.revision,
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('CHATBOT_TRIGGER_CONFLICT');

    const loop = await scenario(
      'loop',
      {
        name: 'ループ',
        triggers: [{ kind: 'keyword', match: 'exact', words: ['ループ'] }],
        timeoutMinutes: 30,
        graph: { start: 'a', nodes: [text('a', 'a', 'b'), text('b', 'b', 'a')] },
      },
      false,
    );
    expect(loop.problems.map((p) => p.code)).toEqual(['CHATBOT_CYCLE_NO_EXIT']);
    const bad = await admin.request('POST', `/api/chatbot/scenarios/${loop.id}/publish`, {
      revision: loop.revision,
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: string; details: { code: string }[] };
    expect(body.code).toBe('CHATBOT_GRAPH_INVALID');
    expect(body.details.map((d) => d.code)).toEqual(['CHATBOT_CYCLE_NO_EXIT']);
    const after = (await (
      await admin.request('GET', `/api/chatbot/scenarios/${loop.id}`)
    ).json()) as ScenarioView;
    expect(after).toMatchObject({ status: 'draft', publishedVersion: null });
    expect(
      await w.server.db
        .selectFrom('chatbot_versions')
        .select('version')
        .where('scenario_id', '=', loop.id)
        .execute(),
    ).toEqual([]);
    expect(
      await w.server.db
        .selectFrom('chatbot_keywords')
        .select('word')
        .where('scenario_id', '=', loop.id)
        .execute(),
    ).toEqual([]);
    // A stale revision.
    const stale = await admin.request('PUT', `/api/chatbot/scenarios/${loop.id}/draft`, {
      revision: loop.revision - 1,
      draft: loop.draft,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { code: string }).code).toBe('CHATBOT_REVISION_CHANGED');
    expect((await admin.request('DELETE', `/api/chatbot/scenarios/${loop.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/chatbot/scenarios/${clash.id}`)).status).toBe(204);
  });

  it('B-03: publish, change, publish again, restore version 1, unpublish — the friend gets what is published', async () => {
    const v1 = await scenario('hours', {
      name: '開庁時間',
      triggers: [{ kind: 'keyword', match: 'contains', words: ['開庁'] }],
      timeoutMinutes: 30,
      graph: { start: 'a', nodes: [text('a', '平日8時30分から17時15分です')] },
    });
    expect(v1).toMatchObject({ status: 'published', publishedVersion: 1, draftChanged: false });
    const changed = await admin.request('PUT', `/api/chatbot/scenarios/${v1.id}/draft`, {
      revision: v1.revision,
      draft: { ...v1.draft, graph: { start: 'a', nodes: [text('a', '年末年始は休みです')] } },
    });
    const draft2 = (await changed.json()) as ScenarioView;
    expect(draft2.draftChanged).toBe(true);
    const user = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, user, 0, 1);
    await say(w, user, '開庁時間を教えて');
    expect((await receivedAfter(w, user, 1, 2))[0]!.message.text).toBe('平日8時30分から17時15分です');
    const v2 = (await (
      await admin.request('POST', `/api/chatbot/scenarios/${v1.id}/publish`, { revision: draft2.revision })
    ).json()) as ScenarioView;
    expect(v2.publishedVersion).toBe(2);
    await say(w, user, '開庁日は？');
    expect((await receivedAfter(w, user, 2, 3))[0]!.message.text).toBe('年末年始は休みです');
    const versions = (await (
      await admin.request('GET', `/api/chatbot/scenarios/${v1.id}/versions`)
    ).json()) as ScenarioVersionSummary[];
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const restored = (await (
      await admin.request('POST', `/api/chatbot/scenarios/${v1.id}/versions/1/restore`)
    ).json()) as ScenarioView;
    expect(restored.draft.graph.nodes[0]).toMatchObject({
      messages: [{ text: '平日8時30分から17時15分です' }],
    });
    expect(restored.publishedVersion).toBe(2);
    const off = (await (
      await admin.request('POST', `/api/chatbot/scenarios/${v1.id}/unpublish`)
    ).json()) as ScenarioView;
    expect(off).toMatchObject({ status: 'unpublished', publishedVersion: null });
    await say(w, user, '開庁時間');
    // Unpublished: the fallback answers.
    expect((await receivedAfter(w, user, 3, 4))[0]!.message.text).toBe('すみません、わかりませんでした');
    const list = (await (
      await admin.request('GET', `/api/chatbot/scenarios?channelId=${w.channelId}`)
    ).json()) as ScenarioSummary[];
    expect(list.find((s) => s.key === 'hours')).toMatchObject({ status: 'unpublished' });
  });

  it('B-02: a question answered with the buttons; a stale button still works; two messages in one webhook and two webhooks back to back are handled in order', async () => {
    quizView = await scenario('quiz', quiz);
    const user = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, user, 0, 1);
    await say(w, user, 'くだもの');
    const [q1] = await receivedAfter(w, user, 1, 2);
    expect(q1!.message.text).toBe('好きなくだものは？');
    await tap(w, user, quickReply(q1, 'りんご'));
    const [q2] = await receivedAfter(w, user, 2, 3);
    expect(q2!.message.text).toBe('つぎは？');
    // The first question's button again (stale: the friend has moved on): still followed.
    await tap(w, user, quickReply(q1, 'ばなな'));
    const [again] = await receivedAfter(w, user, 3, 4);
    expect(again!.message.text).toBe('つぎは？');
    await tap(w, user, quickReply(q2, 'みかん'));
    expect((await receivedAfter(w, user, 4, 5))[0]!.message.text).toBe('おわり');
    expect((await session(user))?.node_id).toBeNull();

    // Two messages in one webhook: the first answers the first question, the second the second.
    const other = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, other, 0, 1);
    await say(w, other, 'くだもの');
    await receivedAfter(w, other, 1, 2);
    const events = [textEvent(other, 'りんご'), textEvent(other, 'みかん')];
    const r = await postWebhook(w.server.url, w.channelId, `secret-${w.line.channelId}`, events);
    expect(r.status).toBe(200);
    await settled(w, other, 4);
    expect((await session(other))?.node_id).toBeNull();

    // Two webhooks back to back (from the phone): the same.
    const third = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, third, 0, 1);
    await say(w, third, 'くだもの');
    await receivedAfter(w, third, 1, 2);
    // The second is sent as soon as the first webhook is accepted, before its dispatch.
    await say(w, third, 'りんご');
    await say(w, third, 'みかん');
    await settled(w, third, 4);
    const got = await received(w, third);
    expect(
      got
        .slice(2)
        .map((m) => m.message.text)
        .sort(),
    ).toEqual(['おわり', 'つぎは？'].sort());
    expect((await session(third))?.node_id).toBeNull();

    const stats = (await (
      await admin.request('GET', `/api/chatbot/scenarios/${quizView.id}/stats`)
    ).json()) as ScenarioStats;
    expect(stats).toMatchObject({ started: 3, completed: 3, dropped: 0 });
    expect(stats.nodes.find((n) => n.nodeId === 'q2')?.reached).toBe(4);
  });

  it('B-02: in order across concurrent dispatches — a second message waits for the first one that another dispatch holds', async () => {
    const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
    const bus = createLineEventBus();
    createChatbotRuntime({ cipher, publicUrl: w.server.url, contact: '0000' }).subscribe(
      bus.forModule('chatbot'),
    );
    const user = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, user, 0, 1);
    await say(w, user, 'くだもの');
    await receivedAfter(w, user, 1, 2);
    // Two pending events of the friend, stored without waking the dispatch: りんご, then みかん.
    const [e1, e2] = [textEvent(user, 'りんご'), textEvent(user, 'みかん')];
    const rows = await insertLineEvents(
      w.server.db,
      [e1, e2].map((e) => ({
        channel_id: w.channelId,
        webhook_event_id: e.webhookEventId,
        type: 'message',
        source_user_id: user,
        occurred_at: new Date(e.timestamp),
        is_redelivery: false,
        payload_enc: cipher.encryptBytes(Buffer.from(JSON.stringify(e), 'utf8')),
      })),
    );
    const [id1, id2] = rows.map((r) => r.id);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => {
      locked = r;
    });
    // Dispatch A holds the first event (as a concurrent batch would) and handles it only when told.
    const first = w.server.db.transaction().execute(async (trx) => {
      await trx.selectFrom('line_events').select('id').where('id', '=', id1!).forUpdate().execute();
      locked();
      await held;
      const stored: StoredLineEvent = {
        id: id1!,
        channelId: w.channelId,
        type: 'message',
        userId: user,
        occurredAt: new Date(e1.timestamp),
        channel: { liffId: w.line.liffId },
        event: e1,
      };
      const effects = createLineEffects(trx, cipher);
      for (const h of bus.handlersFor('message')) await h(stored, trx, effects);
      await markDispatched(trx, [id1!]);
    });
    await lockTaken;
    // Dispatch B takes the second event (the first is locked) and must wait for A.
    const second = dispatchPendingEvents({ db: w.server.db, cipher, bus });
    await until('dispatch B waits for the first event', async () => {
      const r = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
         where wait_event_type = 'Lock' and query like '%line_events%' and datname = current_database()`.execute(
        w.server.db,
      );
      if (Number(r.rows[0]!.n) > 0) return true;
      // The server's own dispatch may have taken the second event instead: it waits the same way.
      return null;
    });
    expect((await session(user))?.node_id).toBe('q1');
    release();
    await first;
    await second;
    await until('both dispatched', async () => {
      const d = await w.server.db
        .selectFrom('line_events')
        .select('dispatched_at')
        .where('id', 'in', [id1!, id2!])
        .execute();
      return d.every((x) => x.dispatched_at) ? true : null;
    });
    // りんご answered the first question, みかん the second: the scenario ended.
    expect((await session(user))?.node_id).toBeNull();
    const steps = await w.server.db
      .selectFrom('chatbot_steps')
      .select(['node_id', 'kind'])
      .where('scenario_key', '=', 'quiz')
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
    expect(steps.reverse()).toEqual([
      { node_id: 'q2', kind: 'reached' },
      { node_id: 'end', kind: 'reached' },
      { node_id: 'end', kind: 'completed' },
    ]);
  });

  it('B-02: a place times out (counted as dropped); it survives a restart (in the database)', async () => {
    const user = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, user, 0, 1);
    await say(w, user, 'くだもの');
    await receivedAfter(w, user, 1, 2);
    expect(await session(user)).toMatchObject({ node_id: 'q1', scenario_key: 'quiz', version: 1 });

    // A second server process on the same database continues the friend's place.
    let second: Runtime | undefined;
    try {
      second = await createRuntime(w.server.config, { workers: true });
      const url = await second.app.listen({ host: '127.0.0.1', port: 0 });
      const events = [textEvent(user, 'りんご')];
      expect((await postWebhook(url, w.channelId, `secret-${w.line.channelId}`, events)).status).toBe(200);
      await until('answered at q2', async () => ((await session(user))?.node_id === 'q2' ? true : null));
    } finally {
      await second?.close();
    }

    // Time out: the next answer is not taken by the question; the fallback answers; dropped once.
    await w.server.db
      .updateTable('chatbot_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('line_user_id', '=', user)
      .execute();
    await say(w, user, 'みかん');
    const seen = (await received(w, user)).length;
    await settled(w, user, 4);
    const last = (await received(w, user)).at(-1);
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(last!.message.text).toBe('すみません、わかりませんでした');
    const stats = (await (
      await admin.request('GET', `/api/chatbot/scenarios/${quizView.id}/stats`)
    ).json()) as ScenarioStats;
    expect(stats.dropped).toBe(1);
    expect(stats.nodes.find((n) => n.nodeId === 'q2')?.dropped).toBe(1);

    // The cron path: a place that timed out without another message.
    const idle = await addFriend(w, 'テスト 太郎');
    await receivedAfter(w, idle, 0, 1);
    await say(w, idle, 'くだもの');
    await receivedAfter(w, idle, 1, 2);
    await w.server.db
      .updateTable('chatbot_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('line_user_id', '=', idle)
      .execute();
    expect(await dropExpired(w.server.db)).toBe(1);
    expect((await session(idle))?.node_id).toBeNull();
  });

  it('B-01: a hand-over keeps the bot quiet until staff close it, also for a later message in the same dispatch batch', async () => {
    await scenario('staff', {
      name: '担当者へ',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['担当者'] }],
      timeoutMinutes: 30,
      graph: {
        start: 'h',
        nodes: [
          {
            id: 'h',
            ...at,
            type: 'action',
            action: { kind: 'handover', text: '担当者におつなぎします' },
            next: null,
          },
        ],
      },
    });
    const user = await addFriend(w, '引継 花子');
    await receivedAfter(w, user, 0, 1);
    await say(w, user, '担当者');
    expect((await receivedAfter(w, user, 1, 2))[0]!.message.text).toBe('担当者におつなぎします');
    await say(w, user, 'くだもの');
    await settled(w, user, 3);
    expect(await received(w, user)).toHaveLength(2);
    const list = (await (
      await admin.request('GET', `/api/chatbot/handovers?channelId=${w.channelId}`)
    ).json()) as HandoverView[];
    // By the friend, not the display name: the profile (and so the name) is fetched by a job that
    // may not have run yet.
    const friend = await w.server.db
      .selectFrom('friends')
      .select('id')
      .where('line_user_id', '=', user)
      .executeTakeFirstOrThrow();
    const mine = list.find((h) => h.friendId === friend.id);
    expect(mine).toMatchObject({ scenarioName: '担当者へ', text: '担当者におつなぎします' });
    expect((await admin.request('POST', `/api/chatbot/handovers/${mine!.id}/close`)).status).toBe(204);
    expect((await admin.request('POST', `/api/chatbot/handovers/${mine!.id}/close`)).status).toBe(409);
    await say(w, user, 'くだもの');
    expect((await receivedAfter(w, user, 2, 3))[0]!.message.text).toBe('好きなくだものは？');

    // In one webhook (one dispatch batch, whose places are read in one query): a hand-over, then a
    // message of the same friend the bot must not answer; another friend's two messages in the same
    // body, interleaved, are answered in order.
    const quiet = await addFriend(w, '引継 次郎');
    const busy = await addFriend(w, '引継 三郎');
    await receivedAfter(w, quiet, 0, 1);
    await receivedAfter(w, busy, 0, 1);
    const events = [
      textEvent(quiet, '担当者'),
      textEvent(busy, 'くだもの'),
      textEvent(quiet, 'くだもの'),
      textEvent(busy, 'りんご'),
    ];
    expect((await postWebhook(w.server.url, w.channelId, `secret-${w.line.channelId}`, events)).status).toBe(
      200,
    );
    await settled(w, quiet, 3);
    await settled(w, busy, 3);
    // The tokens are not the simulator's (it refuses them), so read what the server asked LINE to send.
    const calls = (await w.sim$(
      'GET',
      `/_sim/requests?channelId=${w.line.channelId}&path=/v2/bot/message/reply`,
    )) as unknown as { body: { replyToken: string; messages: { text?: string }[] } }[];
    const replyTo = (e: { replyToken: string }) =>
      calls.filter((c) => c.body.replyToken === e.replyToken).map((c) => c.body.messages[0]?.text);
    expect(events.map(replyTo)).toEqual([
      ['担当者におつなぎします'],
      ['好きなくだものは？'],
      [],
      ['つぎは？'],
    ]);
  });

  it('B-02: a branch on a registered attribute sends two friends down different branches; the test panel and send-to-phone run the draft', async () => {
    const form = (await (
      await admin.request('GET', `/api/forms/registration?channelId=${w.channelId}`)
    ).json()) as { id: string };
    const added = await admin.request('POST', `/api/forms/${form.id}/items`, {
      type: 'single',
      label: '関心',
      key: 'interest',
      choices: [{ label: '子育て' }, { label: '高齢者' }],
    });
    expect(added.status).toBe(201);
    const item = (
      (await added.json()) as { items: { id: string; key: string; choices: { id: string }[] }[] }
    ).items.find((i) => i.key === 'interest')!;
    const [kids, elder] = item.choices.map((c) => c.id);
    const menu = await scenario('menu', {
      name: '相談メニュー',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['相談メニュー'] }],
      timeoutMinutes: 30,
      graph: {
        start: 'b',
        nodes: [
          {
            id: 'b',
            ...at,
            type: 'branch',
            rules: [
              {
                id: 'kids',
                when: [
                  {
                    kind: 'attribute',
                    condition: { type: 'choice', itemId: item.id, choiceIds: [kids!], match: 'any' },
                  },
                ],
                next: 'k',
              },
            ],
            otherwise: 'o',
          },
          text('k', '子育て中の方へのご案内です'),
          text('o', '一般のご案内です'),
        ],
      },
    });
    expect(menu.problems).toEqual([]);
    const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
    const a = await addFriend(w, '子育て 一郎');
    const b = await addFriend(w, '高齢 次郎');
    // With a registration form the chatbot's published greeting still answers the follow.
    expect((await receivedAfter(w, a, 0, 1))[0]!.message.text).toBe('ようこそ、テスト市です');
    await saveRegistration(w.server.db, cipher, w.channelId, a, { interest: kids! });
    await saveRegistration(w.server.db, cipher, w.channelId, b, { interest: elder! });
    const seenA = (await received(w, a)).length;
    const seenB = (await received(w, b)).length;
    await say(w, a, '相談メニュー');
    await say(w, b, '相談メニュー');
    expect((await receivedAfter(w, a, seenA, seenA + 1))[0]!.message.text).toBe('子育て中の方へのご案内です');
    expect((await receivedAfter(w, b, seenB, seenB + 1))[0]!.message.text).toBe('一般のご案内です');

    // A scenario step sets the attribute (through the forms module): b now takes the other branch.
    await scenario('setkids', {
      name: '子育て情報の登録',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['子育て登録'] }],
      timeoutMinutes: 30,
      graph: {
        start: 'set',
        nodes: [
          {
            id: 'set',
            ...at,
            type: 'action',
            action: { kind: 'setAttribute', itemId: item.id, choiceIds: [kids!] },
            next: 'done',
          },
          {
            id: 'done',
            ...at,
            type: 'action',
            action: {
              kind: 'openPage',
              text: '登録内容はこちら',
              label: '確認する',
              url: 'https://city.example.jp/r',
            },
            next: null,
          },
        ],
      },
    });
    await say(w, b, '子育て登録');
    const [page] = await receivedAfter(w, b, seenB + 1, seenB + 2);
    expect(page!.message.template).toMatchObject({
      text: '登録内容はこちら',
      actions: [{ type: 'uri', label: '確認する' }],
    });
    await say(w, b, '相談メニュー');
    expect((await receivedAfter(w, b, seenB + 2, seenB + 3))[0]!.message.text).toBe(
      '子育て中の方へのご案内です',
    );

    // The test panel with a test friend, and send-to-phone (test friends only).
    const friendA = await w.server.db
      .selectFrom('friends')
      .select('id')
      .where('line_user_id', '=', a)
      .executeTakeFirstOrThrow();
    const notTest = await admin.request('POST', `/api/chatbot/scenarios/${menu.id}/test`, {
      input: { kind: 'start' },
      state: null,
      friendId: friendA.id,
    });
    expect(notTest.status).toBe(400);
    await w.server.db.updateTable('friends').set({ is_test: true }).where('id', '=', friendA.id).execute();
    const turn = (await (
      await admin.request('POST', `/api/chatbot/scenarios/${menu.id}/test`, {
        input: { kind: 'start' },
        state: null,
        friendId: friendA.id,
      })
    ).json()) as TestTurnResult;
    expect(turn).toMatchObject({ visited: ['b', 'k'], ended: true });
    const plain = (await (
      await admin.request('POST', `/api/chatbot/scenarios/${menu.id}/test`, {
        input: { kind: 'start' },
        state: null,
        friendId: null,
      })
    ).json()) as TestTurnResult;
    expect(plain.visited).toEqual(['b', 'o']);
    const sent = await admin.request('POST', `/api/chatbot/scenarios/${menu.id}/send-to-phone`, {
      friendId: friendA.id,
    });
    expect(sent.status).toBe(202);
    expect((await receivedAfter(w, a, seenA + 1, seenA + 2))[0]).toMatchObject({
      via: 'push',
      message: { text: '子育て中の方へのご案内です' },
    });
  });

  it('B-02: statistics export as CSV (UTF-8 BOM) and xlsx', async () => {
    const csv = await admin.request('GET', `/api/chatbot/stats/export?channelId=${w.channelId}&format=csv`);
    expect(csv.status).toBe(200);
    const body = Buffer.from(await csv.arrayBuffer());
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toContain('種類');
    expect(lines.find((l) => l.startsWith('シナリオ,くだものクイズ,quiz,'))).toMatch(
      /^シナリオ,くだものクイズ,quiz,,,\d+,,\d+,2,,,$/,
    );
    expect(lines.find((l) => l.startsWith('ノード,くだものクイズ,quiz,q2,'))).toBeDefined();
    const xlsx = await admin.request('GET', `/api/chatbot/stats/export?channelId=${w.channelId}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const sheet = await readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet.rows[0]![0]).toBe('種類');
  });

  it('B-03: bad input to every route — unknown IDs 404, no permission 403, malformed bodies 400 with codes', async () => {
    const id = quizView.id;
    const unknown = crypto.randomUUID();
    const code = async (r: Response) => ((await r.json()) as { code: string }).code;
    // Malformed.
    expect(await code(await admin.request('GET', '/api/chatbot/scenarios?channelId=nope'))).toBe(
      'VALIDATION_FAILED',
    );
    expect(await code(await admin.request('GET', '/api/chatbot/scenarios/nope'))).toBe('VALIDATION_FAILED');
    const badCreate = await admin.request('POST', '/api/chatbot/scenarios', {
      channelId: w.channelId,
      key: 'bad key!',
      name: 'x',
      template: 'nope',
    });
    expect(badCreate.status).toBe(400);
    const dup = await admin.request('POST', '/api/chatbot/scenarios', {
      channelId: w.channelId,
      key: 'quiz',
      name: '重複',
      template: 'blank',
    });
    expect(dup.status).toBe(409);
    expect(await code(dup)).toBe('CHATBOT_KEY_TAKEN');
    const badDraft = await admin.request('PUT', `/api/chatbot/scenarios/${id}/draft`, {
      revision: 1,
      draft: {
        name: 'x',
        triggers: [{ kind: 'keyword', match: 'exact', words: [] }],
        timeoutMinutes: 0,
        graph: {},
      },
    });
    expect(badDraft.status).toBe(400);
    expect((await admin.request('POST', `/api/chatbot/scenarios/${id}/publish`, {})).status).toBe(400);
    expect((await admin.request('POST', `/api/chatbot/scenarios/${id}/versions/abc/restore`)).status).toBe(
      400,
    );
    expect(
      (
        await admin.request('POST', `/api/chatbot/scenarios/${id}/test`, {
          input: { kind: 'fly' },
          state: null,
          friendId: null,
        })
      ).status,
    ).toBe(400);
    const foreign = await admin.request('POST', `/api/chatbot/scenarios/${id}/test`, {
      input: { kind: 'postback', data: 'cb=other&v=1&n=q1&c=apple' },
      state: null,
      friendId: null,
    });
    expect(await code(foreign)).toBe('CHATBOT_TEST_POSTBACK');
    expect(
      (await admin.request('POST', `/api/chatbot/scenarios/${id}/send-to-phone`, { friendId: 'x' })).status,
    ).toBe(400);
    expect(
      (await admin.request('GET', `/api/chatbot/stats/export?channelId=${w.channelId}&format=pdf`)).status,
    ).toBe(400);
    expect((await admin.request('GET', '/api/chatbot/handovers')).status).toBe(400);
    expect((await admin.request('POST', '/api/chatbot/handovers/x/close')).status).toBe(400);
    // Unknown.
    for (const [method, path, body] of [
      ['GET', `/api/chatbot/scenarios?channelId=${unknown}`],
      ['POST', '/api/chatbot/scenarios', { channelId: unknown, key: 'k', name: 'n', template: 'blank' }],
      ['GET', `/api/chatbot/scenarios/${unknown}`],
      ['PUT', `/api/chatbot/scenarios/${unknown}/draft`, { revision: 1, draft: quiz }],
      ['POST', `/api/chatbot/scenarios/${unknown}/publish`, { revision: 1 }],
      ['POST', `/api/chatbot/scenarios/${unknown}/unpublish`],
      ['GET', `/api/chatbot/scenarios/${unknown}/versions`],
      ['POST', `/api/chatbot/scenarios/${unknown}/versions/1/restore`],
      ['POST', `/api/chatbot/scenarios/${id}/versions/99/restore`],
      ['DELETE', `/api/chatbot/scenarios/${unknown}`],
      [
        'POST',
        `/api/chatbot/scenarios/${unknown}/test`,
        { input: { kind: 'start' }, state: null, friendId: null },
      ],
      [
        'POST',
        `/api/chatbot/scenarios/${id}/test`,
        { input: { kind: 'start' }, state: null, friendId: unknown },
      ],
      ['POST', `/api/chatbot/scenarios/${unknown}/send-to-phone`, { friendId: unknown }],
      ['POST', `/api/chatbot/scenarios/${id}/send-to-phone`, { friendId: unknown }],
      ['GET', `/api/chatbot/scenarios/${unknown}/stats`],
      ['GET', `/api/chatbot/stats/export?channelId=${unknown}&format=csv`],
      ['GET', `/api/chatbot/handovers?channelId=${unknown}`],
      ['POST', `/api/chatbot/handovers/${unknown}/close`],
    ] as const) {
      const r = await admin.request(method, path, body);
      expect([path, r.status]).toEqual([path, 404]);
    }
    // No permission (a counselor's role has no chatbot permission).
    for (const [method, path] of [
      ['GET', `/api/chatbot/scenarios?channelId=${w.channelId}`],
      ['POST', '/api/chatbot/scenarios'],
      ['GET', `/api/chatbot/scenarios/${id}`],
      ['PUT', `/api/chatbot/scenarios/${id}/draft`],
      ['POST', `/api/chatbot/scenarios/${id}/publish`],
      ['POST', `/api/chatbot/scenarios/${id}/unpublish`],
      ['GET', `/api/chatbot/scenarios/${id}/versions`],
      ['POST', `/api/chatbot/scenarios/${id}/versions/1/restore`],
      ['DELETE', `/api/chatbot/scenarios/${id}`],
      ['POST', `/api/chatbot/scenarios/${id}/test`],
      ['POST', `/api/chatbot/scenarios/${id}/send-to-phone`],
      ['GET', `/api/chatbot/scenarios/${id}/stats`],
      ['GET', `/api/chatbot/stats/export?channelId=${w.channelId}`],
      ['GET', `/api/chatbot/handovers?channelId=${w.channelId}`],
      ['POST', `/api/chatbot/handovers/${unknown}/close`],
    ] as const) {
      const r = await counselor.request(
        method,
        path,
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      expect([path, r.status]).toEqual([path, 403]);
    }
    // Writes are audited.
    const audited = await w.server.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'chatbot.%')
      .execute();
    expect(new Set(audited.map((a) => a.action))).toEqual(
      new Set([
        'chatbot.scenario-create',
        'chatbot.scenario-update',
        'chatbot.scenario-publish',
        'chatbot.scenario-unpublish',
        'chatbot.scenario-restore',
        'chatbot.scenario-delete',
        'chatbot.scenario-test',
        'chatbot.scenario-send-test',
        'chatbot.stats-export',
        'chatbot.handover-close',
      ]),
    );
  });
});
