// The identity-provider interface (issue 15, A-01). The service (identity.service.ts) knows only
// this: build the provider URL for a level, then turn the browser's return into verified claims or
// a stable failure code. Everything provider-specific (endpoints, scopes, claim names, client
// authentication, error mapping) lives in an adapter (digital-auth-app.adapter.ts).

export type IdentityLevel = 'basic' | 'sign'; // 'sign' = the four basic attributes + signing

/** Stable failure codes (the `identityError` query parameter and the row's failure_code). */
export const IDENTITY_FAILURE_CODES = [
  'wrong_pin', // the PIN was entered wrong until the card locked it (the provider says so)
  'certificate_expired',
  'certificate_revoked',
  'canceled', // the citizen stopped at the provider (status canceled)
  'state_invalid', // unknown or tampered state
  'state_expired', // came back after the 10 minutes
  'session_mismatch', // another (or no) citizen session than the one that started it
  'replayed', // the callback (or its code) was used already
  'nonce_mismatch',
  'id_token_invalid', // signature, iss, aud, exp … of the ID token
  'attributes_missing', // the provider gave fewer than the four basic attributes
  'signature_missing', // level sign without a signature
  'provider_error', // the provider refused (any other error)
  'provider_unavailable', // could not reach the provider
] as const;
export type IdentityFailureCode = (typeof IDENTITY_FAILURE_CODES)[number];

export interface VerifiedClaims {
  name: string;
  address: string;
  birthdate: string; // YYYY-MM-DD
  gender: string;
  subject: string;
  signature?: { signedText: string; value: string; certificateSerial?: string };
}

export interface ProviderStart {
  /** Where the browser goes now. */
  url: string;
  /** Kept sealed until the callback. */
  nonce: string;
  codeVerifier: string;
  /** The provider's handle of the text to sign (level sign), if it has one. */
  signTransaction?: string;
}

export type ProviderResult =
  | { ok: true; claims: VerifiedClaims }
  | { ok: false; code: IdentityFailureCode; detail?: string };

export interface IdentityProvider {
  /** e.g. 'digital-auth-app'; stored on each verification. */
  readonly name: string;
  start(input: {
    level: IdentityLevel;
    state: string;
    redirectUri: string;
    signText?: string;
  }): Promise<ProviderStart>;
  /** The browser came back to `callbackUrl` (with code or error): verify it all. Never throws. */
  complete(input: {
    callbackUrl: URL;
    level: IdentityLevel;
    state: string;
    nonce: string;
    codeVerifier: string;
    signText?: string;
    signTransaction?: string;
  }): Promise<ProviderResult>;
}

/** An attribute of the OIDC `address` claim: a string or the standard object's `formatted`. */
export function addressText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.formatted === 'string') return o.formatted;
    const parts = [o.region, o.locality, o.street_address].filter((p) => typeof p === 'string');
    if (parts.length) return parts.join('');
  }
  return null;
}

/** The four basic attributes out of claims, or null when one is missing or malformed. */
export function basicAttributes(
  claims: Record<string, unknown>,
): Pick<VerifiedClaims, 'name' | 'address' | 'birthdate' | 'gender'> | null {
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  const address = addressText(claims.address)?.trim() ?? '';
  const birthdate = typeof claims.birthdate === 'string' ? claims.birthdate : '';
  const gender = typeof claims.gender === 'string' ? claims.gender : '';
  if (!name || !address || !gender || !isIsoDate(birthdate)) return null;
  if ([name, address, gender].some((s) => s.length > 500)) return null;
  return { name, address, birthdate, gender };
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
