import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMadoguchi } from '../../testing/cli.ts';
import { lineUserId, postWebhook, textEvent } from '../../testing/line-webhook.ts';
import {
  createStaff,
  insertTestChannel,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';

// Maintenance mode (O-04) and its advance notice (C-15), through the real CLI and HTTP: while a
// window is active staff cannot sign in or call the staff API (503 MAINTENANCE with the message),
// citizens' writes are refused before they are read, LINE webhooks are still received and stored,
// health and readiness stay up; a scheduled window is announced and starts by time alone.

let server: TestServer;
let adminLogin: string;
const secret = 'maintenance-test-secret-0123456789';
let channelId: string;

const login = (loginId: string) =>
  fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId, password: STRONG_PASSWORD }),
  });
const notice = async () =>
  (await (await fetch(`${server.url}/api/public/maintenance`)).json()) as {
    active: {
      messageJa: string;
      messageEn: string | null;
      endsAt: string | null;
      notice: { ja: string };
    } | null;
    upcoming: { startsAt: string; notice: { ja: string; en: string } }[];
  };
const cli = (...args: string[]) => runMadoguchi(server, args);

beforeAll(async () => {
  server = await startTestServer();
  adminLogin = (await createStaff(server.db, 'admin')).loginId;
  channelId = (await insertTestChannel(server, { lineChannelId: '2000000161', channelSecret: secret })).id;
});
afterAll(async () => server?.close());

describe('maintenance mode (O-04, C-15)', () => {
  it('O-04: on by CLI → sign-in and staff API 503 MAINTENANCE with the message, citizen writes 503, webhooks stored, health up; off → sign-in works', async () => {
    const signedIn = await staffClient(server, adminLogin);
    const on = cli(
      'maintenance',
      'on',
      '--message',
      '22時まで点検中です',
      '--message-en',
      'Under inspection until 22:00',
    );
    expect(on.status, on.stderr).toBe(0);
    expect(on.stdout).toContain('active');
    const again = cli('maintenance', 'on');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('MAINTENANCE_ALREADY_ON');

    const refused = await waitFor(
      () => login(adminLogin),
      (r) => r.status === 503,
      { what: 'sign-in refused' },
    );
    expect(await refused.json()).toEqual({ code: 'MAINTENANCE', message: '22時まで点検中です' });
    // already signed in: every staff call is refused too
    const staffCall = await signedIn.request('GET', '/api/accounts');
    expect(staffCall.status).toBe(503);
    expect(((await staffCall.json()) as { code: string }).code).toBe('MAINTENANCE');
    expect((await signedIn.request('GET', '/api/session')).status).toBe(503);
    // a citizen's write is refused before its body is read (even a bad one gets 503, not 400)
    const citizen = await fetch(`${server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(citizen.status).toBe(503);
    expect(await citizen.json()).toMatchObject({ code: 'MAINTENANCE', message: '22時まで点検中です' });
    // the notice is public, in both languages
    const n = await notice();
    expect(n.active).toMatchObject({
      messageJa: '22時まで点検中です',
      messageEn: 'Under inspection until 22:00',
      endsAt: null,
    });
    // LINE webhooks are received and stored as always
    const event = textEvent(lineUserId(), 'メンテナンス中の質問');
    const hook = await postWebhook(server.url, channelId, secret, [event]);
    expect(hook.status).toBe(200);
    const stored = await server.db
      .selectFrom('line_events')
      .select('webhook_event_id')
      .where('webhook_event_id', '=', event.webhookEventId)
      .execute();
    expect(stored).toHaveLength(1);
    // health and readiness stay 200 (a load balancer must not drop every node)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // the console's page itself is served (its login page shows the notice)
    expect((await fetch(`${server.url}/console/`)).status).toBe(200);

    const off = cli('maintenance', 'off');
    expect(off.status, off.stderr).toBe(0);
    expect(off.stdout).toContain('ended 1');
    await waitFor(
      () => login(adminLogin),
      (r) => r.status === 200,
      { what: 'sign-in after off' },
    );
    expect((await notice()).active).toBeNull();
    expect((await signedIn.request('GET', '/api/accounts')).status).toBe(200);
    const list = JSON.parse(cli('maintenance', 'list', '--json').stdout) as { state: string }[];
    expect(list.map((w) => w.state)).toEqual(['ended']);
  });

  it('C-15: a window scheduled in the future is not active but announced; console scheduling and cancel are audited', async () => {
    const from = new Date(Date.now() + 2 * 86400_000);
    from.setUTCMinutes(0, 0, 0);
    const to = new Date(from.getTime() + 90 * 60_000);
    const s = cli(
      'maintenance',
      'schedule',
      '--from',
      from.toISOString(),
      '--to',
      to.toISOString(),
      '--message',
      '定期点検',
    );
    expect(s.status, s.stderr).toBe(0);
    expect((await login(adminLogin)).status).toBe(200);
    const n = await waitFor(notice, (v) => v.upcoming.length === 1, { what: 'the notice' });
    expect(n.active).toBeNull();
    const tokyo = new Date(from.getTime() + 9 * 3600_000);
    const tokyoEnd = new Date(to.getTime() + 9 * 3600_000);
    expect(n.upcoming[0]!.notice.ja).toBe(
      `${tokyo.getUTCMonth() + 1}月${tokyo.getUTCDate()}日 ${tokyo.getUTCHours()}時から${
        tokyoEnd.getUTCDate() === tokyo.getUTCDate()
          ? ''
          : `${tokyoEnd.getUTCMonth() + 1}月${tokyoEnd.getUTCDate()}日 `
      }${tokyoEnd.getUTCHours()}時30分まで、メンテナンスのため停止します`,
    );

    // a window more than 7 days ahead is listed for staff but not yet announced
    const admin = await staffClient(server, adminLogin);
    const later = new Date(Date.now() + 10 * 86400_000).toISOString();
    const laterEnd = new Date(Date.now() + 10 * 86400_000 + 3600_000).toISOString();
    const created = await admin.request('POST', '/api/maintenance', {
      from: later,
      until: laterEnd,
      messageJa: '更新作業',
    });
    expect(created.status).toBe(201);
    const w = (await created.json()) as { id: string; state: string };
    expect(w.state).toBe('upcoming');
    expect((await notice()).upcoming).toHaveLength(1);
    const items = (
      (await (await admin.request('GET', '/api/maintenance')).json()) as { items: { id: string }[] }
    ).items;
    expect(items.map((i) => i.id)).toContain(w.id);

    const canceled = await admin.request('POST', `/api/maintenance/${w.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(((await canceled.json()) as { state: string }).state).toBe('canceled');
    expect((await admin.request('POST', `/api/maintenance/${w.id}/cancel`)).status).toBe(409);
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'login_id', 'result'])
      .where('action', 'in', ['maintenance.schedule', 'maintenance.cancel'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.login_id, a.result])).toEqual([
      ['maintenance.schedule', 'cli', 'success'],
      ['maintenance.cancel', 'cli', 'success'],
      ['maintenance.schedule', 'cli', 'success'],
      ['maintenance.schedule', adminLogin, 'success'],
      ['maintenance.cancel', adminLogin, 'success'],
      ['maintenance.cancel', adminLogin, 'failure'],
    ]);
    // clean up: the CLI cancels the remaining scheduled window
    const id = (
      JSON.parse(cli('maintenance', 'list', '--json').stdout) as { id: string; state: string }[]
    ).find((x) => x.state === 'upcoming')!.id;
    expect(cli('maintenance', 'cancel', id).status).toBe(0);
  });

  it('O-04: bad input → a clear message, exit 2 (CLI) or 400 (console); a general staff member may not schedule', async () => {
    const bad = [
      ['maintenance', 'on', '--until', 'tomorrow'],
      [
        'maintenance',
        'schedule',
        '--from',
        '2030-01-01T10:00:00+09:00',
        '--to',
        '2030-01-01T09:00:00+09:00',
        '--message',
        'x',
      ],
      [
        'maintenance',
        'schedule',
        '--from',
        '2020-01-01T10:00:00+09:00',
        '--to',
        '2020-01-01T11:00:00+09:00',
        '--message',
        'x',
      ],
      [
        'maintenance',
        'schedule',
        '--from',
        '2030-01-01T10:00:00+09:00',
        '--to',
        '2030-01-01T11:00:00+09:00',
        '--message',
        ' ',
      ],
      ['maintenance', 'cancel', 'not-an-id'],
      ['maintenance', 'cancel', '00000000-0000-4000-8000-000000000000'],
    ];
    for (const args of bad) {
      const r = cli(...args);
      expect(r.status, `${args.join(' ')}: ${r.stdout}`).toBe(2);
      expect(r.stderr.trim().length, args.join(' ')).toBeGreaterThan(0);
    }
    expect(cli('maintenance', 'schedule', '--from', '2030-01-01T10:00:00+09:00').status).toBe(2); // --to missing
    expect(cli('maintenance', 'on', '--until', 'tomorrow').stderr).toContain('ISO 8601');

    const admin = await staffClient(server, adminLogin);
    const r1 = await admin.request('POST', '/api/maintenance', { from: 'soon' });
    expect(r1.status).toBe(400);
    // the console schedules only: no end, or no message, is refused (the CLI switches on now)
    expect((await admin.request('POST', '/api/maintenance', {})).status).toBe(400);
    expect(
      (await admin.request('POST', '/api/maintenance', { from: '2030-01-01T10:00:00+09:00', messageJa: 'x' }))
        .status,
    ).toBe(400);
    const past = await admin.request('POST', '/api/maintenance', {
      from: '2020-01-01T10:00:00+09:00',
      until: '2020-01-01T11:00:00+09:00',
      messageJa: 'x',
    });
    expect(((await past.json()) as { code: string }).code).toBe('MAINTENANCE_START_PAST');
    const r2 = await admin.request('POST', '/api/maintenance', {
      from: '2030-01-01T10:00:00+09:00',
      until: '2030-01-01T09:00:00+09:00',
      messageJa: 'x',
    });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { code: string }).code).toBe('MAINTENANCE_END_BEFORE_START');
    expect((await admin.request('POST', '/api/maintenance/nope/cancel')).status).toBe(400);
    const general = await staffClient(server, (await createStaff(server.db, 'general')).loginId);
    expect((await general.request('POST', '/api/maintenance', {})).status).toBe(403);
    expect((await general.request('GET', '/api/maintenance')).status).toBe(403);
    expect((await notice()).active).toBeNull();
  });
}, 120_000); // each CLI call is a process start: slow on a loaded machine
