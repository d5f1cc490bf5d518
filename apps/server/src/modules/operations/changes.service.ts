import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Config, configSchema } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { migrations } from '../../db/migrations/index.ts';
import { sha256Hex } from '../../platform/crypto.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import {
  insertChange,
  lastStart,
  listChanges,
  postgresVersion,
  withChangeLock,
} from './changes.repository.ts';

// The record of configuration changes, updates and patches (O-05). At every start the server
// compares what it runs — its version and revision, Node.js, PostgreSQL, the migrations, and its
// configuration — with the last start recorded, and writes a row only when something changed,
// naming the configuration keys that changed. Secret settings are never stored: only a keyed
// fingerprint (HMAC with ENCRYPTION_KEY), so a changed secret is noticed but cannot be read back.
// Operators add their own work (OS patches, updates) with `madoguchi changes add`. Staff changes
// made in the console (accounts, roles, allow-lists, channels …) are in the audit log.

/** Settings whose values are secrets (or may hold one, like a URL with a password). */
export const isSecretSetting = (name: string) =>
  /SECRET|TOKEN|PASSWORD|PRIVATE_KEY/.test(name) ||
  ['ENCRYPTION_KEY', 'BASIC_AUTH', 'DATABASE_URL', 'SMTP_URL'].includes(name);

/** Any URL with a user and password in it (`scheme://user:pass@host`), whatever its setting. */
const CREDENTIALS_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i;

const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
})();

/** Every setting with its effective value as text; a secret as `secret:<fingerprint>` (or `unset`). */
export function configFingerprint(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(configSchema.shape).sort()) {
    const value = (config as Record<string, unknown>)[name];
    if (name === 'MADOGUCHI_REVISION') continue; // recorded as the revision
    if (value === undefined) out[name] = 'unset';
    else if (isSecretSetting(name) || (typeof value === 'string' && CREDENTIALS_IN_URL.test(value)))
      out[name] = `secret:${createHmac('sha256', Buffer.from(config.ENCRYPTION_KEY, 'base64'))
        .update(`madoguchi config fingerprint\0${name}\0${JSON.stringify(value)}`)
        .digest('hex')
        .slice(0, 16)}`;
    else out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/** Records this start when it runs something different from the last one recorded; returns the new row or null. */
export async function recordStart(db: Db, config: Config) {
  const keys = configFingerprint(config);
  const configHash = sha256Hex(JSON.stringify(keys));
  const applied = Object.keys(migrations).sort();
  return withChangeLock(db, async (trx) => {
    const pg = await postgresVersion(trx);
    const prev = await lastStart(trx);
    const now = {
      version: VERSION,
      revision: config.MADOGUCHI_REVISION ?? null,
      node_version: process.version,
      postgres_version: pg,
    };
    const prevKeys = prev?.config_keys ?? {};
    const changedKeys = prev
      ? [...new Set([...Object.keys(prevKeys), ...Object.keys(keys)])]
          .filter((k) => prevKeys[k] !== keys[k])
          .sort()
      : [];
    const newMigrations = applied.filter((m) => !(prev?.migrations ?? []).includes(m));
    const what: string[] = [];
    if (!prev) what.push('初回の起動');
    else {
      for (const [field, label] of [
        ['version', 'バージョン'],
        ['revision', 'リビジョン'],
        ['node_version', 'Node.js'],
        ['postgres_version', 'PostgreSQL'],
      ] as const)
        if (prev[field] !== now[field]) what.push(`${label} ${prev[field] ?? '-'} → ${now[field] ?? '-'}`);
      if (newMigrations.length) what.push(`マイグレーション ${newMigrations.join(', ')}`);
      if (changedKeys.length) what.push(`設定 ${changedKeys.join(', ')}`);
    }
    if (!what.length) return null;
    return insertChange(trx, {
      kind: 'start',
      summary: `起動: ${what.join('、')}`,
      ...now,
      migrations: JSON.stringify(applied),
      config_hash: configHash,
      config_keys: JSON.stringify(keys),
      changed_keys: JSON.stringify(changedKeys),
      created_by: 'server',
    });
  });
}

export const manualChangeSchema = z.object({
  kind: z.enum(['patch', 'update', 'config']),
  summary: z.string().trim().min(1).max(1000),
});

/** An operator's own entry (`madoguchi changes add`). */
export const addManualChange = (db: Db, input: z.infer<typeof manualChangeSchema>, by: string) =>
  insertChange(db, {
    kind: input.kind,
    summary: input.summary,
    version: VERSION,
    revision: null,
    node_version: null,
    postgres_version: null,
    migrations: null,
    config_hash: null,
    config_keys: null,
    changed_keys: null,
    created_by: by,
  });

type Row = Awaited<ReturnType<typeof listChanges>>[number];

export const changeView = (r: Row) => ({
  id: String(r.id),
  at: r.at.toISOString(),
  kind: r.kind,
  summary: r.summary,
  version: r.version,
  revision: r.revision,
  nodeVersion: r.node_version,
  postgresVersion: r.postgres_version,
  configHash: r.config_hash,
  changedKeys: r.changed_keys ?? [],
  createdBy: r.created_by,
});

export const changes = async (db: Db, limit = 1000) => (await listChanges(db, limit)).map(changeView);

const KIND_JA: Record<Row['kind'], string> = {
  start: '起動',
  patch: 'パッチ',
  update: '更新',
  config: '設定',
};

export async function changesCsv(db: Db) {
  const rows = await changes(db, 1_000_000);
  const csv = toCsv(
    [
      '日時',
      '種別',
      '種別コード',
      '内容',
      'バージョン',
      'リビジョン',
      'Node.js',
      'PostgreSQL',
      '変わった設定',
      '設定のハッシュ',
      '記録者',
    ],
    rows.map((r) => [
      tokyoDateTime(new Date(r.at)),
      KIND_JA[r.kind],
      r.kind,
      r.summary,
      r.version,
      r.revision,
      r.nodeVersion,
      r.postgresVersion,
      r.changedKeys.join(' '),
      r.configHash,
      r.createdBy,
    ]),
  );
  return { csv, count: rows.length };
}
