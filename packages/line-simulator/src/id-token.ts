import { createHmac, timingSafeEqual } from 'node:crypto';

// LINE Login ID tokens: HS256 JWTs signed with the login channel's secret.

export const ID_TOKEN_ISSUER = 'https://access.line.me';
export const ID_TOKEN_TTL_S = 3600;

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nonce?: string;
  amr?: string[];
  name?: string;
  picture?: string;
  [claim: string]: unknown;
}

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function signIdToken(claims: IdTokenClaims, secret: string): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export function issueIdToken(opts: {
  userId: string;
  loginChannelId: string;
  secret: string;
  nowMs: number;
  name?: string;
  picture?: string;
  nonce?: string;
}): string {
  const iat = Math.floor(opts.nowMs / 1000);
  const claims: IdTokenClaims = {
    iss: ID_TOKEN_ISSUER,
    sub: opts.userId,
    aud: opts.loginChannelId,
    exp: iat + ID_TOKEN_TTL_S,
    iat,
    amr: ['linesso'],
  };
  if (opts.nonce) claims.nonce = opts.nonce;
  if (opts.name) claims.name = opts.name;
  if (opts.picture) claims.picture = opts.picture;
  return signIdToken(claims, opts.secret);
}

/** Decodes without verifying; undefined when the token is not a well-formed JWT. */
export function decodeIdToken(
  token: string,
): { header: Record<string, unknown>; claims: IdTokenClaims } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as IdTokenClaims;
    if (typeof claims !== 'object' || claims === null) return undefined;
    return { header, claims };
  } catch {
    return undefined;
  }
}

export function hasValidSignature(token: string, secret: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const expected = Buffer.from(
    createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url'),
  );
  const actual = Buffer.from(parts[2]!);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export type VerifyFailure =
  | 'IdToken expired.'
  | 'Invalid IdToken.'
  | 'Invalid IdToken Audience.'
  | 'Invalid IdToken Nonce.'
  | 'Invalid IdToken Subject Identifier.';

/**
 * Verifies as LINE's POST /oauth2/v2.1/verify does. `secretFor` gives the secret of a login channel
 * (the token's `aud`), undefined when no such channel exists.
 */
export function verifyIdToken(
  token: string,
  opts: {
    clientId: string;
    nonce?: string | undefined;
    userId?: string | undefined;
    nowMs: number;
    secretFor: (loginChannelId: string) => string | undefined;
  },
): { ok: true; claims: IdTokenClaims } | { ok: false; error: VerifyFailure } {
  const decoded = decodeIdToken(token);
  if (decoded?.header.alg !== 'HS256') return { ok: false, error: 'Invalid IdToken.' };
  const { claims } = decoded;
  const secret = typeof claims.aud === 'string' ? opts.secretFor(claims.aud) : undefined;
  if (!secret || !hasValidSignature(token, secret) || claims.iss !== ID_TOKEN_ISSUER) {
    return { ok: false, error: 'Invalid IdToken.' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= opts.nowMs)
    return { ok: false, error: 'IdToken expired.' };
  if (claims.aud !== opts.clientId) return { ok: false, error: 'Invalid IdToken Audience.' };
  if (opts.nonce !== undefined && claims.nonce !== opts.nonce)
    return { ok: false, error: 'Invalid IdToken Nonce.' };
  if (opts.userId !== undefined && claims.sub !== opts.userId) {
    return { ok: false, error: 'Invalid IdToken Subject Identifier.' };
  }
  return { ok: true, claims };
}
