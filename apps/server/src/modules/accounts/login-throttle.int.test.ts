import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../platform/auth/totp.ts';
import { createRuntime } from '../../runtime.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// Sign-in throttling per (login ID, source address) with backoff, a per-account ceiling and a
// per-address failure limit (S-08, S-04); see login-throttle.rules.ts. The source address is
// set through X-Forwarded-For from the trusted test client.

const MAX = 3; // LOGIN_MAX_FAILURES in this file; the per-account ceiling is 10 × MAX = 30.
let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let nextAddress = 1;
/** A source address no other test uses. */
const newAddress = () => {
  const n = nextAddress++;
  return `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
};

async function login(
  url: string,
  loginId: string,
  password: string,
  ip: string,
  totp?: string,
): Promise<{ status: number; code?: string; message?: string; retryAfter: string | null; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ loginId, password, ...(totp ? { totpCode: totp } : {}) }),
  });
  const body = (await res.json()) as { code?: string; message?: string };
  return {
    status: res.status,
    code: body.code,
    message: body.message,
    retryAfter: res.headers.get('retry-after'),
    ms: performance.now() - started,
  };
}
const signIn = (loginId: string, password: string, ip: string, totp?: string) =>
  login(server.url, loginId, password, ip, totp);
/** What an attacker can compare: everything but the timing. */
const answer = (r: Awaited<ReturnType<typeof signIn>>) => ({
  status: r.status,
  code: r.code,
  message: r.message,
  retryAfter: r.retryAfter,
});

beforeAll(async () => {
  server = await startTestServer({
    TRUSTED_PROXIES: '127.0.0.1/32',
    LOGIN_MAX_FAILURES: String(MAX),
    LOGIN_LOCK_MINUTES: '15',
  });
  const a = await createStaff(server.db, 'admin', 'throttle-admin');
  admin = await staffClient(server, a.loginId, undefined, { 'x-forwarded-for': '192.0.2.250' });
});
afterAll(async () => server?.close());

describe('sign-in throttling without login ID enumeration (S-08, S-04)', () => {
  it('S-08: an unknown login ID and a real one get the same answers, failure by failure, and the same wait', async () => {
    const s = await createStaff(server.db, 'general');
    const [knownAt, unknownAt] = [newAddress(), newAddress()];
    const known: ReturnType<typeof answer>[] = [];
    const unknown: ReturnType<typeof answer>[] = [];
    for (let i = 0; i < MAX + 2; i++) {
      known.push(answer(await signIn(s.loginId, 'wrong-password', knownAt)));
      unknown.push(answer(await signIn('no-such-staff', 'wrong-password', unknownAt)));
    }
    expect(known).toEqual(unknown);
    expect(known.slice(0, MAX).map((a) => [a.status, a.code])).toEqual(
      Array(MAX).fill([401, 'INVALID_CREDENTIALS']),
    );
    expect(known[MAX]).toMatchObject({ status: 429, code: 'LOGIN_THROTTLED' });
    expect(known[MAX]?.message).toMatch(/しばらくログインできません/);
    expect(Number(known[MAX]?.retryAfter)).toBeGreaterThan(50);
    expect(Number(known[MAX]?.retryAfter)).toBeLessThanOrEqual(60);
    // The right password while held back gets the very same answer: it is not even checked.
    const right = answer(await signIn(s.loginId, s.password, knownAt));
    expect({ ...right, retryAfter: null }).toEqual({ ...known[MAX], retryAfter: null });
  });

  it('S-08: an attacker throttled at one address does not lock the real user out at another', async () => {
    const s = await createStaff(server.db, 'admin');
    const attacker = newAddress();
    for (let i = 0; i < MAX + 3; i++) await signIn(s.loginId, `guess-${i}`, attacker);
    expect((await signIn(s.loginId, s.password, attacker)).code).toBe('LOGIN_THROTTLED');
    expect((await signIn(s.loginId, s.password, newAddress())).status).toBe(200);
    // A success elsewhere does not release the attacker's address.
    expect((await signIn(s.loginId, s.password, attacker)).code).toBe('LOGIN_THROTTLED');
  });

  it('S-08, S-04: 30 staff behind one NAT address all sign in within a minute while one of them mistyped 5 times', async () => {
    const office = newAddress();
    const staff = [];
    for (let i = 0; i < 30; i++) staff.push(await createStaff(server.db, i % 3 ? 'general' : 'counselor'));
    const clumsy = staff[7]!;
    const clumsyAnswers: number[] = [];
    for (let i = 0; i < 5; i++)
      clumsyAnswers.push((await signIn(clumsy.loginId, `typo-${i}`, office)).status);
    expect(clumsyAnswers).toEqual([401, 401, 401, 429, 429]);
    const statuses: number[] = [];
    for (let i = 0; i < staff.length; i += 5) {
      const batch = staff.slice(i, i + 5).filter((s) => s !== clumsy);
      statuses.push(
        ...(await Promise.all(batch.map((s) => signIn(s.loginId, s.password, office)))).map((r) => r.status),
      );
    }
    expect(statuses).toEqual(Array(29).fill(200));
    // Still inside the one who mistyped's minute of backoff: they wait at the office, or sign in
    // elsewhere, while everyone else got in.
    expect((await signIn(clumsy.loginId, clumsy.password, office)).code).toBe('LOGIN_THROTTLED');
    await server.db
      .updateTable('login_throttles')
      .set({ blocked_until: new Date(Date.now() - 1000) })
      .where('login_id', '=', clumsy.loginId)
      .execute();
    expect((await signIn(clumsy.loginId, clumsy.password, office)).status).toBe(200);
  });

  it('S-04: the per-address limit counts failures, not successes', async () => {
    const nat = newAddress();
    const a = await createStaff(server.db, 'general');
    const b = await createStaff(server.db, 'general');
    // More correct sign-ins than the limit of 60 failures: all pass.
    for (let i = 0; i < 35; i++) {
      const [ra, rb] = await Promise.all([
        signIn(a.loginId, a.password, nat),
        signIn(b.loginId, b.password, nat),
      ]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
    }
    // 60 failures, each for another login ID (so no per-ID backoff applies), then the address waits.
    const failures: number[] = [];
    for (let i = 0; i < 60; i++) failures.push((await signIn(`sprayed-${i}`, 'Password1', nat)).status);
    expect(failures).toEqual(Array(60).fill(401));
    const limited = await signIn(a.loginId, a.password, nat);
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(600);
    expect((await signIn(a.loginId, a.password, newAddress())).status).toBe(200);
  });

  it('S-08: each further failure after the wait doubles it (1, 2, 4 minutes); a success starts over', async () => {
    const s = await createStaff(server.db, 'general');
    const ip = newAddress();
    const expire = () =>
      server.db
        .updateTable('login_throttles')
        .set({ blocked_until: new Date(Date.now() - 1000) })
        .where('login_id', '=', s.loginId)
        .where('ip', '=', ip)
        .execute();
    for (let i = 0; i < MAX; i++) await signIn(s.loginId, 'wrong', ip);
    const waits = [Number((await signIn(s.loginId, 'wrong', ip)).retryAfter)];
    for (let i = 0; i < 2; i++) {
      await expire();
      expect((await signIn(s.loginId, 'wrong', ip)).status).toBe(401);
      waits.push(Number((await signIn(s.loginId, 'wrong', ip)).retryAfter));
    }
    expect(waits.map((w) => Math.round(w / 60))).toEqual([1, 2, 4]);
    await expire();
    expect((await signIn(s.loginId, s.password, ip)).status).toBe(200);
    for (let i = 0; i < MAX; i++) expect((await signIn(s.loginId, 'wrong', ip)).status).toBe(401);
    expect(Number((await signIn(s.loginId, 'wrong', ip)).retryAfter)).toBeLessThanOrEqual(60);
  });

  it('S-08: parallel guesses cannot slip past the limit', async () => {
    const s = await createStaff(server.db, 'general');
    const ip = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(s.loginId, `parallel-${i}`, ip)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((x) => x === 401)).toHaveLength(MAX);
    expect(statuses.filter((x) => x === 429)).toHaveLength(12 - MAX);
  });

  it('S-04: guessing from many addresses hits the per-account ceiling; known addresses still sign in; unknown IDs alike', async () => {
    const s = await createStaff(server.db, 'general');
    const home = newAddress();
    expect((await signIn(s.loginId, s.password, home)).status).toBe(200);
    const botnet = Array.from({ length: 10 }, newAddress);
    for (const ip of botnet) {
      for (let i = 0; i < MAX; i++) {
        expect((await signIn(s.loginId, `spray-${i}`, ip)).status).toBe(401);
        expect((await signIn('ghost-account', `spray-${i}`, ip)).status).toBe(401);
      }
    }
    // 30 failures in the hour: new addresses are held back, for the real ID and the unknown one alike.
    const fresh = newAddress();
    const real = answer(await signIn(s.loginId, s.password, fresh));
    const ghost = answer(await signIn('ghost-account', s.password, fresh));
    expect(real).toMatchObject({ status: 429, code: 'LOGIN_THROTTLED' });
    // The same answer; the wait is counted in whole seconds, so two requests may straddle a second.
    expect({ ...ghost, retryAfter: null }).toEqual({ ...real, retryAfter: null });
    expect(Math.abs(Number(ghost.retryAfter) - Number(real.retryAfter))).toBeLessThanOrEqual(1);
    expect(Number(real.retryAfter)).toBeGreaterThan(50 * 60);
    // The address the account signed in from before is not held back by the ceiling.
    expect((await signIn(s.loginId, s.password, home)).status).toBe(200);

    const accounts = (await (await admin.request('GET', '/api/accounts')).json()) as {
      id: string;
      locked: boolean;
      lockedUntil: string | null;
    }[];
    const row = accounts.find((x) => x.id === s.id)!;
    expect(row.locked).toBe(true);
    expect(new Date(row.lockedUntil!).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect((await admin.request('POST', `/api/accounts/${s.id}/unlock`)).status).toBe(204);
    expect((await signIn(s.loginId, s.password, fresh)).status).toBe(200);
  });

  it('S-08: an admin unlocks a held-back account (accounts.manage, CSRF, audited); the list shows it as locked until then', async () => {
    const s = await createStaff(server.db, 'general');
    const ip = newAddress();
    for (let i = 0; i < MAX; i++) await signIn(s.loginId, 'wrong', ip);
    const listed = async () =>
      (
        (await (await admin.request('GET', '/api/accounts')).json()) as { id: string; locked: boolean }[]
      ).find((x) => x.id === s.id);
    expect((await listed())?.locked).toBe(true);

    const general = await createStaff(server.db, 'general');
    const generalClient = await staffClient(server, general.loginId, undefined, {
      'x-forwarded-for': newAddress(),
    });
    expect((await generalClient.request('POST', `/api/accounts/${s.id}/unlock`)).status).toBe(403);
    const forged = await admin.request('POST', `/api/accounts/${s.id}/unlock`, undefined, {
      'x-csrf-token': 'x',
    });
    expect(forged.status).toBe(403);
    expect((await signIn(s.loginId, s.password, ip)).code).toBe('LOGIN_THROTTLED');

    expect(
      (await admin.request('POST', '/api/accounts/00000000-0000-4000-8000-000000000000/unlock')).status,
    ).toBe(404);
    expect((await admin.request('POST', `/api/accounts/${s.id}/unlock`)).status).toBe(204);
    expect((await listed())?.locked).toBe(false);
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['login_id', 'target_id'])
      .where('action', '=', 'account.unlock')
      .where('result', '=', 'success')
      .where('target_id', '=', s.id)
      .execute();
    expect(audit).toEqual([{ login_id: 'throttle-admin', target_id: s.id }]);
    expect((await signIn(s.loginId, s.password, ip)).status).toBe(200);
  });

  it('S-08: a missing TOTP code is not a failure; wrong TOTP codes are', async () => {
    const s = await createStaff(server.db, 'general');
    const ip = newAddress();
    const client = await staffClient(server, s.loginId, undefined, { 'x-forwarded-for': ip });
    const { secret } = (await (await client.request('POST', '/api/session/totp/setup')).json()) as {
      secret: string;
    };
    expect(
      (await client.request('POST', '/api/session/totp/enable', { code: totpCode(secret) })).status,
    ).toBe(204);
    for (let i = 0; i < MAX + 2; i++)
      expect((await signIn(s.loginId, s.password, ip)).code).toBe('TOTP_REQUIRED');
    for (let i = 0; i < MAX; i++)
      expect((await signIn(s.loginId, s.password, ip, '000000')).code).toBe('INVALID_TOTP');
    expect((await signIn(s.loginId, s.password, ip, totpCode(secret))).code).toBe('LOGIN_THROTTLED');
  });

  it('S-08: the throttle holds across server processes (state in PostgreSQL)', async () => {
    const other = await createRuntime(server.config, { workers: false });
    try {
      const otherUrl = await other.app.listen({ host: '127.0.0.1', port: 0 });
      const s = await createStaff(server.db, 'general');
      const ip = newAddress();
      for (let i = 0; i < MAX; i++) {
        const url = i % 2 ? otherUrl : server.url;
        expect((await login(url, s.loginId, 'wrong', ip)).status).toBe(401);
      }
      expect((await login(otherUrl, s.loginId, s.password, ip)).code).toBe('LOGIN_THROTTLED');
      expect((await login(server.url, s.loginId, s.password, ip)).code).toBe('LOGIN_THROTTLED');
    } finally {
      await other.close();
    }
  });
});
