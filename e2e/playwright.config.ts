import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// End-to-end journeys across the console, the virtual phone and the citizen pages, against the
// whole product started as `npm start` does (embedded PostgreSQL, LINE simulator, demo data).

// E2E_PORT / E2E_SIMULATOR_PORT let two runs on one machine use different ports.
export const SERVER_PORT = Number(process.env.E2E_PORT ?? 3310);
export const SIMULATOR_PORT = Number(process.env.E2E_SIMULATOR_PORT ?? 3410);
/** The local SMTP server reports.e2e.ts runs; the server's notification mails go there. */
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? SERVER_PORT + 5);
/** The mail bridge's SMTP listener (issue 14); mail-bridge.e2e.ts sends the city's mail there. */
export const MAIL_IN_PORT = Number(process.env.E2E_MAIL_IN_PORT ?? SERVER_PORT + 6);
export const ADMIN_PASSWORD = 'E2e-Console-Pass-2026';
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'madoguchi-e2e-'));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${SERVER_PORT}`,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    // Recording a trace costs about a tenth of the run (reports + surveys: 41.3 s with, 36.0 s without);
    // the retry of a failed test records one.
    trace: 'on-first-retry',
    actionTimeout: 20_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node apps/server/bin/madoguchi.js dev --port ${SERVER_PORT} --simulator-port ${SIMULATOR_PORT}`,
    cwd: path.resolve(import.meta.dirname, '..'),
    url: `http://localhost:${SERVER_PORT}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // Stopped as Ctrl-C stops it: HTTP, workers, database, then the embedded PostgreSQL.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      DEMO_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      // Fault report mails: to the test's SMTP server (mails wait, retried, until it listens).
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      MAIL_RETRY_BASE_MS: '1000',
      MAIL_IN_PORT: String(MAIL_IN_PORT),
      // Webhook forwarding (forwarding.e2e.ts): the test's target on 127.0.0.1 is allowed, and an
      // event the target keeps refusing is dead-lettered after 5 s instead of 24 h.
      FORWARDING_ALLOWED_CIDRS: '127.0.0.1/32',
      FORWARDING_RETRY_BASE_MS: '300',
      FORWARDING_RETRY_WINDOW_MS: '5000',
    },
  },
});
