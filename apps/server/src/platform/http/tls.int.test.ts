import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaff,
  staffClient,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/madoguchi.js');

// S-01: with TLS_CERT_FILE / TLS_KEY_FILE the server speaks HTTPS itself, TLS 1.2 or newer only;
// HSTS when PUBLIC_URL is https. S-12: API answers carry Cache-Control: no-store.

const dir = mkdtempSync(path.join(os.tmpdir(), 'https-tls-'));
const cert = path.join(dir, 'cert.pem');
const key = path.join(dir, 'key.pem');

/** Connects with exactly one TLS version; answers the negotiated protocol or the error code. */
function handshake(port: number, version: tls.SecureVersion): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      rejectUnauthorized: false,
      minVersion: version,
      maxVersion: version,
      // Lets this client offer TLS 1.0/1.1 at all (OpenSSL 3 refuses them at the default level).
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('HTTPS served by the server itself (S-01)', () => {
  let server: TestServer;
  let port: number;
  // What is checked is the behaviour a client sees. (Node 24's OpenSSL 3 refuses TLS 1.0/1.1 at its
  // default security level too; the server's explicit minVersion keeps it so under any Node flags.)
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
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      PUBLIC_URL: 'https://madoguchi.city.example.jp',
    });
    port = Number(new URL(server.url).port);
  }, 60_000);
  afterAll(async () => server?.close());

  it('S-01: a TLS 1.1 (or 1.0) client is refused, TLS 1.2 and 1.3 are accepted', async () => {
    expect(server.url).toMatch(/^https:/);
    expect(await handshake(port, 'TLSv1.2')).toBe('TLSv1.2');
    expect(await handshake(port, 'TLSv1.3')).toBe('TLSv1.3');
    // The server answers with a protocol_version alert: it is the server that refuses.
    expect(await handshake(port, 'TLSv1.1')).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(await handshake(port, 'TLSv1')).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('S-01: HSTS on every answer when PUBLIC_URL is https', async () => {
    // node:https, not fetch: fetch would refuse the self-signed certificate.
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      https
        .get(`https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.headers);
        })
        .on('error', reject);
    });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('TLS settings (S-01) and API caching (S-12)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  const serve = (env: Record<string, string>) =>
    spawnSync(process.execPath, [bin, 'serve', '--no-workers'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        PUBLIC_URL: 'http://127.0.0.1:3000',
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DATABASE_URL: server.databaseUrl,
        PORT: '0',
        LOG_LEVEL: 'silent',
        ...env,
      },
    });

  it('S-01: a certificate without its key, or a file that cannot be read, stops the start naming the variables', () => {
    const half = serve({ TLS_CERT_FILE: cert });
    expect(half.status).not.toBe(0);
    expect(half.stderr).toContain('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    const missing = serve({ TLS_CERT_FILE: cert, TLS_KEY_FILE: path.join(dir, 'missing.pem') });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/TLS_CERT_FILE \/ TLS_KEY_FILE: ENOENT/);
  });

  it('S-12: staff and citizen API answers are no-store, also errors; no HSTS over plain http', async () => {
    const { loginId } = await createStaff(server.db, 'admin');
    const staff = await staffClient(server, loginId);
    for (const p of [
      '/api/session',
      '/api/friends',
      '/api/accounts',
      '/api/audit-log',
      '/api/nothing-here',
    ]) {
      const res = await staff.request('GET', p);
      expect([p, res.headers.get('cache-control')]).toEqual([p, 'no-store']);
    }
    // A citizen API answer too (the booking calendars without a sign-in: refused, still no-store).
    const citizen = await fetch(`${server.url}/api/citizen/booking-calendars`);
    expect(citizen.headers.get('cache-control')).toBe('no-store');
    const anonymous = await fetch(`${server.url}/api/session`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    expect(anonymous.headers.get('strict-transport-security')).toBeNull();
  });
});
