import { Secret, TOTP } from 'otpauth';

// RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30 s), as authenticator apps use them,
// by the otpauth library (base32 secrets, HMAC codes, constant-time comparison, otpauth:// URIs).
// Secrets are stored as base32 text (encrypted at rest by the accounts service).

const ISSUER = 'Madoguchi';

const totp = (secret: string, account = '') =>
  new TOTP({
    issuer: ISSUER,
    label: account,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });

/** A new random secret of 160 bits (RFC 4226's recommendation), in base32. */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export const totpCode = (secret: string, atMs: number = Date.now()) =>
  totp(secret).generate({ timestamp: atMs });

/** Accepts the code of the current step and one step either side (clock drift). */
export function verifyTotp(secret: string, code: string, atMs: number = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totp(secret).validate({ token: code, timestamp: atMs, window: 1 }) !== null;
}

/** The key URI authenticator apps read from a QR code: otpauth://totp/Madoguchi:<account>?secret=… */
export const otpauthUrl = (secret: string, account: string) => totp(secret, account).toString();
