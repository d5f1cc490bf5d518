import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { createDesk } from './desks.service.ts';
import { LINE_NOTICE_TEXT } from './line-door.ts';

// LINE is only the door (C-01, C-07): a full consultation from a LINE friend, with every request the
// product sends to the LINE API inspected for consultation text.

let w: LineWorld;
const always = Object.fromEntries(
  ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
);

beforeAll(async () => {
  w = await startLineWorld('2200000001');
  const [welfare] = demoDesks(w.channelId);
  await createDesk(w.server.db, {
    ...welfare!,
    hours: always,
    closedOnHolidays: false,
    closedYearEnd: false,
  });
});
afterAll(async () => w?.close());

describe('LINE is only the door (C-01)', () => {
  it('C-01: a keyword gets a link to our chat page; replies reach LINE only as a content-free notice', async () => {
    await fetch(`${w.sim.url}/_sim/requests`, { method: 'DELETE' });
    const user = (await w.sim$('POST', '/_sim/users', { displayName: '窓口 花子' })) as { userId: string };
    await w.sim$('POST', `/_sim/users/${user.userId}/follow`, { channelId: w.line.channelId });

    // The keyword "相談" is answered with a button that opens the LIFF chat page for the desk.
    await w.sim$('POST', `/_sim/users/${user.userId}/messages`, {
      channelId: w.line.channelId,
      message: { type: 'text', text: '相談したいです' },
    });
    type Inbox = { message: { type: string; template?: { actions: { uri: string }[] } } }[];
    const inbox = await waitFor(
      async () =>
        (
          (await w.sim$('GET', `/_sim/users/${user.userId}/inbox?channelId=${w.line.channelId}`)) as {
            messages: Inbox;
          }
        ).messages,
      (messages) => messages.length > 0,
      { timeoutMs: 10_000, what: 'the reply with the chat link' },
    );
    const link = inbox[0]?.message.template?.actions[0]?.uri;
    expect(link).toBe(`https://liff.line.me/${w.line.liffId}?desk=welfare`);

    // The consultee opens the page (LIFF sign-in) and starts the consultation there.
    const { url } = (await w.sim$('POST', '/_sim/liff/open', {
      userId: user.userId,
      liffId: w.line.liffId,
      path: '?desk=welfare',
    })) as { url: string };
    expect(new URL(url).searchParams.get('desk')).toBe('welfare');
    const idToken = new URLSearchParams(new URL(url).hash.slice(1)).get('id_token')!;
    const session = await fetch(`${w.server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken, channelId: w.channelId }),
    });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const start = await fetch(`${w.server.url}/api/consult/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ deskSlug: 'welfare' }),
    });
    expect(start.status).toBe(200);
    const { consultationId } = (await start.json()) as { consultationId: string };

    const secretText = '借金の返済で生活ができません';
    const ws = new WebSocket(
      `${w.server.url.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`,
      { headers: { cookie } } as never,
    );
    await new Promise((r) => ws.addEventListener('open', r));
    const acked = new Promise((r) =>
      ws.addEventListener('message', (e) => String(e.data).includes('"ack"') && r(null)),
    );
    ws.send(JSON.stringify({ type: 'message', clientId: 'l-1', text: secretText }));
    await acked;
    ws.close(); // the consultee leaves the page

    // The counselor answers while the consultee is away.
    const c = await createStaff(w.server.db, 'counselor');
    const counselor = await staffClient(w.server, c.loginId);
    await counselor.request('POST', `/api/consultations/${consultationId}/assign`, {});
    await counselor.request('POST', `/api/consultations/${consultationId}/history-confirm`, {});
    const replyText = '返済計画について一緒に考えましょう';
    expect(
      (
        await counselor.request('POST', `/api/consultations/${consultationId}/messages`, {
          clientId: 'r',
          text: replyText,
          kind: 'text',
        })
      ).status,
    ).toBe(201);

    // LINE receives the fixed notice with the link, never the content.
    const notice = await waitFor(
      async () =>
        (
          (await w.sim$('GET', `/_sim/users/${user.userId}/inbox?channelId=${w.line.channelId}`)) as {
            messages: { via: string; message: { text?: string } }[];
          }
        ).messages.find((m) => m.via === 'push'),
      (found) => found !== undefined,
      { timeoutMs: 10_000, what: 'the push notice' },
    );
    expect(notice?.message.text).toContain(LINE_NOTICE_TEXT);
    expect(notice?.message.text).toContain(`https://liff.line.me/${w.line.liffId}?desk=welfare`);
    // Sent through the LINE outbox: one push, with a stored retry key (never lost, never twice).
    const pushes = (
      (await w.sim$(
        'GET',
        `/_sim/requests?channelId=${w.line.channelId}&path=/v2/bot/message/push`,
      )) as unknown as {
        headers: Record<string, string>;
        body: { to?: string };
      }[]
    ).filter((r) => r.body.to === user.userId);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);

    const requests = JSON.stringify(await w.sim$('GET', '/_sim/requests'));
    expect(requests.length).toBeGreaterThan(100);
    for (const text of [secretText, replyText, '借金', '返済']) expect(requests).not.toContain(text);
  });

  it('C-07: a counselor starts a conversation with a past consultee out of hours; LINE gets only the notice', async () => {
    const list = (await (
      await (
        await staffClient(w.server, (await createStaff(w.server.db, 'supervisor')).loginId)
      ).request('GET', '/api/consultations')
    ).json()) as {
      items: { consulteeId: string; deskId: string }[];
    };
    const past = list.items[0]!;
    const c = await createStaff(w.server.db, 'counselor');
    const counselor = await staffClient(w.server, c.loginId);
    const outreach = () =>
      counselor.request('POST', '/api/consultations/outreach', {
        consulteeId: past.consulteeId,
        deskId: past.deskId,
        text: 'その後いかがですか（相談員より）',
      });
    // While the first counselor still handles the consultation, outreach does not take it over.
    const refused = await outreach();
    expect(refused.status).toBe(409);
    expect((await refused.json()).code).toBe('ALREADY_ASSIGNED');
    // Once it has ended, the consultee is a past consultee: outreach opens a new consultation.
    await w.server.db
      .updateTable('consultations')
      .set({ status: 'closed', closed_at: new Date(), closed_by: 'counselor' })
      .where('consultee_id', '=', past.consulteeId)
      .execute();
    await fetch(`${w.sim.url}/_sim/requests`, { method: 'DELETE' });
    const res = await outreach();
    expect(res.status).toBe(201);
    const requests = JSON.stringify(await w.sim$('GET', '/_sim/requests'));
    expect(requests).not.toContain('その後いかがですか');
  });
});
