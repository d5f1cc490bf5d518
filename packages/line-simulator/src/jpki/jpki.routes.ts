import {
  createHash,
  constants as cryptoConstants,
  privateEncrypt,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { publicBaseUrl, type SimContext } from '../context.ts';
import { badInput } from '../sim-errors.ts';
import { httpUrl, objectBody, requiredString } from '../sim-input.ts';
import { findIdentity, signingKeyOf } from './jpki-identities.ts';
import { authorizePage, errorPage } from './jpki-page.ts';
import { type AccessToken, type JpkiFaults, JpkiStore, PIN_TRIES } from './jpki-store.ts';

// A local stand-in for the Digital Agency's デジタル認証アプリ service (issue 15, A-01): an OpenID
// provider with the published shape — authorization code flow only, state, nonce and PKCE S256
// required, scopes openid/name/address/birthdate/gender/sign, client authentication by
// private_key_jwt only, and the sign-transactions API for signing — at paths like the real one
// (issuer `<base>/jpki/api/realms/main`, Keycloak-style `protocol/openid-connect/*`).
// The citizen's side (the app reading the card) is an HTML page: pick a test card, enter its PIN.
// Cases: correct PIN, wrong PIN (3 tries, then the card is locked), expired and revoked
// certificates, cancel. Failures go back to the client as `error=access_denied` with
// `error_description` = pin_locked | certificate_expired | certificate_revoked | cancel (the real
// service's descriptions are not published in what we read: an assumption the adapter shares).
//
// /_sim/jpki: register a client (client_id, public JWK, redirect URIs), read the request log
// (decoded client assertions, PKCE parameters), set faults for the next ID token, reset PIN locks.

const REALM = '/jpki/api/realms/main';
const OIDC = `${REALM}/protocol/openid-connect`;
const CODE_TTL_MS = 60_000;
const REQUEST_TTL_MS = 10 * 60_000;
const TOKEN_TTL_MS = 5 * 60_000;
const ASSERTION_MAX_LIFETIME_S = 10 * 60;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SCOPES = new Set(['openid', 'name', 'address', 'birthdate', 'gender', 'sign']);
// DER prefix of a SHA-256 DigestInfo (RFC 8017): RSASSA-PKCS1-v1_5 over a digest the client sent.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const b64url = (b: Buffer) => b.toString('base64url');

export function registerJpkiRoutes(app: FastifyInstance, ctx: SimContext): JpkiStore {
  const store = new JpkiStore();
  const keyP = (async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = {
      ...(await exportJWK(publicKey)),
      kid: `jpki-${randomBytes(4).toString('hex')}`,
      alg: 'RS256',
      use: 'sig',
    };
    return { privateKey, jwk };
  })();
  const issuerOf = (req: FastifyRequest) => `${publicBaseUrl(ctx, req)}${REALM}`;
  const oidcBase = (req: FastifyRequest) => `${publicBaseUrl(ctx, req)}${OIDC}`;

  const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
    reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });

  const redirectWith = (reply: FastifyReply, redirectUri: string, params: Record<string, string>) => {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return reply.redirect(u.href, 302);
  };

  app.get(`${REALM}/.well-known/openid-configuration`, async (req) => ({
    issuer: issuerOf(req),
    authorization_endpoint: `${oidcBase(req)}/auth`,
    token_endpoint: `${oidcBase(req)}/token`,
    userinfo_endpoint: `${oidcBase(req)}/userinfo`,
    jwks_uri: `${oidcBase(req)}/certs`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [...SCOPES],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'name',
      'address',
      'birthdate',
      'gender',
    ],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  }));

  app.get(`${OIDC}/certs`, async () => ({ keys: [(await keyP).jwk] }));

  // --- authorization endpoint: checks the request, shows the card page ---
  app.get(`${OIDC}/auth`, async (req, reply) => {
    store.sweep(ctx.now());
    const q = req.query as Record<string, string | undefined>;
    const params = Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    const record = (status: number, error?: string) =>
      store.record({ at: ctx.now(), endpoint: 'authorize', params, status, ...(error ? { error } : {}) });
    const client = q.client_id ? store.clients.get(q.client_id) : undefined;
    // Without a known client and one of its redirect URIs, nothing is sent back (RFC 6749 4.1.2.1).
    if (!client || !q.redirect_uri || !client.redirectUris.includes(q.redirect_uri)) {
      record(400, 'invalid client or redirect_uri');
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(errorPage('クライアントまたはリダイレクト URI が登録されていません'));
    }
    const back = (description: string) => {
      record(302, description);
      return redirectWith(reply, q.redirect_uri!, {
        error: 'invalid_request',
        error_description: description,
        ...(q.state ? { state: q.state } : {}),
        iss: issuerOf(req),
      });
    };
    if (q.response_type !== 'code') return back('response_type must be code');
    const scope = (q.scope ?? '').split(' ').filter(Boolean);
    if (!scope.includes('openid')) return back('scope must include openid');
    if (scope.some((s) => !SCOPES.has(s))) return back('unknown scope');
    if (!q.state || q.state.length > 255) return back('state is required');
    if (!q.nonce || q.nonce.length > 255) return back('nonce is required');
    if (!q.code_challenge || !/^[0-9a-zA-Z_-]{43,128}$/.test(q.code_challenge))
      return back('code_challenge is required');
    if (q.code_challenge_method !== 'S256') return back('code_challenge_method must be S256');
    let signDigest: string | undefined;
    if (scope.includes('sign')) {
      const tx = q.sign_transaction_id ? store.signTransactions.get(q.sign_transaction_id) : undefined;
      if (!tx || tx.clientId !== client.clientId) return back('sign_transaction_id is unknown');
      signDigest = tx.digest.toString('base64');
    }
    const id = randomUUID();
    store.requests.set(id, {
      id,
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      scope,
      state: q.state,
      nonce: q.nonce,
      codeChallenge: q.code_challenge,
      signTransactionId: scope.includes('sign') ? q.sign_transaction_id : undefined,
      expiresAt: ctx.now() + REQUEST_TTL_MS,
    });
    record(200);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        authorizePage({ requestId: id, clientName: client.clientId, ...(signDigest ? { signDigest } : {}) }),
      );
  });

  // --- the citizen's answer on the page ---
  app.post(`${OIDC}/auth`, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const request = typeof body.request === 'string' ? store.requests.get(body.request) : undefined;
    if (!request || request.expiresAt < ctx.now())
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(errorPage('この本人確認の依頼は期限が切れました。最初からやり直してください'));
    const finish = (params: Record<string, string>) => {
      store.requests.delete(request.id);
      return redirectWith(reply, request.redirectUri, {
        ...params,
        state: request.state,
        iss: issuerOf(req),
      });
    };
    const denied = (description: string) =>
      finish({ error: 'access_denied', error_description: description });
    if (body.action === 'cancel') return denied('cancel');
    const identity = typeof body.identity === 'string' ? findIdentity(body.identity) : undefined;
    const page = (error: string, status = 400) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(
          authorizePage({
            requestId: request.id,
            clientName: request.clientId,
            ...(identity ? { selected: identity.id } : {}),
            error,
          }),
        );
    if (!identity) return page('使うマイナンバーカードを選んでください');
    if ((store.pinFailures.get(identity.id) ?? 0) >= PIN_TRIES) return denied('pin_locked');
    const pin = typeof body.pin === 'string' ? body.pin : '';
    if (!/^[0-9]{4}$/.test(pin)) return page('暗証番号は数字4桁で入力してください');
    if (pin !== identity.pin) {
      const failures = (store.pinFailures.get(identity.id) ?? 0) + 1;
      store.pinFailures.set(identity.id, failures);
      if (failures >= PIN_TRIES) return denied('pin_locked');
      return page(`暗証番号が違います。あと${PIN_TRIES - failures}回間違えるとロックされます`);
    }
    store.pinFailures.delete(identity.id);
    if (identity.certificate === 'expired') return denied('certificate_expired');
    if (identity.certificate === 'revoked') return denied('certificate_revoked');
    if (request.signTransactionId) {
      const tx = store.signTransactions.get(request.signTransactionId);
      if (tx) {
        const key = signingKeyOf(identity.id);
        const sig = privateEncrypt(
          { key: key.privateKey, padding: cryptoConstants.RSA_PKCS1_PADDING },
          Buffer.concat([SHA256_DIGEST_INFO, tx.digest]),
        );
        tx.result = { identityId: identity.id, signature: sig.toString('base64') };
      }
    }
    const code = b64url(randomBytes(32));
    store.codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      identityId: identity.id,
      signTransactionId: request.signTransactionId,
      authTime: Math.floor(ctx.now() / 1000),
      expiresAt: ctx.now() + CODE_TTL_MS,
      used: false,
    });
    return finish({ code });
  });

  // --- client authentication: private_key_jwt only ---
  async function authenticateClient(req: FastifyRequest, form: Record<string, string>) {
    if (form.client_assertion_type !== JWT_BEARER || !form.client_assertion)
      return { error: 'client authentication must be private_key_jwt' } as const;
    let header: Record<string, unknown>;
    let unverified: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(form.client_assertion) as Record<string, unknown>;
      unverified = decodeJwt(form.client_assertion) as Record<string, unknown>;
    } catch {
      return { error: 'client_assertion is not a JWT' } as const;
    }
    const decoded = { header, claims: unverified };
    const clientId = form.client_id ?? (typeof unverified.iss === 'string' ? unverified.iss : '');
    const client = store.clients.get(clientId);
    if (!client) return { error: 'unknown client', decoded } as const;
    const tokenEndpoint = `${oidcBase(req)}/token`;
    try {
      const key = await importJWK(client.jwk, typeof header.alg === 'string' ? header.alg : undefined);
      const { payload } = await jwtVerify(form.client_assertion, key, {
        issuer: client.clientId,
        subject: client.clientId,
        audience: [tokenEndpoint, issuerOf(req)],
        requiredClaims: ['exp', 'jti'],
        algorithms: ['RS256', 'ES256'],
        currentDate: new Date(ctx.now()),
      });
      const now = Math.floor(ctx.now() / 1000);
      if (payload.exp! - now > ASSERTION_MAX_LIFETIME_S)
        return { error: 'client_assertion lives too long', decoded } as const;
      const jti = `${client.clientId}:${payload.jti}`;
      if (store.jtis.has(jti)) return { error: 'client_assertion jti was used before', decoded } as const;
      store.jtis.set(jti, payload.exp! * 1000);
      return { client, decoded } as const;
    } catch (err) {
      return { error: `client_assertion invalid: ${(err as Error).message}`, decoded } as const;
    }
  }

  const subjectOf = (clientId: string, identityId: string) =>
    createHash('sha256').update(`${clientId}\u0000${identityId}`).digest('hex');

  function attributeClaims(scope: string[], identityId: string) {
    const i = findIdentity(identityId)!;
    return {
      ...(scope.includes('name') ? { name: i.name } : {}),
      ...(scope.includes('address') ? { address: i.address } : {}),
      ...(scope.includes('birthdate') ? { birthdate: i.birthdate } : {}),
      ...(scope.includes('gender') ? { gender: i.gender } : {}),
    };
  }

  app.post(`${OIDC}/token`, async (req, reply) => {
    store.sweep(ctx.now());
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const form = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    const { client_assertion: _a, ...logged } = form;
    const fail = (
      status: number,
      error: string,
      description: string,
      decoded?: { header: Record<string, unknown>; claims: Record<string, unknown> },
    ) => {
      store.record({
        at: ctx.now(),
        endpoint: 'token',
        params: logged,
        ...(decoded ? { clientAssertion: decoded } : {}),
        status,
        error: description,
      });
      return oauthError(reply, status, error, description);
    };
    const auth = await authenticateClient(req, form);
    if ('error' in auth) return fail(401, 'invalid_client', auth.error!, auth.decoded);
    const { client, decoded } = auth;
    const issue = (t: AccessToken) => {
      const token = b64url(randomBytes(32));
      store.tokens.set(token, t);
      return token;
    };
    if (form.grant_type === 'client_credentials') {
      const scope = (form.scope ?? '').split(' ').filter(Boolean);
      if (scope.some((s) => s !== 'sign')) return fail(400, 'invalid_scope', 'only the sign scope', decoded);
      const access = issue({
        clientId: client.clientId,
        scope,
        identityId: null,
        signTransactionId: undefined,
        expiresAt: ctx.now() + TOKEN_TTL_MS,
      });
      store.record({
        at: ctx.now(),
        endpoint: 'token',
        params: logged,
        clientAssertion: decoded,
        status: 200,
      });
      return reply.header('cache-control', 'no-store').send({
        access_token: access,
        token_type: 'Bearer',
        expires_in: TOKEN_TTL_MS / 1000,
        scope: scope.join(' '),
      });
    }
    if (form.grant_type !== 'authorization_code')
      return fail(400, 'unsupported_grant_type', 'grant_type', decoded);
    const code = form.code ? store.codes.get(form.code) : undefined;
    if (!code || code.clientId !== client.clientId)
      return fail(400, 'invalid_grant', 'unknown code', decoded);
    if (code.used) {
      // A code used twice: refuse, and revoke what the first use got (RFC 6749 4.1.2).
      for (const [k, t] of store.tokens)
        if (t.identityId === code.identityId && t.clientId === code.clientId) store.tokens.delete(k);
      return fail(400, 'invalid_grant', 'code was already used', decoded);
    }
    code.used = true;
    if (code.expiresAt < ctx.now()) return fail(400, 'invalid_grant', 'code expired', decoded);
    if (form.redirect_uri !== code.redirectUri)
      return fail(400, 'invalid_grant', 'redirect_uri differs', decoded);
    const verifier = form.code_verifier ?? '';
    if (
      !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
      b64url(createHash('sha256').update(verifier).digest()) !== code.codeChallenge
    )
      return fail(400, 'invalid_grant', 'PKCE verification failed', decoded);
    const { privateKey, jwk } = await keyP;
    const now = Math.floor(ctx.now() / 1000);
    const faults = store.faults;
    store.faults = {};
    const idToken = await new SignJWT({
      nonce: faults.idTokenNonce ?? code.nonce,
      auth_time: code.authTime,
      ...attributeClaims(code.scope, code.identityId),
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .setIssuer(faults.idTokenIss ?? issuerOf(req))
      .setSubject(subjectOf(client.clientId, code.identityId))
      .setAudience(faults.idTokenAud ?? client.clientId)
      .setIssuedAt(faults.idTokenExpired ? now - 600 : now)
      .setExpirationTime(faults.idTokenExpired ? now - 60 : now + 300)
      .sign(privateKey);
    const access = issue({
      clientId: client.clientId,
      scope: code.scope,
      identityId: code.identityId,
      signTransactionId: code.signTransactionId,
      expiresAt: ctx.now() + TOKEN_TTL_MS,
    });
    store.record({ at: ctx.now(), endpoint: 'token', params: logged, clientAssertion: decoded, status: 200 });
    return reply.header('cache-control', 'no-store').send({
      access_token: access,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_MS / 1000,
      id_token: idToken,
      scope: code.scope.join(' '),
    });
  });

  const bearer = (req: FastifyRequest) => {
    const h = req.headers.authorization;
    const t = h?.startsWith('Bearer ') ? store.tokens.get(h.slice(7)) : undefined;
    return t && t.expiresAt > ctx.now() ? t : undefined;
  };

  app.get(`${OIDC}/userinfo`, async (req, reply) => {
    const t = bearer(req);
    if (!t?.identityId) {
      store.record({ at: ctx.now(), endpoint: 'userinfo', params: {}, status: 401 });
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer error="invalid_token"')
        .send({ error: 'invalid_token' });
    }
    store.record({ at: ctx.now(), endpoint: 'userinfo', params: {}, status: 200 });
    return { sub: subjectOf(t.clientId, t.identityId), ...attributeClaims(t.scope, t.identityId) };
  });

  // --- signing: a transaction for a digest (client credentials), its result (the user's token) ---
  app.post('/jpki/api/sign-transactions', async (req, reply) => {
    const t = bearer(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = { digest_algorithm: String(body.digest_algorithm ?? '') };
    if (!t || t.identityId !== null || !t.scope.includes('sign')) {
      store.record({ at: ctx.now(), endpoint: 'sign-transactions', params, status: 401 });
      return reply.code(401).send({ error: 'invalid_token' });
    }
    const digest = typeof body.digest === 'string' ? Buffer.from(body.digest, 'base64') : Buffer.alloc(0);
    if (body.digest_algorithm !== 'SHA-256' || digest.length !== 32) {
      store.record({ at: ctx.now(), endpoint: 'sign-transactions', params, status: 400 });
      return reply
        .code(400)
        .send({ error: 'invalid_request', error_description: 'digest must be a base64 SHA-256 digest' });
    }
    const id = randomUUID();
    store.signTransactions.set(id, { id, clientId: t.clientId, digest });
    store.record({ at: ctx.now(), endpoint: 'sign-transactions', params, status: 201 });
    return reply.code(201).send({ sign_transaction_id: id });
  });

  app.get('/jpki/api/sign-transactions/:id/result', async (req, reply) => {
    const { id } = req.params as { id: string };
    const t = bearer(req);
    const tx = store.signTransactions.get(id);
    const ok = t?.identityId && t.signTransactionId === id && tx?.result && tx.clientId === t.clientId;
    store.record({ at: ctx.now(), endpoint: 'sign-result', params: { id }, status: ok ? 200 : 404 });
    if (!ok || !tx?.result) return reply.code(404).send({ error: 'not_found' });
    const key = signingKeyOf(tx.result.identityId);
    return {
      sign_transaction_id: id,
      digest: tx.digest.toString('base64'),
      signature: tx.result.signature,
      certificate: {
        serial_number: key.serial,
        public_key: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      },
    };
  });

  // --- /_sim/jpki ---
  app.post('/_sim/jpki/clients', async (req, reply) => {
    const o = objectBody(req.body);
    const clientId = requiredString(o, 'clientId');
    if (!/^[0-9A-Za-z_.-]{1,255}$/.test(clientId))
      throw badInput('clientId must be 1–255 letters, digits, _ . -');
    const jwk = o.jwk as JWK | undefined;
    if (!jwk || typeof jwk !== 'object' || (jwk.kty !== 'RSA' && jwk.kty !== 'EC'))
      throw badInput('jwk must be an RSA or EC public JWK');
    if ('d' in jwk) throw badInput('jwk must be the public key (no "d")');
    try {
      await importJWK(jwk, jwk.kty === 'EC' ? 'ES256' : 'RS256');
    } catch {
      throw badInput('jwk is not a usable key');
    }
    const uris = o.redirectUris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.some((u) => typeof u !== 'string'))
      throw badInput('redirectUris must be a non-empty array of URLs');
    const redirectUris = (uris as string[]).map((u, i) => httpUrl(u, `redirectUris[${i}]`));
    store.clients.set(clientId, { clientId, jwk, redirectUris });
    return reply.code(201).send({ clientId, redirectUris, issuer: issuerOf(req) });
  });

  app.get('/_sim/jpki/requests', async () => ({ requests: store.log }));

  app.post('/_sim/jpki/faults', async (req) => {
    const o = objectBody(req.body ?? {});
    const faults: JpkiFaults = {};
    for (const k of ['idTokenAud', 'idTokenNonce', 'idTokenIss'] as const) {
      const v = o[k];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !v) throw badInput(`${k} must be a non-empty string`);
      faults[k] = v;
    }
    if (o.idTokenExpired !== undefined) {
      if (typeof o.idTokenExpired !== 'boolean') throw badInput('idTokenExpired must be a boolean');
      faults.idTokenExpired = o.idTokenExpired;
    }
    store.faults = faults;
    return { faults };
  });

  app.post('/_sim/jpki/reset', async () => {
    store.pinFailures.clear();
    store.log.length = 0;
    store.faults = {};
    return { reset: true };
  });

  return store;
}
