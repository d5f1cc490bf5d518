import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../platform/auth/totp.ts';
import {
  createStaff,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { findRoleByKey } from './roles.repository.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const login = (loginId: string, password: string, totp?: string) =>
  fetch(`${server.url}/api/session`, json({ loginId, password, ...(totp ? { totpCode: totp } : {}) }));

beforeAll(async () => {
  server = await startTestServer({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' });
  const a = await createStaff(server.db, 'admin', 'admin1');
  admin = await staffClient(server, a.loginId);
});
afterAll(async () => server?.close());

describe('staff login and sessions (S-08)', () => {
  it('S-08: login sets an HttpOnly SameSite=Strict cookie, a new session each time, and logout ends it', async () => {
    const s = await createStaff(server.db, 'general');
    const first = await login(s.loginId, s.password);
    expect(first.status).toBe(200);
    const cookie1 = first.headers.get('set-cookie') ?? '';
    expect(cookie1).toMatch(/HttpOnly/i);
    expect(cookie1).toMatch(/SameSite=Strict/i);
    const second = await login(s.loginId, s.password);
    expect(second.headers.get('set-cookie')?.split(';')[0]).not.toBe(cookie1.split(';')[0]);

    const client = await staffClient(server, s.loginId);
    expect((await client.request('GET', '/api/session')).status).toBe(200);
    expect((await client.request('DELETE', '/api/session')).status).toBe(204);
    const after = await client.request('GET', '/api/session');
    expect(after.status).toBe(401);
  });

  it('S-08: a wrong password is refused without telling whether the login ID exists', async () => {
    const unknown = await login('nobody-here', 'x');
    const wrong = await login('admin1', 'wrong-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect((await unknown.json()).code).toBe('INVALID_CREDENTIALS');
    expect((await wrong.json()).code).toBe('INVALID_CREDENTIALS');
  });

  it('S-08: repeated failures hold the account back at that address (as for unknown IDs); an admin unlocks it', async () => {
    // The whole rule (per address, backoff, ceiling, no enumeration): login-throttle.int.test.ts.
    const s = await createStaff(server.db, 'general');
    for (let i = 0; i < 3; i++) expect((await login(s.loginId, 'bad-password')).status).toBe(401);
    const locked = await login(s.loginId, s.password);
    expect(locked.status).toBe(429);
    expect((await locked.json()).code).toBe('LOGIN_THROTTLED');
    const list = (await (await admin.request('GET', '/api/accounts')).json()) as {
      id: string;
      locked: boolean;
    }[];
    expect(list.find((a) => a.id === s.id)?.locked).toBe(true);
    expect((await admin.request('POST', `/api/accounts/${s.id}/unlock`)).status).toBe(204);
    expect((await login(s.loginId, s.password)).status).toBe(200);
  });

  it('S-08: state-changing requests without the CSRF token are refused', async () => {
    const res = await admin.request(
      'POST',
      '/api/roles',
      { name: 'CSRF テスト', permissions: [] },
      { 'x-csrf-token': 'forged' },
    );
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('CSRF_INVALID');
    const roles = await server.db
      .selectFrom('roles')
      .select('name')
      .where('name', '=', 'CSRF テスト')
      .execute();
    expect(roles).toHaveLength(0);
  });

  it('S-08: an account created by an admin must change its password first; an admin can reset it', async () => {
    const role = await findRoleByKey(server.db, 'general');
    const created = await admin.request('POST', '/api/accounts', {
      loginId: 'newstaff',
      displayName: '新規 職員',
      roleId: role!.id,
      password: 'Temporary-Pass-123',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const client = await staffClient(server, 'newstaff', 'Temporary-Pass-123');
    const blocked = await client.request('GET', '/api/dashboard');
    expect(blocked.status).toBe(403);
    expect((await blocked.json()).code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await client.request('POST', '/api/session/password', {
      currentPassword: 'Temporary-Pass-123',
      newPassword: 'abc',
    });
    expect(weak.status).toBe(400);
    expect((await weak.json()).code).toBe('WEAK_PASSWORD');
    const changed = await client.request('POST', '/api/session/password', {
      currentPassword: 'Temporary-Pass-123',
      newPassword: 'Brand-New-Pass-456',
    });
    expect(changed.status).toBe(204);
    expect((await client.request('GET', '/api/dashboard')).status).toBe(200);

    expect(
      (
        await admin.request('POST', `/api/accounts/${id}/password-reset`, {
          newPassword: 'Reset-By-Admin-789',
        })
      ).status,
    ).toBe(204);
    expect((await client.request('GET', '/api/session')).status).toBe(401);
    expect((await login('newstaff', 'Brand-New-Pass-456')).status).toBe(401);
    expect((await login('newstaff', 'Reset-By-Admin-789')).status).toBe(200);
  });

  it('S-08: TOTP, once enabled, is required at login', async () => {
    const s = await createStaff(server.db, 'general');
    const client = await staffClient(server, s.loginId);
    const setup = await client.request('POST', '/api/session/totp/setup');
    const { secret, otpauthUrl } = (await setup.json()) as { secret: string; otpauthUrl: string };
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect((await client.request('POST', '/api/session/totp/enable', { code: '000000' })).status).toBe(400);
    expect(
      (await client.request('POST', '/api/session/totp/enable', { code: totpCode(secret) })).status,
    ).toBe(204);
    const without = await login(s.loginId, s.password);
    expect((await without.json()).code).toBe('TOTP_REQUIRED');
    expect((await login(s.loginId, s.password, totpCode(secret))).status).toBe(200);
  });
});

describe('roles and accounts management (S-08)', () => {
  it('S-08: admins create custom roles from permissions; built-in roles cannot be deleted', async () => {
    const created = await admin.request('POST', '/api/roles', {
      name: '広報担当',
      permissions: ['dashboard.view', 'friends.view'],
    });
    expect(created.status).toBe(201);
    const unknown = await admin.request('POST', '/api/roles', { name: '不正', permissions: ['everything'] });
    expect((await unknown.json()).code).toBe('UNKNOWN_PERMISSION');
    const builtin = await findRoleByKey(server.db, 'general');
    const del = await admin.request('DELETE', `/api/roles/${builtin!.id}`);
    expect(del.status).toBe(409);
    expect((await del.json()).code).toBe('ROLE_BUILTIN');
    const list = (await (await admin.request('GET', '/api/roles')).json()) as { name: string }[];
    expect(list.map((r) => r.name)).toEqual(
      expect.arrayContaining(['管理者', '一般', '相談員', 'スーパーバイザー', '広報担当']),
    );
  });

  it('S-08: about 30 accounts are listed', async () => {
    const role = await findRoleByKey(server.db, 'general');
    for (let i = 0; i < 30; i++) {
      const r = await admin.request('POST', '/api/accounts', {
        loginId: `staff${String(i).padStart(2, '0')}`,
        displayName: `職員 ${i}`,
        roleId: role!.id,
        password: STRONG_PASSWORD,
      });
      expect(r.status).toBe(201);
    }
    const list = (await (await admin.request('GET', '/api/accounts')).json()) as unknown[];
    expect(list.length).toBeGreaterThanOrEqual(31);
  });

  it('every staff endpoint is denied to an account without the permission', async () => {
    const noPerm = await admin.request('POST', '/api/roles', { name: '権限なし', permissions: [] });
    const { id: roleId } = (await noPerm.json()) as { id: string };
    const s = await createStaff(server.db, roleId);
    const client = await staffClient(server, s.loginId);
    const spec = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const checked: string[] = [];
    for (const [p, methods] of Object.entries(spec.paths)) {
      // Staff routes only: sign-in, citizen, consultee and public notice routes are public by design;
      // the staff manual is for every signed-in account, whatever its role (O-01: checked below).
      if (!p.startsWith('/api/') || /^\/api\/(session|citizen|consult\/|public\/|manual\b)/.test(p)) continue;
      for (const method of Object.keys(methods)) {
        const url = p.replace(/\{id\}/g, '00000000-0000-4000-8000-000000000000').replace('{area}', 'admin');
        const res = await client.request(
          method.toUpperCase(),
          url,
          method === 'get' || method === 'delete' ? undefined : {},
        );
        expect(res.status, `${method} ${p}`).toBe(403);
        expect((await res.json()).code).toBe('FORBIDDEN');
        checked.push(`${method} ${p}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
    // Every refusal is in the audit log, as a failure of the action that was attempted.
    const denied = await server.db
      .selectFrom('audit_log')
      .select(['action', 'result', 'detail'])
      .where('login_id', '=', s.loginId)
      .where('action', '!=', 'session.login')
      .execute();
    expect(denied.filter((d) => !(d.result === 'failure' && d.detail?.status === 403))).toEqual([]);
    expect(denied.length).toBe(checked.length);
    // O-01: the manual opens for an account without any permission.
    const manual = await client.request('GET', '/api/manual');
    expect(manual.status).toBe(200);
    expect(((await manual.json()) as { chapters: unknown[] }).chapters.length).toBeGreaterThan(5);
  });
});

describe('bad input is refused with a clear error, nothing stored (S-04)', () => {
  it('malformed JSON, wrong content type, oversized body', async () => {
    const bad = await admin.request('POST', '/api/roles', '{"name": "x",');
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('INVALID_JSON');
    const type = await admin.request('POST', '/api/roles', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(type.status).toBe(415);
    const big = await admin.request('POST', '/api/roles', {
      name: 'x',
      permissions: [],
      pad: 'x'.repeat(server.config.BODY_LIMIT_BYTES),
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it.each([
    ['loginId', "admin' OR '1'='1"],
    ['loginId', 'x; DROP TABLE staff_accounts; --'],
    ['displayName', '<script>alert(1)</script>'],
    ['displayName', '<img src=x onerror=alert(1)>'],
    ['roleId', "1' OR 1=1 --"],
  ])('account field %s with %s is refused and nothing is stored', async (field, value) => {
    const role = await findRoleByKey(server.db, 'general');
    const before = await server.db.selectFrom('staff_accounts').select('id').execute();
    const body = {
      loginId: 'valid-id-9',
      displayName: '正しい名前',
      roleId: role!.id,
      password: STRONG_PASSWORD,
      [field]: value,
    };
    const res = await admin.request('POST', '/api/accounts', body);
    expect(res.status).toBe(400);
    const err = (await res.json()) as { code: string; details: { path: string }[] };
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details[0]?.path).toBe(field);
    expect((await server.db.selectFrom('staff_accounts').select('id').execute()).length).toBe(before.length);
  });

  it('script strings in channel fields are refused', async () => {
    const res = await admin.request('POST', '/api/channels', {
      name: '<script>alert(1)</script>',
      lineChannelId: '1000000001',
      channelSecret: 'secretsecret',
      accessToken: 'tokentoken',
      environment: 'production',
    });
    expect(res.status).toBe(400);
    const sqlish = await admin.request('POST', '/api/channels', {
      name: '通常の名前',
      lineChannelId: "1' OR '1'='1",
      channelSecret: 'secretsecret',
      accessToken: 'tokentoken',
      environment: 'production',
    });
    expect(sqlish.status).toBe(400);
    expect((await server.db.selectFrom('channels').select('id').execute()).length).toBe(0);
  });
});

describe('audit log (S-09)', () => {
  it('S-09: staff operations are logged with time, account, IP, action, target and result; CSV export works', async () => {
    const res = await admin.request('GET', '/api/audit?limit=500');
    const { items } = (await res.json()) as {
      items: {
        action: string;
        loginId: string;
        ip: string;
        result: string;
        at: string;
        targetType: string | null;
      }[];
    };
    const created = items.find((i) => i.action === 'account.create' && i.result === 'success');
    expect(created).toMatchObject({ loginId: 'admin1', ip: '127.0.0.1', targetType: 'account' });
    expect(items.some((i) => i.action === 'session.login' && i.result === 'failure')).toBe(true);
    const csv = await admin.request('GET', '/api/audit.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFF日時,アカウント,IPアドレス,操作,操作コード,対象種別,対象種別コード,対象,対象ID,結果,結果コード,件数,ハッシュ',
    );
    expect(text).toContain('account.create');
  });

  it('S-09: `madoguchi audit verify` passes on an intact log and detects a tampered row', () => {
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/madoguchi.js');
    const env = {
      ...process.env,
      DATABASE_URL: server.databaseUrl,
      ENCRYPTION_KEY: server.config.ENCRYPTION_KEY,
      PUBLIC_URL: server.config.PUBLIC_URL,
    };
    const ok = spawnSync(process.execPath, [bin, 'audit', 'verify'], { env, encoding: 'utf8' });
    expect(ok.stdout).toMatch(/^OK: \d+ audit log rows verified/);
    expect(ok.status).toBe(0);
    return server.db
      .updateTable('audit_log')
      .set({ result: 'failure' })
      .where('action', '=', 'account.create')
      .where('result', '=', 'success')
      .execute()
      .then(() => {
        const bad = spawnSync(process.execPath, [bin, 'audit', 'verify'], { env, encoding: 'utf8' });
        expect(bad.stderr).toContain('TAMPERED');
        expect(bad.status).toBe(1);
      });
  });
});

describe('session timeouts and sign-in rate limit (S-08, S-04)', () => {
  it('S-08: an idle session expires', async () => {
    const s = await createStaff(server.db, 'general');
    const client = await staffClient(server, s.loginId);
    await server.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: new Date(Date.now() - (server.config.SESSION_IDLE_MINUTES + 1) * 60_000) })
      .where('account_id', '=', s.id)
      .execute();
    const res = await client.request('GET', '/api/session');
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('SESSION_EXPIRED');
  });

  it('S-08: a session past its absolute lifetime expires even when active', async () => {
    const s = await createStaff(server.db, 'general');
    const client = await staffClient(server, s.loginId);
    await server.db
      .updateTable('staff_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('account_id', '=', s.id)
      .execute();
    expect((await client.request('GET', '/api/session')).status).toBe(401);
  });

  it('S-04: many failed sign-ins from one address are slowed down with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await login(`nobody${i}`, 'x')).status);
    expect(statuses.slice(0, 50)).toEqual(Array(50).fill(401));
    expect(statuses).toContain(429);
    const limited = await login('admin1', 'whatever');
    expect(limited.status).toBe(429);
    expect((await limited.json()).code).toBe('RATE_LIMITED');
  });
});
