import type { AddressInfo } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import {
  insertTestChannel,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';
import { imapflowConnect, pollAddress } from './imap-poll.ts';
import { findAddress } from './mail-bridge.repository.ts';
import { createAddress } from './mail-bridge.service.ts';
import { plainMail } from './testing/mail-world.ts';

// The product's imapflow connection (imapflowConnect) against a real IMAP server speaking the
// protocol over TCP: hoodiecrow-imap (in memory, an old but working test server). Unseen mails are
// listed, read whole and marked \Seen; a second session sees none unseen (issue 14, E-05).

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
      { db: app.db, cipher, connect: imapflowConnect, maxBytes: 1 << 20, onStored() {} },
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
