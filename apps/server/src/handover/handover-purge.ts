import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { auditChainHead, recordAudit } from '../platform/audit/audit.service.ts';
import type { Cipher } from '../platform/crypto.ts';
import { tokyoDateTime } from '../platform/tokyo-time.ts';
import { type SigningKey, signText } from './certificate.ts';
import { countAll, listPublicTables, truncateAll, vacuumTables } from './handover.repository.ts';
import { HandoverError } from './handover-export.ts';
import { COLUMN_RULES, KEPT_BY_PURGE } from './handover-tables.ts';

// `madoguchi purge --yes` (S-13, C-16): every table of `public` (the city's data and the product's
// machinery: sessions, counters) and the job queue's jobs are emptied in one transaction — with them
// every consultation's data key, so what is left anywhere sealed with those keys (backups, WAL) is
// unreadable (crypto-shredding) — then VACUUM (FULL) rewrites the tables' files. Only the schema
// versions stay (the built-in roles go too; the next start makes them again). Audited before the
// deletion; the signed deletion
// certificate records the counts, the audit chain's head before deletion and the master key's
// fingerprint, and says what the operator must still destroy.

export const CERTIFICATE_NAME = '削除証明書.txt';

/** The key material and credentials the database held besides the data keys (`table.column（why）`). */
const secretColumns = () =>
  Object.entries(COLUMN_RULES).flatMap(([column, rule]) =>
    rule.kind === 'secret' && column !== 'consultations.data_key_enc' ? [`${column}（${rule.why}）`] : [],
  );

/** The tables the purge empties: everything in `public` but the schema versions. */
export async function purgeTables(db: Db) {
  return (await listPublicTables(db)).map((t) => t.name).filter((t) => !KEPT_BY_PURGE.includes(t));
}

/** SHA-256 of the master key's 32 bytes, first 16 hex digits (names the key without revealing it). */
export const keyFingerprint = (keyBase64: string) =>
  createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 16);

export async function purgeCounts(db: Db) {
  return countAll(db, await purgeTables(db));
}

export interface PurgeOptions {
  encryptionKey: string;
  cipher: Cipher;
  publicUrl: string;
  cityName: string | undefined;
  certificateFile: string;
  signing: SigningKey;
  operator: string;
  databaseUrl: string | undefined;
  backupRetentionDays: number;
  now?: () => Date;
}

export interface PurgeResult {
  counts: Record<string, number>;
  total: number;
  dataKeys: number;
  certificate: string;
  files: { certificate: string; signature: string; publicKey: string };
}

/** The certificate's three files; none may exist yet (checked before anything is deleted). */
export function certificateFiles(certificateFile: string) {
  return {
    certificate: certificateFile,
    signature: `${certificateFile}.sig`,
    publicKey: `${certificateFile}.pub`,
  };
}

const writeNew = (file: string, data: string | Buffer, mode: number) =>
  writeFileSync(file, data, { flag: 'wx', mode });

async function cityNameOf(db: Db, o: PurgeOptions) {
  if (o.cityName) return o.cityName;
  const channels = await createChannelsService({ db, cipher: o.cipher, publicUrl: o.publicUrl }).list();
  return (channels.find((c) => c.environment === 'production') ?? channels[0])?.name ?? '（未設定）';
}

/** The database named without its password. */
function databaseName(url: string | undefined) {
  if (!url) return '組み込み PostgreSQL（DATA_DIR）';
  const u = new URL(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}

export async function purgeAllData(db: Db, o: PurgeOptions): Promise<PurgeResult> {
  if (!o.operator.trim() || o.operator.length > 100)
    throw new HandoverError('bad_operator', 'the operator is 1–100 characters');
  const files = certificateFiles(o.certificateFile);
  for (const f of Object.values(files))
    if (existsSync(f)) throw new HandoverError('certificate_exists', `${f} already exists`);
  mkdirSync(path.dirname(path.resolve(o.certificateFile)), { recursive: true, mode: 0o700 });
  const cityName = await cityNameOf(db, o);
  const tables = await purgeTables(db);
  const before = await countAll(db, tables);
  await recordAudit(db, {
    accountId: null,
    loginId: o.operator,
    ip: null,
    action: 'data.purge',
    result: 'success',
    count: Object.values(before).reduce((s, n) => s + n, 0),
    detail: { tables: tables.length, rows: before },
  });
  // The head includes the purge's own entry: the last thing the log says before it is deleted.
  const head = await auditChainHead(db);
  const counts = await truncateAll(db, tables);
  await vacuumTables(db, Object.keys(counts));
  const at = (o.now ?? (() => new Date()))();
  const total = Object.values(counts).reduce((s, n) => s + n, 0);
  const dataKeys = counts.consultations ?? 0;
  const width = Math.max(...Object.keys(counts).map((t) => t.length));
  const lines = [
    'データ削除証明書',
    '',
    `団体名: ${cityName}`,
    'システム: Madoguchi（窓口）',
    `削除日時: ${tokyoDateTime(at)}（日本時間） / ${at.toISOString()}（UTC）`,
    `実行ホスト: ${os.hostname()}`,
    `実行者: ${o.operator}（OS のユーザー: ${os.userInfo().username}）`,
    `データベース: ${databaseName(o.databaseUrl)}`,
    '方法: PostgreSQL DELETE/TRUNCATE + crypto-shredding (keys destroyed)',
    '  すべての表を 1 つのトランザクションで TRUNCATE し、その後 VACUUM (FULL) で表のファイルを作り直しました。',
    '  相談ごとのデータ鍵も行とともに削除したため、その鍵で暗号化された写しは復号できません。',
    '',
    '削除した行数（表ごと）:',
    ...Object.entries(counts).map(([t, n]) => `  ${t.padEnd(width)}  ${n}`),
    `  ${'合計'.padEnd(width - 2)}  ${total}`,
    '',
    '削除前の操作ログ（ハッシュチェーン）の先頭:',
    `  行 ID ${head.lastId ?? '（なし）'}、ハッシュ ${head.lastHash}、行数 ${head.count}`,
    '  （この削除の記録を含みます。操作ログも市のデータとして削除しました。出力データの audit_log.csv に含まれます）',
    '',
    'このプログラムが破棄した鍵:',
    `  相談ごとのデータ鍵 ${dataKeys} 個（consultations.data_key_enc、上の consultations の行とともに削除）`,
    '  データベースに保存していたほかの鍵・認証情報も、それぞれの表の行とともに削除:',
    ...secretColumns().map((c) => `    ${c}`),
    '',
    '運用者がなお破棄する必要があるもの:',
    `  マスター鍵 ENCRYPTION_KEY（指紋: SHA-256 の先頭 16 桁 ${keyFingerprint(o.encryptionKey)}）`,
    '    データベースの外（環境変数・デプロイの秘密情報の保管場所）にあり、このプログラムは削除できません。',
    '    保管場所（秘密情報の保管庫、金庫に保管した写しを含む）から削除してください。',
    `  バックアップと WAL アーカイブ: 暗号化された行の写しが保持期間（${o.backupRetentionDays} 日）が過ぎて消えるまで残ります。`,
    '    ENCRYPTION_KEY を破棄すれば、それらの写しは復号できなくなります。',
    '',
    `署名: Ed25519（公開鍵の指紋 SHA-256 先頭 16 桁 ${o.signing.fingerprint}）。署名は ${path.basename(files.signature)}、公開鍵は ${path.basename(files.publicKey)}。`,
    o.signing.oneTime
      ? '  この証明書のためだけに作った鍵で署名しました（鍵は保存していません）。長く使う署名鍵を CERTIFICATE_SIGNING_KEY に設定することを勧めます。'
      : '  CERTIFICATE_SIGNING_KEY に設定された署名鍵で署名しました。',
    '  確認: madoguchi certificate verify <この証明書のファイル>',
    '公開鍵:',
    o.signing.publicKeyPem.trim(),
    '',
  ];
  const text = lines.join('\n');
  const bytes = Buffer.from(text, 'utf8');
  writeNew(files.certificate, bytes, 0o600);
  writeNew(files.signature, `${signText(o.signing, bytes)}\n`, 0o600);
  writeNew(files.publicKey, o.signing.publicKeyPem, 0o644);
  return { counts, total, dataKeys, certificate: text, files };
}
