import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseEd25519PrivateKey } from '../config.ts';

// The deletion certificate's detached signature (S-13): Ed25519 over the certificate's exact bytes,
// written beside it as `<file>.sig` (base64) with the public key as `<file>.pub` (PEM). The key is
// CERTIFICATE_SIGNING_KEY when set (the vendor's long-lived key, whose public key the city keeps);
// otherwise a key made for this one certificate and then forgotten.

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** SHA-256 of the public key (DER, SPKI), first 16 hex digits. */
  fingerprint: string;
  oneTime: boolean;
}

export function publicKeyFingerprint(publicKey: KeyObject) {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signingKey(configured: string | undefined): SigningKey {
  const privateKey = configured
    ? parseEd25519PrivateKey(configured)
    : generateKeyPairSync('ed25519').privateKey;
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    fingerprint: publicKeyFingerprint(publicKey),
    oneTime: !configured,
  };
}

export const signText = (key: SigningKey, text: Buffer) =>
  sign(null, text, key.privateKey).toString('base64');

export type Verdict =
  | { ok: true; fingerprint: string }
  | {
      ok: false;
      reason: 'bad_signature' | 'unreadable_signature' | 'unreadable_public_key';
      fingerprint?: string;
    };

/** Checks `<file>.sig` against the file's bytes with the public key in `publicKeyFile` (PEM). */
export function verifyCertificate(file: string, signatureFile: string, publicKeyFile: string): Verdict {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(readFileSync(publicKeyFile, 'utf8'));
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
  } catch {
    return { ok: false, reason: 'unreadable_public_key' };
  }
  const fingerprint = publicKeyFingerprint(publicKey);
  const signature = Buffer.from(readFileSync(signatureFile, 'utf8').trim(), 'base64');
  if (signature.length !== 64) return { ok: false, reason: 'unreadable_signature', fingerprint };
  return verify(null, readFileSync(file), publicKey, signature)
    ? { ok: true, fingerprint }
    : { ok: false, reason: 'bad_signature', fingerprint };
}
