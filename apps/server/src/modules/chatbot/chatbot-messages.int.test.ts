import type { ScenarioDraft, ScenarioView } from '@madoguchi/contracts/chatbot.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createScenario, publishScenario, scenarioWith } from '../../testing/chatbot-scenarios.ts';
import { insertMedia } from '../../testing/delivery-world.ts';
import {
  addFriend,
  type ChatAction,
  received,
  receivedAfter,
  say,
  settled,
  tap,
} from '../../testing/line-chat.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { createDesk } from '../consultation/desks.service.ts';
import { consultLink } from '../consultation/line-door.ts';
import { addItem, getRegistrationForm, registrationLink, saveRegistration } from '../forms/forms.service.ts';
import { buttonData } from './scenario-engine.ts';
import { GREETING_TEXT, WELCOME_BACK_TEXT } from './scenario-templates.ts';

// The message kinds of the engine as LINE receives them, through the real webhook, dispatch, outbox
// and the LINE simulator, which checks every message object against the Messaging API's schema
// (B-01): a carousel, a card (flex bubble) and an image with a stored image; the consultation door
// (C-01: only a link to our own chat page, never what the friend wrote); the greeting on follow as
// a built-in scenario and from its template (B-02, G-02).

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

const at = { title: '', position: { x: 0, y: 0 } };
const text = (id: string, t: string) => ({
  id,
  ...at,
  type: 'message' as const,
  messages: [{ kind: 'text' as const, text: t }],
  next: null,
});

/** The reply requests LINE (the simulator) got for this friend's channel, with their answers. */
const replyRequests = async () =>
  (await (
    await fetch(`${w.sim.url}/_sim/requests?channelId=${w.line.channelId}&path=/v2/bot/message/reply`)
  ).json()) as { status: number; body: { replyToken: string; messages: unknown[] } }[];

const events = async (userId: string) =>
  (await w.server.db.selectFrom('line_events').select('id').where('source_user_id', '=', userId).execute())
    .length;

beforeAll(async () => {
  w = await startLineWorld('2600001261');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
}, 90_000);
afterAll(async () => w?.close());

describe('chatbot message kinds in LINE (B-01, C-01)', () => {
  it('B-01: a carousel, a card and an image reach LINE as valid message objects; their buttons lead on', async () => {
    const mediaId = await insertMedia(w.server.db);
    const site = 'https://city.example.jp/gomi';
    const draft: ScenarioDraft = {
      name: 'ごみの案内',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['ごみの案内'] }],
      timeoutMinutes: 30,
      graph: {
        start: 'show',
        nodes: [
          {
            id: 'show',
            ...at,
            type: 'message',
            messages: [
              {
                kind: 'carousel',
                altText: 'ごみの種類',
                columns: [
                  {
                    id: 'burn',
                    title: 'もえるごみ',
                    text: '月・木の朝8時まで',
                    imageMediaId: mediaId,
                    buttons: [{ id: 'more', label: 'くわしく', target: { kind: 'node', next: 'more' } }],
                  },
                  {
                    id: 'cans',
                    title: 'かん・びん',
                    text: '第2・第4水曜',
                    imageMediaId: mediaId,
                    buttons: [{ id: 'web', label: 'ホームページ', target: { kind: 'uri', uri: site } }],
                  },
                ],
              },
              {
                kind: 'card',
                title: '粗大ごみ',
                text: '申し込みが必要です',
                imageMediaId: mediaId,
                buttons: [
                  { id: 'apply', label: '申し込む', target: { kind: 'node', next: 'apply' } },
                  { id: 'site', label: 'くわしく見る', target: { kind: 'uri', uri: site } },
                ],
              },
              { kind: 'image', mediaId },
            ],
            next: null,
          },
          text('more', 'もえるごみは透明な袋で出してください'),
          text('apply', '粗大ごみの申し込みを受け付けます'),
        ],
      },
    };
    const s = await scenarioWith(admin, w.channelId, 'gomi', draft);
    expect(s).toMatchObject({ status: 'published', publishedVersion: 1, problems: [] });

    const user = await addFriend(w, 'ごみ 太郎');
    await say(w, user, 'ごみの案内');
    const got = await receivedAfter(w, user, 0, 3);
    expect(got.map((m) => m.via)).toEqual(['reply', 'reply', 'reply']);
    const media = `${w.server.config.PUBLIC_URL}/media/${mediaId}`;
    const postback = (choiceId: string, label: string) => ({
      type: 'postback',
      label,
      data: buttonData('gomi', 1, 'show', choiceId),
      displayText: label,
    });
    const [carousel, card, image] = got.map((m) => m.message);
    expect(carousel).toEqual({
      type: 'template',
      altText: 'ごみの種類',
      template: {
        type: 'carousel',
        columns: [
          {
            title: 'もえるごみ',
            text: '月・木の朝8時まで',
            thumbnailImageUrl: media,
            actions: [postback('more', 'くわしく')],
          },
          {
            title: 'かん・びん',
            text: '第2・第4水曜',
            thumbnailImageUrl: media,
            actions: [{ type: 'uri', label: 'ホームページ', uri: site }],
          },
        ],
      },
    });
    expect(card).toEqual({
      type: 'flex',
      altText: '粗大ごみ',
      contents: {
        type: 'bubble',
        hero: { type: 'image', url: media, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
        body: {
          type: 'box',
          layout: 'vertical',
          spacing: 'md',
          contents: [
            { type: 'text', text: '粗大ごみ', weight: 'bold', size: 'lg', wrap: true },
            { type: 'text', text: '申し込みが必要です', size: 'md', wrap: true },
          ],
        },
        footer: {
          type: 'box',
          layout: 'vertical',
          spacing: 'sm',
          contents: [
            { type: 'button', style: 'primary', action: postback('apply', '申し込む') },
            {
              type: 'button',
              style: 'primary',
              action: { type: 'uri', label: 'くわしく見る', uri: site },
            },
          ],
        },
      },
    });
    expect(image).toEqual({ type: 'image', originalContentUrl: media, previewImageUrl: `${media}/preview` });
    // One reply request with the three messages, accepted by LINE's schema (200).
    const [request] = (await replyRequests()).filter((r) =>
      JSON.stringify(r.body.messages).includes('ごみの種類'),
    );
    expect(request).toMatchObject({ status: 200, body: { messages: [carousel, card, image] } });

    // The carousel's button, then the card's (an earlier button of the same version still leads on).
    await tap(w, user, carousel!.template!.columns![0]!.actions[0]!);
    expect((await receivedAfter(w, user, 3, 4))[0]!.message).toEqual({
      type: 'text',
      text: 'もえるごみは透明な袋で出してください',
    });
    const apply = (card!.contents as { footer: { contents: { action: Record<string, string> }[] } }).footer
      .contents[0]!.action;
    await tap(w, user, apply as ChatAction);
    expect((await receivedAfter(w, user, 4, 5))[0]!.message.text).toBe('粗大ごみの申し込みを受け付けます');
  });

  it('B-03: an image or card whose stored image does not exist is refused on publish, nothing published', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const s = await scenarioWith(
      admin,
      w.channelId,
      'noimage',
      {
        name: '画像なし',
        triggers: [{ kind: 'keyword', match: 'exact', words: ['画像なし'] }],
        timeoutMinutes: 30,
        graph: {
          start: 'img',
          nodes: [
            {
              id: 'img',
              ...at,
              type: 'message',
              messages: [{ kind: 'image', mediaId: missing }],
              next: 'card',
            },
            {
              id: 'card',
              ...at,
              type: 'message',
              messages: [
                { kind: 'card', title: 'お知らせ', text: '本文', imageMediaId: missing, buttons: [] },
              ],
              next: null,
            },
          ],
        },
      },
      false,
    );
    const r = await admin.request('POST', `/api/chatbot/scenarios/${s.id}/publish`, { revision: s.revision });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { code: string; details: { code: string; nodeId: string }[] };
    expect(body.code).toBe('CHATBOT_GRAPH_INVALID');
    expect(body.details.map((d) => `${d.code}:${d.nodeId}`)).toEqual([
      'CHATBOT_UNKNOWN_MEDIA:img',
      'CHATBOT_UNKNOWN_MEDIA:card',
    ]);
    const after = (await (
      await admin.request('GET', `/api/chatbot/scenarios/${s.id}`)
    ).json()) as ScenarioView;
    expect(after).toMatchObject({ status: 'draft', publishedVersion: null });
  });

  it('C-01: startConsultation sends only the door — a link to our own chat page — never what the friend wrote', async () => {
    const [welfare] = demoDesks(w.channelId);
    await createDesk(w.server.db, { ...welfare!, closedOnHolidays: false, closedYearEnd: false });
    await scenarioWith(admin, w.channelId, 'soudan', {
      name: '相談の入口',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['くらしの窓口'] }],
      timeoutMinutes: 30,
      graph: {
        start: 'topic',
        nodes: [
          {
            id: 'topic',
            ...at,
            type: 'question',
            text: 'どんなご相談ですか？ひとことで書いてください。',
            saveAs: 'topic',
            input: 'text',
            choices: [],
            next: 'door',
          },
          {
            id: 'door',
            ...at,
            type: 'action',
            action: { kind: 'startConsultation', deskSlug: welfare!.slug },
            next: null,
          },
        ],
      },
    });
    const user = await addFriend(w, '相談 花子');
    await say(w, user, 'くらしの窓口');
    const [question] = await receivedAfter(w, user, 0, 1);
    expect(question!.message.text).toBe('どんなご相談ですか？ひとことで書いてください。');
    const secret = '家賃が払えなくて困っています';
    await say(w, user, secret);
    const [door] = await receivedAfter(w, user, 1, 2);
    // Exactly the desk's door: one buttons message, one URI action to the LIFF consult link, no
    // other text than the door's own.
    expect(door!.via).toBe('reply');
    expect(door!.message).toEqual({
      type: 'template',
      altText: `${welfare!.name}の相談画面を開く`,
      template: {
        type: 'buttons',
        text: `${welfare!.name}\n相談は専用の画面で行います（LINE のトークには残りません）。`,
        actions: [{ type: 'uri', label: '相談画面を開く', uri: consultLink(w.line.liffId, welfare!.slug) }],
      },
    });
    expect(door!.message.template!.actions![0]!.uri).toBe(
      `https://liff.line.me/${w.line.liffId}?desk=${welfare!.slug}`,
    );
    await settled(w, user, await events(user));
    expect(await received(w, user)).toHaveLength(2);
    // What the friend wrote never went to LINE.
    expect(JSON.stringify(await replyRequests())).not.toContain(secret);
  });
});

describe('the greeting on follow is a scenario (B-02, G-02)', () => {
  it('G-02: built in with a registration form; a scenario from the greeting template sends exactly the same; unpublished, the built-in answers again', async () => {
    // Before the city has a registration form, the follow gets no greeting.
    const early = await addFriend(w, 'まだ フォームなし');
    await settled(w, early, 1);
    expect(await received(w, early)).toEqual([]);

    const form = await getRegistrationForm(w.server.db, w.channelId);
    const withWard = await addItem(w.server.db, form.id, {
      type: 'single',
      key: 'ward',
      label: '地区',
      required: false,
      help: '',
      config: {},
      choices: [{ label: '北区' }, { label: '南区' }],
    });
    const link = registrationLink(w.line.liffId);
    const invitation = {
      type: 'template',
      altText: GREETING_TEXT,
      template: {
        type: 'buttons',
        text: GREETING_TEXT,
        actions: [{ type: 'uri', label: '受信設定を登録する', uri: link }],
      },
    };
    const builtIn = await addFriend(w, '組み込み あいさつ');
    const [greeted] = await receivedAfter(w, builtIn, 0, 1);
    expect(greeted!.via).toBe('reply');
    expect(greeted!.message).toEqual(invitation);

    // The city creates a greeting from the template and publishes it unchanged: the same message.
    const created = await createScenario(admin, w.channelId, 'welcome', '友だち追加のあいさつ', 'greeting');
    expect(created.problems).toEqual([]);
    const published = await publishScenario(admin, created);
    const fromTemplate = await addFriend(w, 'ひな形 あいさつ');
    expect((await receivedAfter(w, fromTemplate, 0, 1))[0]!.message).toEqual(invitation);
    await settled(w, fromTemplate, 1);
    expect(await received(w, fromTemplate)).toHaveLength(1);

    // A registered friend who comes back is welcomed back (the branch on `registered`).
    const ward = withWard.items.find((x) => x.key === 'ward')!;
    await saveRegistration(
      w.server.db,
      createCipher(w.server.config.ENCRYPTION_KEY),
      w.channelId,
      fromTemplate,
      {
        ward: ward.choices[0]!.id,
      },
    );
    await w.sim$('POST', `/_sim/users/${fromTemplate}/unfollow`, { channelId: w.line.channelId });
    await settled(w, fromTemplate, 2);
    await w.sim$('POST', `/_sim/users/${fromTemplate}/follow`, { channelId: w.line.channelId });
    expect((await receivedAfter(w, fromTemplate, 1, 2))[0]!.message).toEqual({
      type: 'template',
      altText: WELCOME_BACK_TEXT,
      template: {
        type: 'buttons',
        text: WELCOME_BACK_TEXT,
        actions: [{ type: 'uri', label: '登録内容を確認する', uri: link }],
      },
    });

    // Unpublished: the built-in greeting answers the follow again.
    expect((await admin.request('POST', `/api/chatbot/scenarios/${published.id}/unpublish`)).status).toBe(
      200,
    );
    const after = await addFriend(w, 'また 組み込み');
    expect((await receivedAfter(w, after, 0, 1))[0]!.message).toEqual(invitation);
  });
});
