import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createCipher } from '../../platform/crypto.ts';
import {
  insertTestChannel,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';
import { mailInAddress } from './mail-bridge.module.ts';
import { createAddress } from './mail-bridge.service.ts';
import { createSmtpListener } from './smtp-listener.ts';
import { fixture } from './testing/mail-world.ts';

// The inbound listener with STARTTLS (issue 14): a configured certificate and key are offered, a
// client that requires TLS delivers over it; half-given TLS settings stop the start.

const dir = mkdtempSync(path.join(os.tmpdir(), 'mail-tls-'));
const cert = path.join(dir, 'cert.pem');
const key = path.join(dir, 'key.pem');
let server: TestServer;

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  server = await startTestServer({
    MAIL_IN_PORT: '0',
    MAIL_IN_HOST: '127.0.0.1',
    MAIL_IN_TLS_CERT: cert,
    MAIL_IN_TLS_KEY: key,
  });
}, 60_000);
afterAll(async () => server?.close());

describe('inbound SMTP with STARTTLS (issue 14)', () => {
  it('E-01: a mail sent over STARTTLS is accepted and stored', async () => {
    const channel = await insertTestChannel(server);
    await createAddress(server.db, createCipher(TEST_ENCRYPTION_KEY), {
      channelId: channel.id,
      address: 'tls@madoguchi.city.example',
      allowedSenders: ['anzen@mail.city.chiba.example'],
      maxBytes: 1024 * 1024,
      enabled: true,
      requireAuth: false,
    });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mailInAddress(server.app)!.port,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });
    const info = await transport.sendMail({
      envelope: { from: 'anzen@mail.city.chiba.example', to: ['tls@madoguchi.city.example'] },
      raw: fixture('mail-2-raw-iso2022jp.eml'),
    });
    transport.close();
    expect(String(info.response)).toMatch(/^250/);
    const row = await server.db
      .selectFrom('mail_messages')
      .select(['message_id', 'size_bytes'])
      .where('recipient', '=', 'tls@madoguchi.city.example')
      .executeTakeFirstOrThrow();
    expect(row.message_id).toBe('20261203140211.A1@mail.city.chiba.example');
  });

  it('a certificate without its key (or a file that cannot be read) stops the start with the variable named', () => {
    const base = {
      PUBLIC_URL: 'http://127.0.0.1:3000',
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      MAIL_IN_PORT: '0',
    };
    const deps = (env: Record<string, string>) => ({
      config: loadConfig({ ...base, ...env }),
      db: server.db,
      cipher: createCipher(TEST_ENCRYPTION_KEY),
      onStored: () => {},
      resolver: async () => [],
      log: console,
    });
    expect(() => createSmtpListener(deps({ MAIL_IN_TLS_CERT: cert }))).toThrow(
      /MAIL_IN_TLS_CERT and MAIL_IN_TLS_KEY/,
    );
    expect(() =>
      createSmtpListener(deps({ MAIL_IN_TLS_CERT: cert, MAIL_IN_TLS_KEY: path.join(dir, 'missing.pem') })),
    ).toThrow(/MAIL_IN_TLS_KEY/);
  });
});
