import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type AuditFields, auditHash, type ChainRow, GENESIS_HASH } from './audit-chain.ts';

// Appending takes a transaction-level advisory lock so rows chain in a single order
// even with several server processes.
const AUDIT_LOCK = 7_100_001;

/** Appends entries in order, in one transaction, continuing the chain from the last row. */
export async function appendAudit(db: Db, entries: AuditFields[]): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
    const last = await trx
      .selectFrom('audit_log')
      .select('hash')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows = entries.map((fields) => {
      const hash = auditHash(prevHash, fields);
      const row = {
        at: fields.at,
        account_id: fields.accountId,
        login_id: fields.loginId,
        ip: fields.ip,
        action: fields.action,
        target_type: fields.targetType,
        target_id: fields.targetId,
        result: fields.result,
        count: fields.count,
        detail: fields.detail === null ? null : JSON.stringify(fields.detail),
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    // One multi-row insert keeps the order (identity values follow the VALUES order).
    await trx.insertInto('audit_log').values(rows).execute();
  });
}

export interface AuditQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  accountId?: string | undefined;
  action?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export async function listAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.action) query = query.where('action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.execute();
}

/** Reads the whole chain in id order, in pages, for verification. */
export async function* readChain(db: Db, pageSize = 5000): AsyncGenerator<ChainRow> {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      yield {
        id: String(r.id),
        at: r.at,
        accountId: r.account_id,
        loginId: r.login_id,
        ip: r.ip,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        result: r.result,
        count: r.count,
        detail: r.detail,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    }
    if (rows.length < pageSize) return;
    after = String(rows[rows.length - 1]!.id);
  }
}
