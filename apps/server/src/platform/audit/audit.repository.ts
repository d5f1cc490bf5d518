import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import {
  type AuditFields,
  type ChainRow,
  GENESIS_HASH,
  KEYED_CHAIN,
  keyedHash,
  type StoredAudit,
  toStored,
} from './audit-chain.ts';
import { auditKeyFor } from './audit-key.ts';

// Appending takes a transaction-level advisory lock so rows chain in a single order
// even with several server processes.
const AUDIT_LOCK = 7_100_001;

/** Appends entries in order, in one transaction, continuing the chain from the last row. */
export async function appendAudit(db: Db, entries: AuditFields[]): Promise<void> {
  if (entries.length === 0) return;
  const key = auditKeyFor(db);
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
      // Hashed exactly as stored: what PostgreSQL gives back must hash the same.
      const s = toStored(fields);
      const hash = keyedHash(key, prevHash, s);
      const row = {
        at: s.at,
        account_id: s.accountId,
        login_id: s.loginId,
        ip: s.ip,
        action: s.action,
        target_type: s.targetType,
        target_id: s.targetId,
        result: s.result,
        count: s.count,
        detail: s.detail === null ? null : JSON.stringify(s.detail),
        prev_hash: prevHash,
        hash,
        chain_version: KEYED_CHAIN,
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
  loginId?: string | undefined;
  /** A code matches itself; a prefix ("form.") matches its family. */
  action?: string | undefined;
  result?: 'success' | 'failure' | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export async function listAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.loginId) query = query.where('login_id', '=', q.loginId);
  if (q.action) query = query.where('action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.result) query = query.where('result', '=', q.result);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.execute();
}

/** The newest row and the number of rows, read in one statement (one snapshot). */
export async function readChainHead(
  db: Db,
): Promise<{ lastId: string | null; lastHash: string; count: number }> {
  const r = await sql<{ id: string | null; hash: string | null; count: string }>`
    select h.id, h.hash, (select count(*) from audit_log) as count
    from (select 1) one
    left join (select id, hash from audit_log order by id desc limit 1) h on true
  `.execute(db);
  const row = r.rows[0]!;
  return {
    lastId: row.id === null ? null : String(row.id),
    lastHash: row.hash ?? GENESIS_HASH,
    count: Number(row.count),
  };
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
      const stored: StoredAudit = {
        at: r.at,
        accountId: r.account_id,
        loginId: r.login_id,
        ip: r.ip,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        result: r.result,
        count: r.count,
        detail: r.detail as StoredAudit['detail'],
      };
      yield {
        ...stored,
        id: String(r.id),
        prevHash: r.prev_hash,
        hash: r.hash,
        chainVersion: r.chain_version,
      };
    }
    if (rows.length < pageSize) return;
    after = String(rows[rows.length - 1]!.id);
  }
}
