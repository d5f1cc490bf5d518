import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// Operations: health, readiness, metrics, the OpenAPI document, Basic auth, and the CLI an
// operator uses to set up a city without the UI.

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/madoguchi.js');
const basic = (credentials: string) => ({
  authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
});

describe('operations endpoints (O-03)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ BASIC_AUTH: 'city:Basic-Pass-1' });
  });
  afterAll(async () => server?.close());

  it('O-03: /healthz, /readyz and /metrics answer', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('madoguchi_http_request_duration_seconds');
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('the API is described as OpenAPI 3.1 with one error shape', async () => {
    const spec = (await (
      await fetch(`${server.url}/api/openapi.json`, { headers: basic('city:Basic-Pass-1') })
    ).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/session', '/api/accounts', '/webhooks/line/{channelId}']),
    );
    // Without Basic auth the document is not served (it describes the staff API).
    expect((await fetch(`${server.url}/api/openapi.json`)).status).toBe(401);
    // An unknown path matches no route, so nothing is served and nothing is protected: 404 with
    // the one error shape (the routes themselves are listed in the document above).
    const missing = await fetch(`${server.url}/api/nothing-here`, { headers: basic('city:Basic-Pass-1') });
    expect(missing.status).toBe(404);
    expect(Object.keys(await missing.json()).sort()).toEqual(['code', 'message']);
    const page = await fetch(`${server.url}/nothing-here`);
    expect(page.status).toBe(404);
    expect(await page.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('S-07: optional Basic authentication guards the console and staff API, not webhooks', async () => {
    const none = await fetch(`${server.url}/api/session`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await fetch(`${server.url}/console/`, { headers: basic('city:nope') });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/api/session`, { headers: basic('city:Basic-Pass-1') });
    expect(right.status).toBe(401);
    expect((await right.json()).code).toBe('UNAUTHENTICATED');
    const webhook = await fetch(`${server.url}/webhooks/line/unknown`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(webhook.status).toBe(404);
  });
});

describe('the madoguchi command (D-05)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  const run = (args: string[], input?: string, extraEnv: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], {
      input,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: server.databaseUrl,
        ENCRYPTION_KEY: server.config.ENCRYPTION_KEY,
        PUBLIC_URL: 'https://madoguchi.example.jp',
        ...extraEnv,
      },
    });

  it('D-04: `channel add` prints the channel as JSON with its webhook URL; secrets are stored encrypted', async () => {
    const args = [
      '--channel-id',
      '1650000001',
      '--secret',
      'cli-channel-secret',
      '--token',
      'cli-access-token',
    ];
    const r = run(['channel', 'add', '--name', 'テスト市 テスト用', ...args, '--env', 'test']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ch = JSON.parse(r.stdout) as { id: string; environment: string; webhookUrl: string };
    expect(ch.environment).toBe('test');
    expect(ch.webhookUrl).toBe(`https://madoguchi.example.jp/webhooks/line/${ch.id}`);
    const row = await server.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', ch.id)
      .executeTakeFirstOrThrow();
    expect(row.channel_secret_enc).not.toContain('cli-channel-secret');
    expect(row.access_token_enc).not.toContain('cli-access-token');
    const dup = run(['channel', 'add', '--name', '重複', ...args]);
    expect(dup.status).toBe(1);
    const bad = run([
      'channel',
      'add',
      '--name',
      'x',
      '--channel-id',
      'abc',
      '--secret',
      's',
      '--token',
      't',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('lineChannelId');
  });

  it('S-08: `account add` reads the password from standard input and refuses a weak one', () => {
    const ok = run(['account', 'add', '--login-id', 'cli-admin', '--role', 'admin'], 'Cli-Strong-Pass-42\n');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ loginId: 'cli-admin', role: '管理者' });
    const weak = run(['account', 'add', '--login-id', 'cli-weak'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('パスワードが弱すぎます');
  });

  it('S-08: `account reset-password` sets the password read from standard input, ends sessions, and is audited', async () => {
    const created = run(
      ['account', 'add', '--login-id', 'cli-reset', '--role', 'admin'],
      'Cli-Strong-Pass-42\n',
    );
    expect(created.status).toBe(0);
    const signIn = (password: string) =>
      fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: 'cli-reset', password }),
      });
    const before = await signIn('Cli-Strong-Pass-42');
    expect(before.status).toBe(200);
    const cookie = (before.headers.get('set-cookie') ?? '').split(';')[0]!;

    const weak = run(['account', 'reset-password', '--login-id', 'cli-reset'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('パスワードが弱すぎます');
    const unknown = run(['account', 'reset-password', '--login-id', 'nobody-here'], 'Cli-Other-Pass-77\n');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('nobody-here');

    const reset = run(['account', 'reset-password', '--login-id', 'cli-reset'], 'Cli-Other-Pass-77\n');
    expect(reset.status, reset.stderr).toBe(0);
    expect((await signIn('Cli-Strong-Pass-42')).status).toBe(401);
    const after = await signIn('Cli-Other-Pass-77');
    expect(after.status).toBe(200);
    // The owner typed it: no forced change; the old session is gone.
    expect((await after.json()).account.mustChangePassword).toBe(false);
    expect((await fetch(`${server.url}/api/session`, { headers: { cookie } })).status).toBe(401);
    const row = await server.db
      .selectFrom('audit_log')
      .select(['login_id', 'result', 'target_type'])
      .where('action', '=', 'account.password-reset')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ login_id: 'cli', result: 'success', target_type: 'account' });
  });

  it('a wrong configuration stops the command with a message naming the variable', () => {
    const r = run(['migrate'], undefined, { ENCRYPTION_KEY: 'too-short' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ENCRYPTION_KEY');
  });

  it('every command has --help', () => {
    const commands = [
      ['--help'],
      ['serve', '--help'],
      ['worker', '--help'],
      ['migrate', '--help'],
      ['demo', '--help'],
      ['channel', 'add', '--help'],
      ['account', 'add', '--help'],
      ['account', 'reset-password', '--help'],
      ['audit', 'verify', '--help'],
      ['consultation', 'export', '--help'],
      ['consultation', 'purge', '--help'],
    ];
    for (const args of commands) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: madoguchi');
    }
  });
});
