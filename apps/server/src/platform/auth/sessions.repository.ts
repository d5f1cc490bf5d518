import type { Db } from '../../db/database.ts';

export async function insertSession(
  db: Db,
  s: {
    idHash: string;
    accountId: string;
    csrfToken: string;
    ip: string;
    userAgent: string | null;
    expiresAt: Date;
  },
) {
  await db
    .insertInto('staff_sessions')
    .values({
      id_hash: s.idHash,
      account_id: s.accountId,
      csrf_token: s.csrfToken,
      ip: s.ip,
      user_agent: s.userAgent,
      last_seen_at: new Date(),
      expires_at: s.expiresAt,
    })
    .execute();
}

/** The session with its account and role, or undefined. */
export function findSession(db: Db, idHash: string) {
  return db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .select([
      's.id_hash',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'a.id as account_id',
      'a.login_id',
      'a.display_name',
      'a.disabled',
      'a.must_change_password',
      'a.totp_secret_enc',
      'r.id as role_id',
      'r.name as role_name',
      'r.permissions',
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, at: Date) {
  await db.updateTable('staff_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string) {
  await db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteAccountSessions(db: Db, accountId: string, exceptIdHash?: string) {
  let q = db.deleteFrom('staff_sessions').where('account_id', '=', accountId);
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
  await q.execute();
}
