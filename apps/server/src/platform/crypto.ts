import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

// AES-256-GCM for secrets and personal data at rest.
// Text format: "v1." + base64url(iv[12] | tag[16] | ciphertext). "v1" names the key generation so
// keys can be rotated later (crypto-shredding: destroying the key makes the data unreadable).

const IV = 12;
const TAG = 16;

export interface Cipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  encryptBytes(plain: Buffer): Buffer;
  decryptBytes(sealed: Buffer): Buffer;
}

export function createCipher(keyBase64: string): Cipher {
  const raw = Buffer.from(keyBase64, 'base64');
  if (raw.length !== 32) throw new Error('encryption key must be 32 bytes');
  // A KeyObject made once: passing raw bytes makes Node re-check the key on every call (3× slower).
  const key = createSecretKey(raw);
  const seal = (plain: Buffer): Buffer => {
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  };
  const open = (sealed: Buffer): Buffer => {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
    decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
    return Buffer.concat([decipher.update(sealed.subarray(IV + TAG)), decipher.final()]);
  };
  return {
    encrypt: (plain) => `v1.${seal(Buffer.from(plain, 'utf8')).toString('base64url')}`,
    decrypt: (token) => {
      if (!token.startsWith('v1.')) throw new Error('unknown ciphertext format');
      return open(Buffer.from(token.slice(3), 'base64url')).toString('utf8');
    },
    encryptBytes: seal,
    decryptBytes: open,
  };
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
