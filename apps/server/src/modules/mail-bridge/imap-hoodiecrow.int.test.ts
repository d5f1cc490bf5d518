import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import hoodiecrow from 'hoodiecrow-imap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import {
  insertTestChannel,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';
import { createImapflowConnect, imapCaFile, pollAddress } from './imap-poll.ts';
import { findAddress } from './mail-bridge.repository.ts';
import { createAddress } from './mail-bridge.service.ts';
import { cityTestDns } from './testing/fake-dns.ts';
import { plainMail } from './testing/mail-world.ts';

// The product's imapflow connection (imapflowConnect) against a real IMAP server speaking the
// protocol over TCP: hoodiecrow-imap (in memory, an old but working test server). Unseen mails are
// listed, read whole and marked \Seen; a second session sees none unseen (issue 14, E-05). Over TLS
// (a second server with a certificate of a test CA): the certificate is verified: trusted through
// MAIL_IN_IMAP_CA_FILE it connects, untrusted it fails.

const imapflowConnect = createImapflowConnect();

const mails = [
  plainMail({ from: 'anzen@city.test', to: 'bousai@city.example', id: 'h1' }),
  plainMail({ from: 'anzen@city.test', to: 'bousai@city.example', id: 'h2' }),
];
// hoodiecrow keeps a mail as a JS string and writes it out byte per character: the UTF-8 bytes as
// latin1 characters come back as the original bytes.
const box = () => [
  { raw: Buffer.from(mails[0]!).toString('latin1'), flags: [] },
  { raw: 'Subject: read already\r\n\r\nold', flags: ['\\Seen'] },
  { raw: Buffer.from(mails[1]!).toString('latin1'), flags: [] },
];
let server: ReturnType<typeof hoodiecrow>;
let port: number;
let app: TestServer;

beforeAll(async () => {
  server = hoodiecrow({
    plugins: ['ID', 'ENABLE', 'UNSELECT', 'LITERALPLUS'],
    users: { bousai: { password: 'imap-pass' } },
    // The same two unseen mails (and one seen) in INBOX and in Bousai (one folder per test).
    storage: { INBOX: { messages: box() }, '': { separator: '/', folders: { Bousai: { messages: box() } } } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
  app = await startTestServer();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const settings = () => ({
  host: '127.0.0.1',
  port,
  tls: false,
  user: 'bousai',
  password: 'imap-pass',
  mailbox: 'INBOX',
});

describe('imapflow against an IMAP server (issue 14)', () => {
  it('E-05: the poller stores the unseen mails through imapflow (sealed, by Message-ID) and leaves none unseen', async () => {
    const cipher = createCipher(TEST_ENCRYPTION_KEY);
    const channel = await insertTestChannel(app);
    const { id } = await createAddress(app.db, cipher, {
      channelId: channel.id,
      address: 'imap-real@madoguchi.city.example',
      allowedSenders: ['@city.test'],
      maxBytes: 1024 * 1024,
      enabled: true,
      requireAuth: false,
      imap: { ...settings(), mailbox: 'Bousai', intervalSeconds: 300 },
    });
    const done = await pollAddress(
      {
        db: app.db,
        cipher,
        connect: imapflowConnect,
        maxBytes: 1 << 20,
        onStored() {},
        auth: { resolver: cityTestDns().resolver, timeoutMs: 3000, mta: 'madoguchi.city.example' },
      },
      (await findAddress(app.db, id))!,
    );
    expect(done).toEqual({ stored: 2, refused: 0 });
    const rows = await app.db
      .selectFrom('mail_messages')
      .select(['message_id', 'status', 'raw_enc'])
      .where('address_id', '=', id)
      .orderBy('message_id')
      .execute();
    expect(rows.map((r) => [r.message_id, r.status])).toEqual([
      ['h1@city.test', 'received'],
      ['h2@city.test', 'received'],
    ]);
    expect(cipher.decryptBytes(rows[0]!.raw_enc!).toString()).toContain('本日の訓練のお知らせです。');
    const again = await imapflowConnect({ ...settings(), mailbox: 'Bousai' });
    expect(await again.unseen()).toEqual([]);
    await again.close();
  });

  it('E-05: lists the unseen mails, reads each whole, marks it seen; the next session finds none unseen', async () => {
    const s = await imapflowConnect(settings());
    const uids = await s.unseen();
    expect(uids).toHaveLength(2);
    const sources = [];
    for (const uid of uids) {
      sources.push((await s.source(uid))!.toString());
      await s.markSeen(uid);
    }
    await s.close();
    expect(sources.map((x) => x.replace(/\r\n$/, ''))).toEqual(mails.map((x) => x.replace(/\r\n$/, '')));
    const again = await imapflowConnect(settings());
    expect(await again.unseen()).toEqual([]);
    await again.close();
  });

  it('E-05: a wrong password fails the connection (the poller keeps the error on the address)', async () => {
    await expect(imapflowConnect({ ...settings(), password: 'wrong' })).rejects.toThrow();
  });
});

describe('imapflow over TLS (issue 14)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imap-tls-'));
  const file = (name: string) => path.join(dir, name);
  let tlsServer: ReturnType<typeof hoodiecrow>;
  let tlsPort: number;

  beforeAll(async () => {
    // A test CA and a server certificate for 127.0.0.1 signed by it (as a city's own CA would).
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=Test City CA',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
    );
    writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file('ext.cnf'),
      '-out',
      file('server.pem'),
    );
    tlsServer = hoodiecrow({
      secureConnection: true,
      credentials: { key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')) },
      plugins: ['ID', 'ENABLE', 'UNSELECT', 'LITERALPLUS'],
      users: { bousai: { password: 'imap-pass' } },
      storage: { INBOX: { messages: box() } },
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => tlsServer?.close(() => resolve()));
  });

  const tlsSettings = () => ({ ...settings(), port: tlsPort, tls: true });

  it('E-05: with the city CA trusted (MAIL_IN_IMAP_CA_FILE) the mails are read over TLS', async () => {
    const connect = createImapflowConnect({ ca: imapCaFile(file('ca.pem')) });
    const s = await connect(tlsSettings());
    const uids = await s.unseen();
    expect(uids).toHaveLength(2);
    expect((await s.source(uids[0]!))!.toString()).toContain('本日の訓練のお知らせです。');
    await s.close();
  });

  it('E-05: a certificate the system does not trust fails the connection (no silent fallback)', async () => {
    await expect(createImapflowConnect()(tlsSettings())).rejects.toThrow(/certificate/i);
  });

  it('E-05: an unreadable MAIL_IN_IMAP_CA_FILE stops the start with its name', () => {
    expect(() => imapCaFile(file('missing.pem'))).toThrow(/MAIL_IN_IMAP_CA_FILE/);
  });
});
