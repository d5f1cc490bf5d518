import type { Db } from '../../db/database.ts';
import type { IdentityVerificationStatus } from '../../db/schema.ts';

// SQL of identity_verifications (owned by modules/identity). The nonce, PKCE verifier, text to sign
// and attributes arrive here already sealed; the state only as its hash.

export interface NewVerification {
  purpose: string;
  ref: string;
  level: 'basic' | 'sign';
  provider: string;
  citizenRefHash: string;
  stateHash: string;
  nonceEnc: string;
  verifierEnc: string;
  signTextEnc: string | null;
  signTransactionEnc: string | null;
  returnPath: string;
  expiresAt: Date;
}

export async function insertVerification(db: Db, v: NewVerification): Promise<string> {
  const row = await db
    .insertInto('identity_verifications')
    .values({
      purpose: v.purpose,
      ref: v.ref,
      level: v.level,
      provider: v.provider,
      citizen_ref_hash: v.citizenRefHash,
      state_hash: v.stateHash,
      nonce_enc: v.nonceEnc,
      verifier_enc: v.verifierEnc,
      sign_text_enc: v.signTextEnc,
      sign_transaction_enc: v.signTransactionEnc,
      return_path: v.returnPath,
      expires_at: v.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const findVerificationByState = (db: Db, stateHash: string) =>
  db.selectFrom('identity_verifications').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();

export const findVerification = (db: Db, id: string) =>
  db.selectFrom('identity_verifications').selectAll().where('id', '=', id).executeTakeFirst();

/** pending → exchanging, once: the one caller that gets the row back may use its code. */
export const claimVerification = (db: Db, id: string) =>
  db
    .updateTable('identity_verifications')
    .set({ status: 'exchanging' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();

/** Ends an attempt: its status (and attributes when verified); the one-time secrets are cleared. */
export async function finishVerification(
  db: Db,
  id: string,
  f: {
    from: IdentityVerificationStatus;
    status: 'verified' | 'failed' | 'canceled';
    failureCode: string | null;
    attributesEnc: string | null;
    purgeAfter: Date | null;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('identity_verifications')
    .set({
      status: f.status,
      failure_code: f.failureCode,
      attributes_enc: f.attributesEnc,
      purge_after: f.purgeAfter,
      completed_at: new Date(),
      nonce_enc: null,
      verifier_enc: null,
      sign_text_enc: null,
      sign_transaction_enc: null,
    })
    .where('id', '=', id)
    .where('status', '=', f.from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes the attributes of (purpose, ref)'s verifications; returns how many had some. */
export async function purgeAttributesOf(db: Db, purpose: string, ref: string): Promise<number> {
  const r = await db
    .updateTable('identity_verifications')
    .set({ attributes_enc: null, purged_at: new Date() })
    .where('purpose', '=', purpose)
    .where('ref', '=', ref)
    .where('attributes_enc', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Deletes the attributes whose retention ended. */
export async function purgeDueAttributes(db: Db, now: Date): Promise<number> {
  const r = await db
    .updateTable('identity_verifications')
    .set({ attributes_enc: null, purged_at: now })
    .where('attributes_enc', 'is not', null)
    .where('purge_after', '<=', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Attempts never completed (the citizen left at the provider): failed, their secrets cleared. */
export async function expireStaleAttempts(db: Db, before: Date): Promise<number> {
  const r = await db
    .updateTable('identity_verifications')
    .set({
      status: 'failed',
      failure_code: 'state_expired',
      completed_at: new Date(),
      nonce_enc: null,
      verifier_enc: null,
      sign_text_enc: null,
      sign_transaction_enc: null,
    })
    .where('status', 'in', ['pending', 'exchanging'])
    .where('expires_at', '<', before)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
