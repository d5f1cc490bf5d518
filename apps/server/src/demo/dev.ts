import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator } from '@madoguchi/line-simulator';
import { loadConfig } from '../config.ts';
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

export async function runDev(opts: { port: number; simulatorPort: number }): Promise<void> {
  const dataDir = process.env.DATA_DIR ?? './.data';
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${opts.port}`;
  const simulatorUrl = `http://localhost:${opts.simulatorPort}`;
  const simulator = await startSimulator({
    port: opts.simulatorPort,
    host: '127.0.0.1',
    publicUrl: simulatorUrl,
    stateFile: path.join(dataDir, 'line-simulator.json'),
  });
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: devSecrets(dataDir).encryptionKey,
    LINE_API_BASE_URL: simulatorUrl,
    LINE_DATA_API_BASE_URL: simulatorUrl,
    LINE_OAUTH_BASE_URL: simulatorUrl,
    LIFF_SDK_URL: `${simulatorUrl}/liff/sdk.js`,
    LOG_LEVEL: 'warn',
    ...process.env,
    PUBLIC_URL: publicUrl,
  });
  const rt = await createRuntime(config, { workers: true });
  await rt.app.listen({ host: config.HOST, port: config.PORT });
  await seedDemo({ config, db: rt.db, simulatorUrl, jobs: rt.jobs, out: (line) => console.log(line) });
  console.log('');
  console.log(`  職員コンソール:   ${publicUrl}/console/`);
  console.log(`  仮想スマートフォン: ${simulatorUrl}/phone/`);
  console.log(`  市民向けページ:   ${publicUrl}/citizen/  （仮想スマートフォンから開きます）`);
  console.log(`  API 仕様:         ${publicUrl}/api/openapi.json`);
  console.log('');
  const stop = async () => {
    await rt.close();
    await simulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
