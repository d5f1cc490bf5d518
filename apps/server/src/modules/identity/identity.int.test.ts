import { createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { citizenOf } from '../../testing/citizen-client.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import {
  citizenRefOf,
  type IdentityDeps,
  identityDepsFrom,
  purgeIdentity,
  runIdentityRetention,
  startIdentityVerification,
  verifiedIdentity,
} from './identity.service.ts';

// Identity verification with the My Number card (issue 15, A-01) against the simulator's JPKI
// stand-in over real HTTP: the browser's part (the card page, the redirects) is done with fetch.

let w: LineWorld;
let deps: IdentityDeps;
let alice: Awaited<ReturnType<typeof citizenOf>>;
let bob: Awaited<ReturnType<typeof citizenOf>>;

beforeAll(async () => {
  w = await startLineWorld('2500000151', { identity: true });
  deps = identityDepsFrom({ config: w.server.config, cipher: createCipher(w.server.config.ENCRYPTION_KEY) });
  alice = await citizenOf(w, 'アリス');
  bob = await citizenOf(w, 'ボブ');
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const refOf = (c: { userId: string }) => citizenRefOf({ channel_id: w.channelId, line_user_id: c.userId });

async function start(
  c: { userId: string },
  opts: { level?: 'basic' | 'sign'; signText?: string; ref?: string } = {},
) {
  const ref = opts.ref ?? randomUUID();
  const s = await startIdentityVerification(w.server.db, deps, {
    purpose: 'application',
    ref,
    level: opts.level ?? 'basic',
    returnPath: '/citizen/applications/x?step=identity',
    citizenRef: refOf(c),
    ...(opts.signText ? { signText: opts.signText } : {}),
  });
  return { ...s, ref };
}

/** Opens the provider URL and answers the card page; returns the redirect (the callback URL). */
async function atProvider(url: string, answers: { identity?: string; pin?: string; action?: string }[]) {
  const page = await fetch(url, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  expect(request).toBeTruthy();
  let last: Response | undefined;
  for (const a of answers) {
    last = await fetch(new URL(url).href.split('?')[0]!, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        request: request!,
        identity: a.identity ?? 'hanako',
        pin: a.pin ?? '1234',
        action: a.action ?? 'submit',
      }),
    });
  }
  return last!;
}

/** The callback URL the provider sent the browser to, on the test server's real port. */
const onServer = (location: string) => {
  const u = new URL(location);
  expect(u.pathname).toBe('/api/citizen/identity/callback');
  return `${w.server.url}${u.pathname}${u.search}`;
};

async function callback(url: string, cookie?: string) {
  const r = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  expect(r.status).toBe(303);
  const loc = new URL(r.headers.get('location')!, 'http://x.invalid');
  return { path: loc.pathname, q: Object.fromEntries(loc.searchParams) };
}

async function fullFlow(
  c: typeof alice,
  answers: Parameters<typeof atProvider>[1] = [{}],
  opts: Parameters<typeof start>[1] = {},
) {
  const s = await start(c, opts);
  const r = await atProvider(s.url, answers);
  expect(r.status).toBe(302);
  const cb = onServer(r.headers.get('location')!);
  return { s, cb, back: await callback(cb, c.cookie) };
}

const row = (id: string) =>
  w.server.db.selectFrom('identity_verifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const simRequests = async () =>
  (
    (await w.sim$('GET', '/_sim/jpki/requests')) as {
      requests: {
        endpoint: string;
        params: Record<string, string>;
        status: number;
        error?: string;
        clientAssertion?: { header: Record<string, unknown>; claims: Record<string, unknown> };
      }[];
    }
  ).requests;

describe('A-01 identity verification through the JPKI stand-in', () => {
  it('verifies 平川 花子: attributes sealed in the database, returned only for the owning purpose and ref', async () => {
    const { s, back } = await fullFlow(alice);
    expect(back.path).toBe('/citizen/applications/x');
    expect(back.q).toEqual({ step: 'identity', identity: s.verificationId, identityStatus: 'verified' });
    const v = await verifiedIdentity(w.server.db, deps, {
      verificationId: s.verificationId,
      purpose: 'application',
      ref: s.ref,
    });
    expect(v).toMatchObject({
      name: '平川 花子',
      address: '平川市本町一丁目2番3号',
      birthdate: '1985-04-01',
      gender: '女',
      provider: 'digital-auth-app',
    });
    expect(v!.subject).toMatch(/^[0-9a-f]{64}$/);
    const r = await row(s.verificationId);
    expect(r.status).toBe('verified');
    const stored = JSON.stringify(r);
    for (const plain of ['平川 花子', '平川市', '1985-04-01']) expect(stored).not.toContain(plain);
    expect(r.attributes_enc).toMatch(/^v1\./);
    expect([r.nonce_enc, r.verifier_enc]).toEqual([null, null]); // one-time secrets gone
    expect(r.purge_after!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // object-level: another purpose or ref gets nothing
    expect(
      await verifiedIdentity(w.server.db, deps, {
        verificationId: s.verificationId,
        purpose: 'application',
        ref: randomUUID(),
      }),
    ).toBeNull();
    expect(
      await verifiedIdentity(w.server.db, deps, {
        verificationId: s.verificationId,
        purpose: 'other',
        ref: s.ref,
      }),
    ).toBeNull();
    expect(
      await verifiedIdentity(w.server.db, deps, {
        verificationId: 'not-a-uuid',
        purpose: 'application',
        ref: s.ref,
      }),
    ).toBeNull();
    // the audit entry names the verification, never the person
    const audit = await w.server.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'identity.verify')
      .where('target_id', '=', s.verificationId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('平川');
  });

  it('the adapter sends PKCE S256 and authenticates with private_key_jwt (iss = sub = client, aud = token endpoint)', async () => {
    await w.sim$('POST', '/_sim/jpki/reset');
    await fullFlow(alice);
    const log = await simRequests();
    const auth = log.find((r) => r.endpoint === 'authorize' && r.status === 200)!;
    const token = log.find((r) => r.endpoint === 'token' && r.status === 200)!;
    expect(auth.params.code_challenge_method).toBe('S256');
    expect(auth.params.scope!.split(' ').sort()).toEqual([
      'address',
      'birthdate',
      'gender',
      'name',
      'openid',
    ]);
    expect(auth.params.state!.length).toBeGreaterThanOrEqual(43);
    expect(auth.params.nonce).toBeTruthy();
    expect(createHash('sha256').update(token.params.code_verifier!).digest('base64url')).toBe(
      auth.params.code_challenge,
    );
    expect(token.params.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const { header, claims } = token.clientAssertion!;
    expect(header.alg).toBe('RS256');
    expect(claims.iss).toBe(w.identity!.clientId);
    expect(claims.sub).toBe(w.identity!.clientId);
    expect(claims.aud).toBe(`${w.identity!.issuer}/protocol/openid-connect/token`);
    expect(typeof claims.jti).toBe('string');
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(300);
    expect(token.params).not.toHaveProperty('client_secret');
  });

  it('the stand-in refuses a wrong PKCE verifier, a missing or replayed client assertion and a used code', async () => {
    const s = await start(alice);
    const r = await atProvider(s.url, [{}]);
    const code = new URL(r.headers.get('location')!).searchParams.get('code')!;
    const tokenUrl = `${w.identity!.issuer}/protocol/openid-connect/token`;
    const key = await importPKCS8(
      createPrivateKey(w.identity!.privateKeyPem).export({ format: 'pem', type: 'pkcs8' }).toString(),
      'RS256',
    );
    const assertion = (jti = randomUUID()) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(w.identity!.clientId)
        .setSubject(w.identity!.clientId)
        .setAudience(tokenUrl)
        .setJti(jti)
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(key);
    const post = async (form: Record<string, string>) => {
      const res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
      return { status: res.status, body: (await res.json()) as { error: string; error_description: string } };
    };
    const grant = { grant_type: 'authorization_code', code, redirect_uri: w.identity!.redirectUri };
    const noAuth = await post({ ...grant, code_verifier: 'a'.repeat(43), client_id: w.identity!.clientId });
    expect([noAuth.status, noAuth.body.error]).toEqual([401, 'invalid_client']);
    const jti = randomUUID();
    const wrong = await post({
      ...grant,
      code_verifier: 'b'.repeat(43),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(jti),
    });
    expect([wrong.status, wrong.body.error, wrong.body.error_description]).toEqual([
      400,
      'invalid_grant',
      'PKCE verification failed',
    ]);
    const replayedJti = await post({
      ...grant,
      code_verifier: 'b'.repeat(43),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(jti),
    });
    expect([replayedJti.status, replayedJti.body.error_description]).toEqual([
      401,
      'client_assertion jti was used before',
    ]);
    // the code was spent by the wrong verifier: our callback with it now fails at the exchange
    const back = await callback(onServer(r.headers.get('location')!), alice.cookie);
    expect(back.q).toMatchObject({ identityStatus: 'failed', identityError: 'provider_error' });
    expect((await row(s.verificationId)).failure_code).toBe('provider_error');
  });

  it('a replayed callback is refused and changes nothing', async () => {
    const { s, cb, back } = await fullFlow(alice);
    expect(back.q.identityStatus).toBe('verified');
    const again = await callback(cb, alice.cookie);
    expect(again.q).toMatchObject({
      identity: s.verificationId,
      identityStatus: 'failed',
      identityError: 'replayed',
    });
    expect((await row(s.verificationId)).status).toBe('verified');
  });

  it('a tampered or missing state is refused; the real one still works', async () => {
    const s = await start(alice);
    const r = await atProvider(s.url, [{}]);
    const cb = new URL(onServer(r.headers.get('location')!));
    const tampered = new URL(cb);
    tampered.searchParams.set('state', `${cb.searchParams.get('state')}x`);
    expect((await callback(tampered.href, alice.cookie)).q).toEqual({
      identityStatus: 'failed',
      identityError: 'state_invalid',
    });
    const none = new URL(cb);
    none.searchParams.delete('state');
    expect((await callback(none.href, alice.cookie)).q).toEqual({
      identityStatus: 'failed',
      identityError: 'state_invalid',
    });
    expect((await row(s.verificationId)).status).toBe('pending');
    expect((await callback(cb.href, alice.cookie)).q.identityStatus).toBe('verified');
  });

  it('another citizen session (or none) cannot use the callback; the owner still can', async () => {
    const s = await start(alice);
    const r = await atProvider(s.url, [{}]);
    const cb = onServer(r.headers.get('location')!);
    expect((await callback(cb, bob.cookie)).q).toMatchObject({
      identityStatus: 'failed',
      identityError: 'session_mismatch',
    });
    expect((await callback(cb)).q).toMatchObject({
      identityStatus: 'failed',
      identityError: 'session_mismatch',
    });
    expect((await row(s.verificationId)).status).toBe('pending');
    expect((await callback(cb, alice.cookie)).q.identityStatus).toBe('verified');
  });

  it('an ID token with another nonce, for another client (aud), from another issuer or expired is refused', async () => {
    await w.sim$('POST', '/_sim/jpki/faults', { idTokenNonce: 'not-the-nonce' });
    const n = await fullFlow(alice);
    expect(n.back.q).toMatchObject({ identityStatus: 'failed', identityError: 'nonce_mismatch' });
    await w.sim$('POST', '/_sim/jpki/faults', { idTokenAud: 'someone-else' });
    const a = await fullFlow(alice);
    expect(a.back.q).toMatchObject({ identityStatus: 'failed', identityError: 'id_token_invalid' });
    await w.sim$('POST', '/_sim/jpki/faults', { idTokenIss: 'https://evil.example' });
    const i = await fullFlow(alice);
    expect(i.back.q).toMatchObject({ identityStatus: 'failed', identityError: 'id_token_invalid' });
    await w.sim$('POST', '/_sim/jpki/faults', { idTokenExpired: true });
    const e = await fullFlow(alice);
    expect(e.back.q).toMatchObject({ identityStatus: 'failed', identityError: 'id_token_invalid' });
    for (const f of [n, a, i, e]) {
      const r = await row(f.s.verificationId);
      expect([r.status, r.attributes_enc]).toEqual(['failed', null]);
    }
  });

  it('wrong PIN three times locks the card (wrong_pin); expired and revoked certificates fail with their codes; cancel', async () => {
    await w.sim$('POST', '/_sim/jpki/reset');
    const s = await start(alice);
    const page = await fetch(s.url);
    const request = /name="request" value="([^"]+)"/.exec(await page.text())![1]!;
    const answer = (pin: string) =>
      fetch(s.url.split('?')[0]!, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request, identity: 'taro', pin, action: 'submit' }),
      });
    const first = await answer('0000');
    expect(first.status).toBe(400);
    const html = await first.text();
    expect(html).toContain('暗証番号が違います。あと2回');
    expect(html).toContain('aria-invalid="true"');
    expect(await (await answer('1111')).text()).toContain('あと1回');
    const third = await answer('2222');
    expect(third.status).toBe(302);
    const locked = await callback(onServer(third.headers.get('location')!), alice.cookie);
    expect(locked.q).toMatchObject({ identityStatus: 'failed', identityError: 'wrong_pin' });
    // the card stays locked, even with the right PIN
    const still = await fullFlow(alice, [{ identity: 'taro', pin: '1234' }]);
    expect(still.back.q.identityError).toBe('wrong_pin');

    const expired = await fullFlow(alice, [{ identity: 'kigen' }]);
    expect(expired.back.q).toMatchObject({ identityStatus: 'failed', identityError: 'certificate_expired' });
    const revoked = await fullFlow(alice, [{ identity: 'shikko' }]);
    expect(revoked.back.q).toMatchObject({ identityStatus: 'failed', identityError: 'certificate_revoked' });
    const canceled = await fullFlow(alice, [{ action: 'cancel' }]);
    expect(canceled.back.q).toEqual({
      step: 'identity',
      identity: canceled.s.verificationId,
      identityStatus: 'canceled',
    });
    expect((await row(canceled.s.verificationId)).status).toBe('canceled');
    const codes = await w.server.db
      .selectFrom('identity_verifications')
      .select('failure_code')
      .where('id', 'in', [expired.s.verificationId, revoked.s.verificationId])
      .execute();
    expect(codes.map((c) => c.failure_code).sort()).toEqual(['certificate_expired', 'certificate_revoked']);
    await w.sim$('POST', '/_sim/jpki/reset');
  });

  it('a state older than 10 minutes is refused', async () => {
    const s = await start(alice);
    const r = await atProvider(s.url, [{}]);
    await w.server.db
      .updateTable('identity_verifications')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', s.verificationId)
      .execute();
    const back = await callback(onServer(r.headers.get('location')!), alice.cookie);
    expect(back.q).toMatchObject({ identityStatus: 'failed', identityError: 'state_expired' });
  });

  it('signing: the text is signed with the card (level sign)', async () => {
    const text = '住民票の写しを1通申請します。';
    const { s, back } = await fullFlow(alice, [{}], { level: 'sign', signText: text });
    expect(back.q.identityStatus).toBe('verified');
    const v = await verifiedIdentity(w.server.db, deps, {
      verificationId: s.verificationId,
      purpose: 'application',
      ref: s.ref,
    });
    expect(v!.signature!.signedText).toBe(text);
    expect(v!.signature!.value.length).toBeGreaterThan(300);
    expect(v!.signature!.certificateSerial).toMatch(/^[0-9A-F]{16}$/);
    const log = await simRequests();
    const auth = log.filter((r) => r.endpoint === 'authorize' && r.status === 200).at(-1)!;
    expect(auth.params.scope!.split(' ')).toContain('sign');
    expect(auth.params.sign_transaction_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      log.some(
        (r) =>
          r.endpoint === 'sign-transactions' && r.status === 201 && r.params.digest_algorithm === 'SHA-256',
      ),
    ).toBe(true);
  });

  it('retention: the job deletes attributes past IDENTITY_RETENTION_DAYS; purgeIdentity deletes them at once', async () => {
    const a = await fullFlow(alice);
    const b = await fullFlow(alice);
    const later = new Date(Date.now() + (w.server.config.IDENTITY_RETENTION_DAYS + 1) * 86_400_000);
    const result = await runIdentityRetention(w.server.db, later);
    expect(result.purged).toBeGreaterThanOrEqual(2);
    expect((await row(a.s.verificationId)).attributes_enc).toBeNull();
    expect(
      await verifiedIdentity(w.server.db, deps, {
        verificationId: a.s.verificationId,
        purpose: 'application',
        ref: a.s.ref,
      }),
    ).toBeNull();
    const c = await fullFlow(alice);
    expect(await purgeIdentity(w.server.db, { purpose: 'application', ref: c.s.ref })).toBe(1);
    expect(
      await verifiedIdentity(w.server.db, deps, {
        verificationId: c.s.verificationId,
        purpose: 'application',
        ref: c.s.ref,
      }),
    ).toBeNull();
    expect(await purgeIdentity(w.server.db, { purpose: 'application', ref: c.s.ref })).toBe(0);
    expect((await row(b.s.verificationId)).purged_at).not.toBeNull();
  });
});

describe('bad input', () => {
  it('startIdentityVerification refuses a foreign return path, a bad purpose and sign without text', async () => {
    const base = {
      purpose: 'application',
      ref: 'r1',
      level: 'basic' as const,
      returnPath: '/citizen/a',
      citizenRef: refOf(alice),
    };
    for (const [patch, code] of [
      [{ returnPath: 'https://evil.example/citizen/' }, 'IDENTITY_INVALID_RETURN_PATH'],
      [{ returnPath: '//evil.example/citizen/' }, 'IDENTITY_INVALID_RETURN_PATH'],
      [{ returnPath: '/citizen/../api/x' }, 'IDENTITY_INVALID_RETURN_PATH'],
      [{ purpose: 'Application!' }, 'IDENTITY_INVALID_PURPOSE'],
      [{ ref: '' }, 'IDENTITY_INVALID_REF'],
      [{ level: 'sign' as const }, 'IDENTITY_INVALID_SIGN_TEXT'],
      [{ citizenRef: '' }, 'IDENTITY_INVALID_CITIZEN'],
    ] as const) {
      const err = await startIdentityVerification(w.server.db, deps, { ...base, ...patch }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(code);
    }
  });

  it('IDENTITY_PROVIDER=none: starting says not configured (503)', async () => {
    const none: IdentityDeps = { ...deps, provider: null };
    const err = await startIdentityVerification(w.server.db, none, {
      purpose: 'application',
      ref: 'r',
      level: 'basic',
      returnPath: '/citizen/a',
      citizenRef: refOf(alice),
    }).catch((e: unknown) => e as AppError);
    expect([(err as AppError).status, (err as AppError).code]).toEqual([503, 'IDENTITY_NOT_CONFIGURED']);
  });

  it('the callback refuses oversized parameters (400) and answers unknown ones with state_invalid', async () => {
    const long = await fetch(
      `${w.server.url}/api/citizen/identity/callback?state=${'a'.repeat(600)}&code=x`,
      { redirect: 'manual' },
    );
    expect(long.status).toBe(400);
    expect(((await long.json()) as { code: string }).code).toBeTruthy();
    const nul = await fetch(`${w.server.url}/api/citizen/identity/callback?state=a%00b`, {
      redirect: 'manual',
    });
    expect(nul.status).toBe(400);
    const error = await callback(
      `${w.server.url}/api/citizen/identity/callback?error=access_denied&state=${'z'.repeat(43)}`,
      alice.cookie,
    );
    expect(error.q).toEqual({ identityStatus: 'failed', identityError: 'state_invalid' });
  });

  it('the stand-in refuses bad client registrations and bad authorization requests', async () => {
    const reg = (body: unknown) =>
      fetch(`${w.sim.url}/_sim/jpki/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await reg({ clientId: 'x', redirectUris: ['http://a/'] })).status).toBe(400);
    expect(
      (
        await reg({
          clientId: 'x',
          jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' },
          redirectUris: ['http://a/'],
        })
      ).status,
    ).toBe(400);
    expect((await reg({ clientId: 'bad id', jwk: { kty: 'oct' }, redirectUris: [] })).status).toBe(400);
    const s = await start(alice);
    const u = new URL(s.url);
    const unknownClient = new URL(u);
    unknownClient.searchParams.set('client_id', 'nobody');
    expect((await fetch(unknownClient, { redirect: 'manual' })).status).toBe(400);
    const otherRedirect = new URL(u);
    otherRedirect.searchParams.set('redirect_uri', 'https://evil.example/cb');
    expect((await fetch(otherRedirect, { redirect: 'manual' })).status).toBe(400);
    const plain = new URL(u);
    plain.searchParams.set('code_challenge_method', 'plain');
    const r = await fetch(plain, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(new URL(r.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const noNonce = new URL(u);
    noNonce.searchParams.delete('nonce');
    expect(
      new URL((await fetch(noNonce, { redirect: 'manual' })).headers.get('location')!).searchParams.get(
        'error_description',
      ),
    ).toBe('nonce is required');
    const form = await fetch(u.href.split('?')[0]!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: 'nope', identity: 'hanako', pin: '1234' }),
    });
    expect(form.status).toBe(400);
  });
});
