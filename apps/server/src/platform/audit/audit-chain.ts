import { createHash, createHmac, type KeyObject } from 'node:crypto';
import {
  canonicalJson,
  type JsonValue,
  storableJson,
  storableOrNull,
  storableText,
} from './audit-canonical.ts';

// Each audit row's hash covers its own stored columns and the previous row's hash, so changing or
// deleting a row breaks the chain from that point on.
// v1 (rows written before 2026120103_audit_hmac): plain SHA-256 — anyone with database access could
//   rebuild it; kept only so those rows still verify.
// v2: HMAC-SHA-256 with a key the database does not hold (audit-key.ts) over the canonical JSON of
//   the columns as stored (audit-canonical.ts). A v1 row after the first v2 row is a downgrade.
// Rows deleted at the end leave no break in the chain: checkpoints kept outside the database
// (audit-checkpoints.ts) catch those.

export const GENESIS_HASH = '0'.repeat(64);
export const LEGACY_CHAIN = 1;
export const KEYED_CHAIN = 2;

export interface AuditFields {
  at: Date;
  accountId: string | null;
  loginId: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: 'success' | 'failure';
  count: number | null;
  detail: Record<string, unknown> | null;
}

/** The fields exactly as PostgreSQL stores and returns them. */
export interface StoredAudit extends AuditFields {
  detail: { [key: string]: JsonValue } | null;
}

export function toStored(f: AuditFields): StoredAudit {
  return {
    at: f.at,
    // uuid columns come back in lower case
    accountId: storableOrNull(f.accountId)?.toLowerCase() ?? null,
    loginId: storableOrNull(f.loginId),
    ip: storableOrNull(f.ip),
    action: storableText(f.action),
    targetType: storableOrNull(f.targetType),
    targetId: storableOrNull(f.targetId),
    result: f.result,
    count: f.count,
    detail: f.detail === null ? null : (storableJson(f.detail) as { [key: string]: JsonValue } | null),
  };
}

/** v2: HMAC-SHA-256 over the canonical JSON of the stored columns and the previous hash. */
export function keyedHash(key: KeyObject, prevHash: string, s: StoredAudit): string {
  const canonical = canonicalJson({
    v: KEYED_CHAIN,
    prev_hash: prevHash,
    at: s.at.toISOString(),
    account_id: s.accountId,
    login_id: s.loginId,
    ip: s.ip,
    action: s.action,
    target_type: s.targetType,
    target_id: s.targetId,
    result: s.result,
    count: s.count,
    detail: s.detail,
  });
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

/** v1 (legacy rows only): plain SHA-256. */
export function legacyHash(prevHash: string, f: AuditFields): string {
  const canonical = JSON.stringify([
    prevHash,
    f.at.toISOString(),
    f.accountId,
    f.loginId,
    f.ip,
    f.action,
    f.targetType,
    f.targetId,
    f.result,
    f.count,
    f.detail === null ? null : sortKeys(f.detail),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export interface ChainRow extends StoredAudit {
  id: string;
  prevHash: string;
  hash: string;
  chainVersion: number;
}

export type ChainProblem =
  | { kind: 'changed'; fromId: string; toId: string }
  | { kind: 'missing'; fromId: string; toId: string };

export interface ChainWalk {
  push(row: ChainRow): void;
  finish(): {
    rows: number;
    legacyRows: number;
    head: { id: string; hash: string } | null;
    problems: ChainProblem[];
  };
}

/**
 * Walks rows in id order and collects every broken range, not only the first:
 * - a row whose hash does not match its own columns (or a legacy row after the keyed chain began)
 *   is changed; consecutive changed rows form one range;
 * - a row whose previous-hash link does not match the row before it, with ids missing in between,
 *   means those rows were deleted (an id gap with an intact link is a rolled-back insert);
 * - a broken link without a gap means the link itself was changed (unless the row before is
 *   already reported changed: rewriting its hash column breaks this link too).
 */
export function walkChain(key: KeyObject): ChainWalk {
  let prev: { id: bigint; hash: string } | null = null;
  let run: { fromId: string; toId: string } | null = null;
  let keyedSeen = false;
  let rows = 0;
  let legacyRows = 0;
  const problems: ChainProblem[] = [];
  const closeRun = () => {
    if (run) problems.push({ kind: 'changed', ...run });
    run = null;
  };
  return {
    push(row) {
      const id = BigInt(row.id);
      let changed: boolean;
      if (row.chainVersion === KEYED_CHAIN) {
        keyedSeen = true;
        changed = keyedHash(key, row.prevHash, row) !== row.hash;
      } else if (row.chainVersion === LEGACY_CHAIN && !keyedSeen) {
        legacyRows++;
        changed = legacyHash(row.prevHash, row) !== row.hash;
      } else {
        changed = true;
      }
      if (row.prevHash !== (prev?.hash ?? GENESIS_HASH)) {
        const gapFrom = (prev?.id ?? 0n) + 1n;
        if (id > gapFrom) {
          closeRun();
          problems.push({ kind: 'missing', fromId: String(gapFrom), toId: String(id - 1n) });
        } else if (!(prev && run?.toId === String(prev.id))) {
          changed = true;
        }
      }
      if (!changed) closeRun();
      else if (prev && run?.toId === String(prev.id)) run.toId = row.id;
      else {
        closeRun();
        run = { fromId: row.id, toId: row.id };
      }
      prev = { id, hash: row.hash };
      rows++;
    },
    finish() {
      closeRun();
      return {
        rows,
        legacyRows,
        head: prev ? { id: String(prev.id), hash: prev.hash } : null,
        problems,
      };
    },
  };
}
