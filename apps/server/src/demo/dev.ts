import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator } from '@madoguchi/line-simulator';
import {
  createJpkiClientKey,
  jpkiIssuer,
  registerJpkiClient,
} from '@madoguchi/line-simulator/jpki/jpki-client.ts';
import { loadConfig } from '../config.ts';
import { mailInAddress } from '../modules/mail-bridge/mail-bridge.module.ts';
import {
  payjpStandInEnv,
  registerAtPayjpStandIn,
  registerAtStripeStandIn,
  stripeStandInEnv,
} from '../modules/payments/stand-in-wiring.ts';
import { createRuntime } from '../runtime.ts';
import { seedDemo } from './seed-demo.ts';

// `npm start`: everything on one machine with no configuration — embedded PostgreSQL, the LINE
// simulator with its virtual phone, the server with its workers, and the demo city.

function devSecrets(dataDir: string): { encryptionKey: string } {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const secrets = { encryptionKey: randomBytes(32).toString('base64') };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/**
 * The identity provider of `npm start` (issue 15): the simulator's JPKI stand-in. The client key is
 * made once and kept in DATA_DIR (restarts reuse it); the client is registered at every start (the
 * stand-in keeps no state).
 */
async function devIdentity(dataDir: string, simulatorUrl: string, publicUrl: string) {
  const file = path.join(dataDir, 'dev-identity-client.json');
  let key: ReturnType<typeof createJpkiClientKey>;
  if (existsSync(file)) key = JSON.parse(readFileSync(file, 'utf8'));
  else {
    mkdirSync(dataDir, { recursive: true });
    key = createJpkiClientKey();
    writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  }
  const clientId = 'madoguchidev';
  await registerJpkiClient(simulatorUrl, {
    clientId,
    publicJwk: key.publicJwk,
    redirectUris: [`${publicUrl}/api/citizen/identity/callback`],
  });
  return {
    IDENTITY_PROVIDER: 'digital-auth-app',
    IDENTITY_ISSUER: jpkiIssuer(simulatorUrl),
    IDENTITY_CLIENT_ID: clientId,
    IDENTITY_PRIVATE_KEY: key.privateKeyPem,
  };
}

/**
 * The configuration `npm start` uses, for one-shot commands run against the demo's data
 * (`--demo`): its DATA_DIR, the encryption key it generated there, and its public URL.
 */
export function demoEnvironment(): Record<string, string> {
  const dataDir = process.env.DATA_DIR || './.data';
  if (!existsSync(path.join(dataDir, 'dev-secrets.json'))) {
    throw new Error(`${dataDir} にデモ環境がありません（先に npm start を一度実行してください）`);
  }
  return {
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: devSecrets(dataDir).encryptionKey,
    PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`,
  };
}

export interface DevOptions {
  /** Server port (`--port` / PORT). */
  port: number;
  /** LINE simulator port (`--simulator-port` / SIMULATOR_PORT). */
  simulatorPort: number;
  /** Embedded PostgreSQL port (`--pg-port` / EMBEDDED_PG_PORT); default 54329 or a free one. */
  pgPort?: number | undefined;
  /** Called as soon as there is something to stop, with the function that stops it in order. */
  onClose: (close: () => Promise<void>) => void;
  out?: (line: string) => void;
}

export async function runDev(opts: DevOptions): Promise<void> {
  const out = opts.out ?? ((line: string) => console.log(line));
  const dataDir = process.env.DATA_DIR || './.data';
  const publicUrl = process.env.PUBLIC_URL || `http://localhost:${opts.port}`;
  const simulatorUrl = `http://localhost:${opts.simulatorPort}`;
  const simulator = await startSimulator({
    port: opts.simulatorPort,
    host: '127.0.0.1',
    publicUrl: simulatorUrl,
    stateFile: path.join(dataDir, 'line-simulator.json'),
  });
  let closing = false;
  let rt: Awaited<ReturnType<typeof createRuntime>> | null = null;
  // In order: the server (HTTP and WebSockets, then workers and the job queue, then the database
  // pool and the embedded PostgreSQL), then the simulator the workers were still talking to.
  opts.onClose(async () => {
    closing = true;
    await rt?.close();
    await simulator.close();
  });
  const config = loadConfig({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: devSecrets(dataDir).encryptionKey,
    LINE_API_BASE_URL: simulatorUrl,
    LINE_DATA_API_BASE_URL: simulatorUrl,
    LINE_OAUTH_BASE_URL: simulatorUrl,
    LIFF_SDK_URL: `${simulatorUrl}/liff/sdk.js`,
    LOG_LEVEL: 'warn',
    CITY_NAME: 'デモ市', // the demo city, in the citizen pages' header
    // The disaster-mail bridge's SMTP listener (issue 14) on a free local port, printed below.
    MAIL_IN_PORT: '0',
    MAIL_IN_HOST: '127.0.0.1',
    // Identity verification (マイナンバーカード) against the simulator's JPKI stand-in.
    ...(await devIdentity(dataDir, simulatorUrl, publicUrl)),
    // Online payment (issue 15): Stripe (test keys) at the simulator's payment stand-in;
    // PAYMENT_PROVIDER=payjp: PAY.JP (test keys, payjp.js) at the simulator's PAY.JP stand-in.
    ...(process.env.PAYMENT_PROVIDER === 'payjp'
      ? payjpStandInEnv(simulatorUrl)
      : stripeStandInEnv(simulatorUrl)),
    ...process.env,
    // The flags (or PORT / SIMULATOR_PORT / EMBEDDED_PG_PORT, which they default to) win.
    PORT: String(opts.port),
    EMBEDDED_PG_PORT: opts.pgPort === undefined ? undefined : String(opts.pgPort),
    PUBLIC_URL: publicUrl,
  });
  rt = await createRuntime(config, { workers: true });
  await rt.app.listen({ host: config.HOST, port: config.PORT });
  if (config.PAYMENT_PROVIDER === 'stripe' && config.STRIPE_API_BASE === simulatorUrl) {
    await registerAtStripeStandIn(simulatorUrl, `http://127.0.0.1:${config.PORT}`);
  }
  if (config.PAYMENT_PROVIDER === 'payjp' && config.PAYJP_API_BASE === `${simulatorUrl}/payjp/v1`) {
    await registerAtPayjpStandIn(simulatorUrl, `http://127.0.0.1:${config.PORT}`);
  }
  try {
    await seedDemo({ config, db: rt.db, simulatorUrl, jobs: rt.jobs, out });
  } catch (err) {
    if (closing) return; // Ctrl-C during the seed: the database went away under it.
    throw err;
  }
  out('');
  out(`  職員コンソール:   ${publicUrl}/console/`);
  out(`  仮想スマートフォン: ${simulatorUrl}/phone/`);
  out(`  市民向けページ:   ${publicUrl}/citizen/  （仮想スマートフォンから開きます）`);
  out(`  API 仕様:         ${publicUrl}/api/openapi.json`);
  if (config.STRIPE_API_BASE === simulatorUrl) {
    out(`  決済（テスト）:     Stripe の代わり ${simulatorUrl}/pay/  （テストカード 4242 4242 4242 4242）`);
  }
  if (config.PAYJP_API_BASE === `${simulatorUrl}/payjp/v1`) {
    out(`  決済（テスト）:     PAY.JP の代わり ${simulatorUrl}/payjp/  （テストカード 4242 4242 4242 4242）`);
  }
  const smtp = mailInAddress(rt.app);
  if (smtp)
    out(
      `  防災メール受信 SMTP: ${smtp.address}:${smtp.port}  （受信アドレスは職員コンソールの「防災メール連携」で登録）`,
    );
  out('');
  out('  Ctrl-C で停止します。');
}
