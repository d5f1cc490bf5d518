import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Cipher, randomToken, sha256Hex } from '../../platform/crypto.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { createDigitalAuthAppProvider } from './digital-auth-app.adapter.ts';
import {
  claimVerification,
  expireStaleAttempts,
  findVerification,
  findVerificationByState,
  finishVerification,
  insertVerification,
  purgeAttributesOf,
  purgeDueAttributes,
} from './identity.repository.ts';
import type { IdentityFailureCode, IdentityLevel, IdentityProvider } from './identity-provider.ts';

// Identity verification with the My Number card (issue 15, A-01): the public API other modules
// call (applications: startIdentityVerification → the browser goes to the provider → our callback
// → verifiedIdentity; purgeIdentity when its own retention ends).
//
// How another module gets IdentityDeps: `identityDepsFrom(moduleDeps)` (or from `{ config, cipher }`)
// in its `register`; it returns one object per configuration (the provider adapter, with its
// discovery cache, is built once and shared with the identity module's own routes).
//
// The citizen: `citizenRef` is `citizenRefOf(session)` of the citizen session (requireCitizen) that
// starts the verification; the callback only completes for the same LINE user of the same channel.
//
// Personal data: the attributes are sealed with the server's key, never logged, never in audit
// entries, never sent to LINE; they leave this module only through verifiedIdentity, to the
// module that owns (purpose, ref).

export type { IdentityLevel } from './identity-provider.ts';

export interface VerifiedIdentity {
  name: string;
  address: string;
  birthdate: string; // YYYY-MM-DD
  gender: string;
  subject: string; // provider's sub (pairwise)
  provider: string;
  verifiedAt: string; // ISO
  signature?: { signedText: string; value: string; certificateSerial?: string };
}

export interface IdentityDeps {
  cipher: Cipher;
  /** null when IDENTITY_PROVIDER=none. */
  provider: IdentityProvider | null;
  publicUrl: string;
  retentionDays: number;
}

export type IdentityStatus = 'verified' | 'failed' | 'canceled';

/** How long the browser has at the provider. */
export const IDENTITY_STATE_MINUTES = 10;
export const IDENTITY_CALLBACK_PATH = '/api/citizen/identity/callback';
const PURPOSE = /^[a-z][a-z0-9_-]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const depsOf = new WeakMap<Config, IdentityDeps>();

/** The provider configured by IDENTITY_* (null for none). */
export function providerFromConfig(config: Config): IdentityProvider | null {
  if (config.IDENTITY_PROVIDER === 'none') return null;
  const issuer = config.IDENTITY_ISSUER!;
  return createDigitalAuthAppProvider({
    issuer,
    clientId: config.IDENTITY_CLIENT_ID!,
    privateKey: config.IDENTITY_PRIVATE_KEY!,
    allowHttp: config.NODE_ENV !== 'production' && new URL(issuer).protocol === 'http:',
  });
}

/** IdentityDeps for a module's register (one per configuration). */
export function identityDepsFrom(deps: { config: Config; cipher: Cipher }): IdentityDeps {
  let d = depsOf.get(deps.config);
  if (!d) {
    d = {
      cipher: deps.cipher,
      provider: providerFromConfig(deps.config),
      publicUrl: deps.config.PUBLIC_URL,
      retentionDays: deps.config.IDENTITY_RETENTION_DAYS,
    };
    depsOf.set(deps.config, d);
  }
  return d;
}

/** The citizenRef of a citizen session (citizen module's row): the channel and the LINE user. */
export const citizenRefOf = (s: { channel_id: string; line_user_id: string }) =>
  `line:${s.channel_id}:${s.line_user_id}`;

/** A same-origin citizen page path (no scheme, host, `//`, backslash or control characters). */
export function isCitizenReturnPath(p: string): boolean {
  return (
    p.length <= 500 &&
    p.startsWith('/citizen/') &&
    !p.includes('//') &&
    !p.includes('\\') &&
    !p.includes('..') &&
    ![...p].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
  );
}

/** returnPath with `identity`, `identityStatus` (and `identityError`) set. */
export function returnUrl(
  returnPath: string,
  p: { id: string | null; status: IdentityStatus; error?: IdentityFailureCode },
): string {
  const u = new URL(returnPath, 'http://same-origin.invalid');
  for (const k of ['identity', 'identityStatus', 'identityError']) u.searchParams.delete(k);
  if (p.id) u.searchParams.set('identity', p.id);
  u.searchParams.set('identityStatus', p.status);
  if (p.error && p.status === 'failed') u.searchParams.set('identityError', p.error);
  return `${u.pathname}${u.search}${u.hash}`;
}

const callbackUri = (deps: IdentityDeps) => `${deps.publicUrl.replace(/\/+$/, '')}${IDENTITY_CALLBACK_PATH}`;

export async function startIdentityVerification(
  db: Db,
  deps: IdentityDeps,
  input: {
    purpose: string;
    ref: string;
    level: IdentityLevel;
    returnPath: string;
    signText?: string;
    citizenRef: string;
  },
): Promise<{ verificationId: string; url: string }> {
  if (!PURPOSE.test(input.purpose)) badInput('IDENTITY_INVALID_PURPOSE', '目的の形式が正しくありません');
  if (!input.ref || input.ref.length > 200) badInput('IDENTITY_INVALID_REF', '対象の形式が正しくありません');
  if (input.level !== 'basic' && input.level !== 'sign')
    badInput('IDENTITY_INVALID_LEVEL', '本人確認の種類が正しくありません');
  if (!isCitizenReturnPath(input.returnPath))
    badInput('IDENTITY_INVALID_RETURN_PATH', '戻り先は市民向けページのパスにしてください');
  if (!input.citizenRef || input.citizenRef.length > 300)
    badInput('IDENTITY_INVALID_CITIZEN', '市民のセッションが正しくありません');
  if (input.level === 'sign' && (!input.signText || input.signText.length > 10_000))
    badInput('IDENTITY_INVALID_SIGN_TEXT', '署名する文書がありません');
  if (!deps.provider)
    throw new AppError(
      503,
      'IDENTITY_NOT_CONFIGURED',
      'マイナンバーカードによる本人確認は設定されていません',
    );
  const state = randomToken(32);
  let started: Awaited<ReturnType<IdentityProvider['start']>>;
  try {
    started = await deps.provider.start({
      level: input.level,
      state,
      redirectUri: callbackUri(deps),
      ...(input.level === 'sign' ? { signText: input.signText } : {}),
    });
  } catch {
    throw new AppError(
      503,
      'IDENTITY_PROVIDER_UNAVAILABLE',
      '本人確認のサービスに接続できません。しばらくしてからもう一度お試しください',
    );
  }
  const c = deps.cipher;
  const verificationId = await insertVerification(db, {
    purpose: input.purpose,
    ref: input.ref,
    level: input.level,
    provider: deps.provider.name,
    citizenRefHash: sha256Hex(input.citizenRef),
    stateHash: sha256Hex(state),
    nonceEnc: c.encrypt(started.nonce),
    verifierEnc: c.encrypt(started.codeVerifier),
    signTextEnc: input.level === 'sign' ? c.encrypt(input.signText ?? '') : null,
    signTransactionEnc: started.signTransaction ? c.encrypt(started.signTransaction) : null,
    returnPath: input.returnPath,
    expiresAt: new Date(Date.now() + IDENTITY_STATE_MINUTES * 60_000),
  });
  return { verificationId, url: started.url };
}

function badInput(code: string, message: string): never {
  throw badRequest(code, message);
}

interface SealedAttributes extends Omit<VerifiedIdentity, 'provider' | 'verifiedAt'> {}

export async function verifiedIdentity(
  db: Db,
  deps: IdentityDeps,
  input: { verificationId: string; purpose: string; ref: string },
): Promise<VerifiedIdentity | null> {
  if (!UUID.test(input.verificationId)) return null;
  const row = await findVerification(db, input.verificationId);
  if (!row || row.purpose !== input.purpose || row.ref !== input.ref) return null;
  if (row.status !== 'verified' || !row.attributes_enc || !row.completed_at) return null;
  const a = JSON.parse(deps.cipher.decrypt(row.attributes_enc)) as SealedAttributes;
  return { ...a, provider: row.provider, verifiedAt: row.completed_at.toISOString() };
}

export async function purgeIdentity(db: Db, input: { purpose: string; ref: string }): Promise<number> {
  const n = await purgeAttributesOf(db, input.purpose, input.ref);
  if (n > 0)
    await recordAudit(db, {
      accountId: null,
      loginId: 'system',
      ip: null,
      action: 'identity.purge',
      result: 'success',
      targetType: 'identity-verification',
      count: n,
      detail: { purpose: input.purpose, ref: input.ref },
    });
  return n;
}

/** The retention job: attributes past IDENTITY_RETENTION_DAYS, attempts abandoned at the provider. */
export async function runIdentityRetention(
  db: Db,
  now = new Date(),
): Promise<{ purged: number; expired: number }> {
  const purged = await purgeDueAttributes(db, now);
  const expired = await expireStaleAttempts(db, new Date(now.getTime() - 60 * 60_000));
  if (purged > 0)
    await recordAudit(db, {
      accountId: null,
      loginId: 'system',
      ip: null,
      action: 'identity.retention-purge',
      result: 'success',
      targetType: 'identity-verification',
      count: purged,
    });
  return { purged, expired };
}

export interface CallbackParams {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
  iss?: string | undefined;
  session_state?: string | undefined;
}

/**
 * The browser came back from the provider. Returns where to send it (always a citizen page; every
 * failure is a stable code there, never a 500). The state is single use and expires; only the
 * citizen session that started the verification can complete it; the code is exchanged once.
 */
export async function completeIdentityVerification(
  db: Db,
  deps: IdentityDeps,
  input: { params: CallbackParams; citizenRef: string | null; ip: string | null },
): Promise<{ location: string; status: IdentityStatus; code?: IdentityFailureCode }> {
  const { params } = input;
  const unknown = {
    location: returnUrl('/citizen/', { id: null, status: 'failed', error: 'state_invalid' }),
    status: 'failed' as const,
    code: 'state_invalid' as const,
  };
  if (!params.state || !deps.provider) return unknown;
  const row = await findVerificationByState(db, sha256Hex(params.state));
  if (!row || row.provider !== deps.provider.name) return unknown;
  const back = (status: IdentityStatus, code?: IdentityFailureCode) => ({
    location: returnUrl(row.return_path, { id: row.id, status, ...(code ? { error: code } : {}) }),
    status,
    ...(code ? { code } : {}),
  });
  // Another citizen (or none) cannot use (or spoil) this verification: the row stays as it is.
  if (!input.citizenRef || sha256Hex(input.citizenRef) !== row.citizen_ref_hash)
    return back('failed', 'session_mismatch');
  if (row.status !== 'pending') return back('failed', 'replayed');
  const audit = (status: IdentityStatus, code?: IdentityFailureCode) =>
    recordAudit(db, {
      accountId: null,
      loginId: null,
      ip: input.ip,
      action: status === 'verified' ? 'identity.verify' : 'identity.verify-failed',
      result: status === 'verified' ? 'success' : 'failure',
      targetType: 'identity-verification',
      targetId: row.id,
      detail: {
        purpose: row.purpose,
        ref: row.ref,
        provider: row.provider,
        level: row.level,
        ...(code ? { code } : {}),
      },
    });
  const fail = async (from: 'pending' | 'exchanging', code: IdentityFailureCode) => {
    const status: IdentityStatus = code === 'canceled' ? 'canceled' : 'failed';
    await finishVerification(db, row.id, {
      from,
      status,
      failureCode: code,
      attributesEnc: null,
      purgeAfter: null,
    });
    await audit(status, code);
    return back(status, status === 'failed' ? code : undefined);
  };
  if (row.expires_at.getTime() <= Date.now()) return fail('pending', 'state_expired');
  const claimed = await claimVerification(db, row.id);
  if (!claimed) return back('failed', 'replayed');
  const c = deps.cipher;
  const callbackUrl = new URL(callbackUri(deps));
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') callbackUrl.searchParams.set(k, v);
  let result: Awaited<ReturnType<IdentityProvider['complete']>>;
  try {
    result = await deps.provider.complete({
      callbackUrl,
      level: claimed.level,
      state: params.state,
      nonce: c.decrypt(claimed.nonce_enc ?? ''),
      codeVerifier: c.decrypt(claimed.verifier_enc ?? ''),
      ...(claimed.sign_text_enc ? { signText: c.decrypt(claimed.sign_text_enc) } : {}),
      ...(claimed.sign_transaction_enc ? { signTransaction: c.decrypt(claimed.sign_transaction_enc) } : {}),
    });
  } catch {
    result = { ok: false, code: 'provider_error' }; // an adapter never throws; a broken row might
  }
  if (!result.ok) return fail('exchanging', result.code);
  if (claimed.level === 'sign' && !result.claims.signature) return fail('exchanging', 'signature_missing');
  const sealed: SealedAttributes = result.claims;
  const purgeAfter = new Date(Date.now() + deps.retentionDays * 86_400_000);
  await finishVerification(db, row.id, {
    from: 'exchanging',
    status: 'verified',
    failureCode: null,
    attributesEnc: c.encrypt(JSON.stringify(sealed)),
    purgeAfter,
  });
  await audit('verified');
  return back('verified');
}
