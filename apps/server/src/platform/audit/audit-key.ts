import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import type { Db } from '../../db/database.ts';

// The audit chain is keyed (HMAC-SHA-256) with a key the database does not hold, derived from
// ENCRYPTION_KEY: someone who can only write to the database cannot rebuild a valid chain.

const INFO = 'madoguchi audit chain v1';

export function deriveAuditKey(encryptionKeyBase64: string): KeyObject {
  const ikm = Buffer.from(encryptionKeyBase64, 'base64');
  if (ikm.length !== 32) throw new Error('encryption key must be 32 bytes');
  return createSecretKey(Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), INFO, 32)));
}

// Audit entries are written through the Db handle (recordAudit(db, …) everywhere), so the key travels
// with it: openDatabase registers it once for the handle it creates.
const keys = new WeakMap<Db, KeyObject>();

export function registerAuditKey(db: Db, encryptionKeyBase64: string): void {
  keys.set(db, deriveAuditKey(encryptionKeyBase64));
}

export function auditKeyFor(db: Db): KeyObject {
  const key = keys.get(db);
  if (!key) throw new Error('no audit chain key registered for this database handle (registerAuditKey)');
  return key;
}

/**
 * Names the key without revealing it: checkpoints carry it, so a checkpoint file shared by several
 * installations (e.g. a development `.data`) is only compared with the chain of the same key.
 */
export function auditKeyId(key: KeyObject): string {
  return createHmac('sha256', key).update('madoguchi audit checkpoint key id').digest('hex').slice(0, 16);
}
