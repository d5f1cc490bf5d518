import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../testing/raw-http.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// Issue 8 §3 and §7: session and self-service routes belong to the area the account's role uses
// (S-07, C-03); Basic auth follows the matched route however the path is spelled (S-07); pages get
// a Content-Security-Policy without inline script (S-04).

const ADMIN_NET = { 'x-forwarded-for': '10.1.0.5' };
const COUNSELOR_NET = { 'x-forwarded-for': '10.2.0.9' };
const ELSEWHERE = { 'x-forwarded-for': '10.3.0.1' };

describe('allow-list areas of the session routes (S-07, C-03)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1/32' });
    const a = await createStaff(server.db, 'admin');
    const admin = await staffClient(server, a.loginId, undefined, ADMIN_NET);
    for (const [area, cidr] of [
      ['admin', '10.1.0.0/16'],
      ['counselor', '10.2.0.0/16'],
    ] as const) {
      const saved = await admin.request('PUT', `/api/ip-allowlists/${area}`, {
        entries: [{ cidr, note: area }],
      });
      expect(saved.status).toBe(200);
    }
  });
  afterAll(async () => server?.close());

  it('C-03: a counselor on the counselor network, outside the admin list, uses the console and its own session', async () => {
    const c = await createStaff(server.db, 'counselor');
    const counselor = await staffClient(server, c.loginId, undefined, COUNSELOR_NET);
    expect((await counselor.request('GET', '/api/session')).status).toBe(200);
    expect((await counselor.request('POST', '/api/session/totp/setup')).status).toBe(200);
    const password = await counselor.request('POST', '/api/session/password', {
      currentPassword: 'Wrong-Horse-9-Battery',
      newPassword: 'Another-Horse-9-Battery',
    });
    expect(password.status).not.toBe(403);
    expect((await counselor.request('GET', '/api/consultations')).status).toBe(200);
    expect((await fetch(`${server.url}/console/`, { headers: COUNSELOR_NET })).status).toBe(200);
    // Admin features stay closed to the counselor network.
    expect((await counselor.request('GET', '/api/accounts')).status).toBe(403);
    expect((await counselor.request('DELETE', '/api/session')).status).toBe(204);
  });

  it('S-07: an account whose role uses only the admin area gets nothing from the counselor network', async () => {
    const g = await createStaff(server.db, 'general');
    const login = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...COUNSELOR_NET },
      body: JSON.stringify({ loginId: g.loginId, password: g.password }),
    });
    expect(login.status).toBe(403);
    expect((await login.json()).code).toBe('IP_NOT_ALLOWED');
    expect(login.headers.get('set-cookie')).toBeNull();
    // Signed in from the office, the session does not work from the counselor network either.
    const general = await staffClient(server, g.loginId, undefined, ADMIN_NET);
    expect((await general.request('GET', '/api/session')).status).toBe(200);
    const moved = await general.request('GET', '/api/session', undefined, COUNSELOR_NET);
    expect(moved.status).toBe(403);
    expect((await moved.json()).code).toBe('IP_NOT_ALLOWED');
  });

  it('S-07: from outside both lists neither the console nor a session route answers', async () => {
    const page = await fetch(`${server.url}/console/`, { headers: ELSEWHERE });
    expect(page.status).toBe(403);
    const c = await createStaff(server.db, 'counselor');
    const counselor = await staffClient(server, c.loginId, undefined, COUNSELOR_NET);
    const moved = await counselor.request('GET', '/api/session', undefined, ELSEWHERE);
    expect(moved.status).toBe(403);
    expect((await moved.json()).code).toBe('IP_NOT_ALLOWED');
  });
});

describe('Basic auth and headers from the matched route (S-07, S-04)', () => {
  let server: TestServer;
  const basic = { authorization: `Basic ${Buffer.from('city:Basic-Pass-1').toString('base64')}` };
  beforeAll(async () => {
    server = await startTestServer({ BASIC_AUTH: 'city:Basic-Pass-1' });
  });
  afterAll(async () => server?.close());

  it('S-07: percent-encoded spellings of the staff API and the console still ask for Basic auth', async () => {
    for (const path of [
      '/%61pi/accounts',
      '/api/%61ccounts',
      '/%63onsole/',
      '/console/%69ndex',
      '/api/accounts',
    ]) {
      const answer = await rawRequest(server.url, 'GET', path);
      expect(answer.status, path).toBe(401);
      expect(answer.code, path).toBe('BASIC_AUTH_REQUIRED');
    }
    const signedOut = await rawRequest(server.url, 'GET', '/%61pi/accounts', basic);
    expect(signedOut.status).toBe(401);
    expect(signedOut.code).toBe('UNAUTHENTICATED');
    // Citizens and LINE never see Basic auth.
    expect((await rawRequest(server.url, 'GET', '/citizen/')).status).toBe(200);
    expect((await rawRequest(server.url, 'GET', '/%63itizen/')).status).toBe(200);
  });

  it('S-04: pages get a CSP without inline script; other answers a policy that runs nothing', async () => {
    for (const path of ['/console/', '/citizen/']) {
      const page = await rawRequest(server.url, 'GET', path, basic);
      expect(page.status, path).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
      expect(scriptSrc).toContain("'self'");
      expect(scriptSrc).toContain('https://static.line-scdn.net');
      expect(scriptSrc).not.toContain('unsafe');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      // The built page itself has no inline script for the policy to refuse.
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
    const json = await rawRequest(server.url, 'GET', '/healthz');
    expect(json.headers['content-security-policy']).toContain("default-src 'none'");
    expect(json.headers['x-frame-options']).toBe('DENY');
    expect(json.headers['strict-transport-security']).toBeUndefined();
  });

  it('S-04: a violation report is counted for operators; a malformed report is refused quietly', async () => {
    const count = async () => {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const line = metrics
        .split('\n')
        .find((l) => l.startsWith('madoguchi_csp_violations_total{directive="script-src-elem"}'));
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const before = await count();
    const report = {
      'csp-report': {
        'document-uri': `${server.url}/console/`,
        'effective-directive': 'script-src-elem',
        'blocked-uri': 'inline',
      },
    };
    const sent = await rawRequest(
      server.url,
      'POST',
      '/csp-report',
      { 'content-type': 'application/csp-report' },
      JSON.stringify(report),
    );
    expect(sent.status).toBe(204);
    expect(await count()).toBe(before + 1);
    const junk = await rawRequest(
      server.url,
      'POST',
      '/csp-report',
      { 'content-type': 'application/csp-report' },
      '{not json',
    );
    expect(junk.status).toBe(204);
    expect(await count()).toBe(before + 1);
    const csp = String((await rawRequest(server.url, 'GET', '/citizen/')).headers['content-security-policy']);
    expect(csp).toContain('report-uri /csp-report');
  });
});
