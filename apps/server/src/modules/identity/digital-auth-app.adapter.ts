import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { parsePrivateKey } from '../../config.ts';
import {
  basicAttributes,
  type IdentityFailureCode,
  type IdentityProvider,
  type ProviderResult,
} from './identity-provider.ts';

// The adapter for the Digital Agency's デジタル認証アプリ (auth-and-sign) API, with openid-client v6.
//
// What the Digital Agency publishes (developers.digital.go.jp/documents/auth-and-sign/, read
// 2026-12) and this follows:
// - OpenID Connect authorization code flow; response_type=code only; state, nonce and PKCE with
//   code_challenge_method=S256 are all required at the authorization endpoint.
// - scopes: `openid` (required), `name`, `address`, `birthdate`, `gender` (the four basic
//   attributes, 基本4情報) and `sign` (required for signing).
// - client IDs are issued by the Digital Agency; clients authenticate at the token endpoint with a
//   JWT signed by their own key (private_key_jwt; the published samples put iss = sub = client_id,
//   aud = the token endpoint URL, a jti and a short exp — done here with openid-client's
//   PrivateKeyJwt, aud set to the token endpoint).
// - signing: a sign transaction is started with a client-credentials token (POST
//   …/api/sign-transactions with the SHA-256 digest of the text), its id goes to the authorization
//   request as `sign_transaction_id`, and after the code exchange the result is read with the
//   user's access token (GET …/api/sign-transactions/{id}/result).
// Where we had to assume (not found in what is published, or not read):
// - the attribute claim names are the standard OIDC ones (`name`, `address` as a string or the
//   standard object's `formatted`, `birthdate` YYYY-MM-DD, `gender`) and they come in the ID
//   token or, when absent there, from the userinfo endpoint (both are read);
// - the sign-transactions API is at `<origin>/api/sign-transactions` beside the issuer
//   `<origin>/api/realms/<realm>` (else `<issuer>/sign-transactions`); its request body is
//   `{ digest, digest_algorithm }` and the result JSON `{ signature, certificate: { serial_number } }`
//   (the real result is said to be a JWE: decrypting it with our key is NOT implemented);
// - failures at the provider come back as `error=access_denied` with an `error_description` naming
//   the reason (`wrong_pin`/`pin_locked`, `certificate_expired`, `certificate_revoked`, `cancel`).

export const DIGITAL_AUTH_APP = 'digital-auth-app';

export interface DigitalAuthAppOptions {
  issuer: string;
  clientId: string;
  /** PEM or JWK (config IDENTITY_PRIVATE_KEY). */
  privateKey: string;
  /** http issuer (the local stand-in); config allows it only for localhost outside production. */
  allowHttp: boolean;
}

const BASIC_SCOPES = ['openid', 'name', 'address', 'birthdate', 'gender'];

async function clientKey(text: string): Promise<{ key: CryptoKey; kid: string; alg: string }> {
  const jwk = parsePrivateKey(text).export({ format: 'jwk' }) as JWK;
  const alg = jwk.kty === 'EC' ? 'ES256' : 'RS256';
  const key = (await importJWK(jwk, alg)) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return { key, kid: await calculateJwkThumbprint(pub), alg };
}

/** The sign-transactions API beside the issuer (see the assumptions above). */
export function signTransactionsUrl(issuer: string): string {
  const u = new URL(issuer);
  const m = /^(.*)\/realms\/[^/]+\/?$/.exec(u.pathname);
  return `${u.origin}${m ? m[1] : u.pathname.replace(/\/$/, '')}/sign-transactions`;
}

/** error / error_description at the redirect → our stable code. */
export function providerErrorCode(error: string, description: string | null): IdentityFailureCode {
  const d = (description ?? '').toLowerCase();
  if (/cancel/.test(d) || error === 'user_cancel') return 'canceled';
  if (/pin/.test(d)) return 'wrong_pin';
  if (/expired/.test(d)) return 'certificate_expired';
  if (/revoked/.test(d)) return 'certificate_revoked';
  return 'provider_error';
}

/** An openid-client error → our stable code. */
export function clientErrorCode(err: unknown): IdentityFailureCode {
  if (err instanceof oidc.AuthorizationResponseError)
    return providerErrorCode(err.error, err.error_description ?? null);
  if (err instanceof oidc.ResponseBodyError) return 'provider_error'; // e.g. invalid_grant (code used, verifier wrong)
  if (err instanceof oidc.ClientError) {
    const claim = (err.cause as { cause?: { claim?: string } } | undefined)?.cause?.claim;
    if (err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'nonce') return 'nonce_mismatch';
    if (err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'state') return 'state_invalid';
    if (err.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') return 'state_invalid';
    if (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err.code === 'OAUTH_RESPONSE_IS_NOT_JSON')
      return 'provider_error';
    return 'id_token_invalid';
  }
  if (err instanceof TypeError) return 'provider_unavailable'; // fetch failed
  return 'provider_error';
}

export function createDigitalAuthAppProvider(opts: DigitalAuthAppOptions): IdentityProvider {
  const keyP = clientKey(opts.privateKey);
  let configP: Promise<oidc.Configuration> | null = null;
  // Discovery once per process (again after a failure).
  const configuration = () => {
    configP ??= (async () => {
      const { key, kid } = await keyP;
      let tokenEndpoint: string | undefined;
      const auth = oidc.PrivateKeyJwt(
        { key, kid },
        {
          [oidc.modifyAssertion]: (_header, payload) => {
            if (tokenEndpoint) payload.aud = tokenEndpoint;
          },
        },
      );
      const config = await oidc.discovery(
        new URL(opts.issuer),
        opts.clientId,
        undefined,
        auth,
        opts.allowHttp ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      );
      tokenEndpoint = config.serverMetadata().token_endpoint;
      return config;
    })().catch((err) => {
      configP = null;
      throw err;
    });
    return configP;
  };
  const signUrl = signTransactionsUrl(opts.issuer);

  async function startSignTransaction(config: oidc.Configuration, text: string): Promise<string> {
    const token = await oidc.clientCredentialsGrant(config, { scope: 'sign' });
    const digest = createHash('sha256').update(text, 'utf8').digest('base64');
    const r = await oidc.fetchProtectedResource(
      config,
      token.access_token,
      new URL(signUrl),
      'POST',
      JSON.stringify({ digest, digest_algorithm: 'SHA-256' }),
      new Headers({ 'content-type': 'application/json' }),
    );
    if (r.status !== 200 && r.status !== 201) throw new Error(`sign transaction: HTTP ${r.status}`);
    const body = (await r.json()) as { sign_transaction_id?: string; id?: string };
    const id = body.sign_transaction_id ?? body.id;
    if (typeof id !== 'string' || !id) throw new Error('sign transaction: no id');
    return id;
  }

  return {
    name: DIGITAL_AUTH_APP,
    async start({ level, state, redirectUri, signText }) {
      const config = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const signTransaction =
        level === 'sign' ? await startSignTransaction(config, signText ?? '') : undefined;
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: [...BASIC_SCOPES, ...(level === 'sign' ? ['sign'] : [])].join(' '),
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        ...(signTransaction ? { sign_transaction_id: signTransaction } : {}),
      });
      return { url: url.href, nonce, codeVerifier, ...(signTransaction ? { signTransaction } : {}) };
    },

    async complete(input): Promise<ProviderResult> {
      const error = input.callbackUrl.searchParams.get('error');
      if (error)
        return {
          ok: false,
          code: providerErrorCode(error, input.callbackUrl.searchParams.get('error_description')),
        };
      try {
        const config = await configuration();
        // Checks state, PKCE (the verifier goes to the token endpoint), the ID token's signature,
        // iss, aud (= our client ID), exp/iat and nonce.
        const tokens = await oidc.authorizationCodeGrant(config, input.callbackUrl, {
          pkceCodeVerifier: input.codeVerifier,
          expectedState: input.state,
          expectedNonce: input.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) return { ok: false, code: 'id_token_invalid' };
        let attrs = basicAttributes(idClaims);
        if (!attrs) {
          const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
          attrs = basicAttributes(info);
        }
        if (!attrs) return { ok: false, code: 'attributes_missing' };
        let signature: { signedText: string; value: string; certificateSerial?: string } | undefined;
        if (input.level === 'sign') {
          if (!input.signTransaction) return { ok: false, code: 'signature_missing' };
          const r = await oidc.fetchProtectedResource(
            config,
            tokens.access_token,
            new URL(`${signUrl}/${encodeURIComponent(input.signTransaction)}/result`),
            'GET',
          );
          if (r.status !== 200) return { ok: false, code: 'signature_missing' };
          const body = (await r.json()) as { signature?: unknown; certificate?: { serial_number?: unknown } };
          if (typeof body.signature !== 'string' || !body.signature)
            return { ok: false, code: 'signature_missing' };
          const serial = body.certificate?.serial_number;
          signature = {
            signedText: input.signText ?? '',
            value: body.signature,
            ...(typeof serial === 'string' ? { certificateSerial: serial } : {}),
          };
        }
        return { ok: true, claims: { ...attrs, subject: idClaims.sub, ...(signature ? { signature } : {}) } };
      } catch (err) {
        return {
          ok: false,
          code: clientErrorCode(err),
          detail: err instanceof Error ? err.message : String(err),
        };
      }
    },
  };
}
