import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// S-07 (admin area) and C-03 (counselor area) IP allow-lists, directly and behind a trusted proxy.

describe('IP allow-lists (S-07, C-03)', () => {
  let direct: TestServer;
  let proxied: TestServer;

  beforeAll(async () => {
    [direct, proxied] = await Promise.all([
      startTestServer(),
      startTestServer({ TRUSTED_PROXIES: '127.0.0.1/32' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([direct?.close(), proxied?.close()]);
  });

  it('S-07: an admin cannot save a list that would lock themselves out; bad CIDRs are refused', async () => {
    const a = await createStaff(direct.db, 'admin');
    const admin = await staffClient(direct, a.loginId);
    const lockout = await admin.request('PUT', '/api/ip-allowlists/admin', {
      entries: [{ cidr: '10.0.0.0/8', note: '庁内' }],
    });
    expect(lockout.status).toBe(409);
    expect((await lockout.json()).code).toBe('IP_LIST_WOULD_LOCK_OUT');
    const bad = await admin.request('PUT', '/api/ip-allowlists/admin', {
      entries: [{ cidr: "10.0.0.0/8' OR 1=1", note: '' }],
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('INVALID_CIDR');
    expect(await direct.db.selectFrom('ip_allowlist_entries').select('id').execute()).toHaveLength(0);
  });

  it('S-07: a request from outside the admin list gets 403 and an audit entry; X-Forwarded-For is ignored without a trusted proxy', async () => {
    const a = await createStaff(direct.db, 'admin');
    const admin = await staffClient(direct, a.loginId);
    const saved = await admin.request('PUT', '/api/ip-allowlists/admin', {
      entries: [
        { cidr: '127.0.0.1', note: 'この端末' },
        { cidr: '2001:db8::/32', note: 'IPv6' },
      ],
    });
    expect(saved.status).toBe(200);
    expect((await saved.json()).entries[0].cidr).toBe('127.0.0.1/32');
    // Spoofed header from an untrusted peer changes nothing: still 127.0.0.1, still allowed.
    expect(
      (await admin.request('GET', '/api/accounts', undefined, { 'x-forwarded-for': '203.0.113.9' })).status,
    ).toBe(200);

    // Counselor area restricted to another network: counselor features refused from here.
    await admin.request('PUT', '/api/ip-allowlists/counselor', {
      entries: [{ cidr: '192.0.2.0/24', note: '相談室' }],
    });
    const counselor = await createStaff(direct.db, 'counselor');
    // Not even sign-in: a counselor's role uses only the counselor area (issue 8 §3).
    const login = await fetch(`${direct.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: counselor.loginId, password: counselor.password }),
    });
    expect(login.status).toBe(403);
    expect((await login.json()).code).toBe('IP_NOT_ALLOWED');
    const lists = await admin.request('GET', '/api/ip-allowlists');
    expect(await lists.json()).toMatchObject({
      clientIp: '127.0.0.1',
      counselor: [{ cidr: '192.0.2.0/24' }],
    });
  });

  it('S-07: behind a trusted proxy the client address comes from X-Forwarded-For', async () => {
    const a = await createStaff(proxied.db, 'admin');
    const office = { 'x-forwarded-for': '198.51.100.7' };
    const admin = await staffClient(proxied, a.loginId, undefined, office);
    const saved = await admin.request('PUT', '/api/ip-allowlists/admin', {
      entries: [{ cidr: '198.51.100.0/24', note: '本庁舎' }],
    });
    expect(saved.status).toBe(200);
    expect((await admin.request('GET', '/api/accounts')).status).toBe(200);

    const outside = await admin.request('GET', '/api/accounts', undefined, {
      'x-forwarded-for': '203.0.113.50',
    });
    expect(outside.status).toBe(403);
    expect((await outside.json()).code).toBe('IP_NOT_ALLOWED');
    const entry = await proxied.db
      .selectFrom('audit_log')
      .selectAll()
      .where('ip', '=', '203.0.113.50')
      .where('result', '=', 'failure')
      .executeTakeFirst();
    expect(entry?.action).toBe('access.denied');

    // Login from outside both lists is refused too, and the console is not served there.
    // (An empty list means "no restriction", so restrict the counselor area as well.)
    await admin.request('PUT', '/api/ip-allowlists/counselor', {
      entries: [{ cidr: '192.0.2.0/24', note: '相談室' }],
    });
    const login = await fetch(`${proxied.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' },
      body: JSON.stringify({ loginId: a.loginId, password: a.password }),
    });
    expect(login.status).toBe(403);
    const page = await fetch(`${proxied.url}/console/`, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(page.status).toBe(403);
  });
});
