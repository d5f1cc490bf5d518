import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cipher, createCipher } from '../../platform/crypto.ts';
import {
  insertTestChannel,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';
import { type ImapConnect, type ImapSettings, pollAddress, pollDueAddresses } from './imap-poll.ts';
import { findAddress } from './mail-bridge.repository.ts';
import { createAddress } from './mail-bridge.service.ts';
import { cityTestDns } from './testing/fake-dns.ts';
import { plainMail } from './testing/mail-world.ts';

// IMAP polling (issue 14, E-05) with an injected IMAP session (a fake mailbox in memory, to inject
// failures; the imapflow connection itself: imap-hoodiecrow.int.test.ts). Real Postgres: each unseen
// mail is stored as the SMTP path stores it and marked seen only after the store committed; a failing
// store leaves it unseen; a mail seen again (crash before \Seen) is a duplicate by Message-ID;
// senders not allowed are refused and marked seen.

const cipher = createCipher(TEST_ENCRYPTION_KEY);
let server: TestServer;
// DKIM/DMARC lookups against a fake DNS (no network): city.test publishes its DKIM key and DMARC.
const dns = cityTestDns();
const auth = { resolver: dns.resolver, timeoutMs: 3000, mta: 'madoguchi.city.example' };

const raw = (from: string, id: string) =>
  Buffer.from(plainMail({ from: `防災 <${from}>`, to: 'bousai@city.example', id }));

/** A mailbox in memory; `events` records what happened, in order. */
function fakeMailbox(mails: Map<number, Buffer>) {
  const seen = new Set<number>();
  const events: string[] = [];
  let settings: ImapSettings | null = null;
  const connect: ImapConnect = async (s) => {
    settings = s;
    return {
      unseen: async () => [...mails.keys()].filter((u) => !seen.has(u)),
      source: async (uid) => mails.get(uid) ?? null,
      async markSeen(uid) {
        events.push(`seen ${uid}`);
        seen.add(uid);
      },
      close: async () => {
        events.push('close');
      },
    };
  };
  return { connect, seen, events, settings: () => settings };
}

const rowsOf = (addressId: string) =>
  server.db
    .selectFrom('mail_messages')
    .select(['message_id', 'status', 'refused_count'])
    .where('address_id', '=', addressId)
    .orderBy('received_at')
    .orderBy('message_id')
    .execute();

let addressId: string;
let channelId: string;
const makeDue = () =>
  server.db.updateTable('mail_addresses').set({ imap_polled_at: null }).where('id', '=', addressId).execute();
const pollDue = (connect: ImapConnect, c: Cipher = cipher) =>
  pollDueAddresses({
    db: server.db,
    cipher: c,
    connect,
    maxBytes: 1 << 20,
    onStored() {},
    auth,
    log: { warn() {} },
  });
beforeAll(async () => {
  server = await startTestServer();
  const channel = await insertTestChannel(server);
  channelId = channel.id;
  addressId = (
    await createAddress(server.db, cipher, {
      channelId: channel.id,
      address: 'imap@madoguchi.city.example',
      allowedSenders: ['@city.test'],
      maxBytes: 1024 * 1024,
      enabled: true,
      requireAuth: false,
      imap: {
        host: 'imap.city.example',
        port: 993,
        tls: true,
        user: 'bousai',
        password: 'imap-secret-1',
        mailbox: 'INBOX',
        intervalSeconds: 300,
      },
    })
  ).id;
}, 60_000);
afterAll(async () => server?.close());

describe('IMAP polling with an injected session (issue 14)', () => {
  it('E-05: the password is sealed at rest and given to the connection decrypted', async () => {
    const row = (await findAddress(server.db, addressId))!;
    expect(row.imap_password_enc).not.toContain('imap-secret-1');
    const box = fakeMailbox(new Map());
    await pollAddress(
      { db: server.db, cipher, connect: box.connect, maxBytes: 1 << 20, onStored() {}, auth },
      row,
    );
    expect(box.settings()).toMatchObject({
      host: 'imap.city.example',
      user: 'bousai',
      password: 'imap-secret-1',
    });
  });

  it('E-05: unseen mails are stored then marked seen; a sender not allowed is refused and marked seen; a duplicate is kept once', async () => {
    const mails = new Map([
      [11, raw('anzen@city.test', 'i1')],
      [12, raw('spam@evil.test', 'i2')],
      [13, raw('anzen@city.test', 'i1')],
    ]);
    const box = fakeMailbox(mails);
    let woken = 0;
    const row = (await findAddress(server.db, addressId))!;
    const done = await pollAddress(
      { db: server.db, cipher, connect: box.connect, maxBytes: 1 << 20, onStored: () => woken++, auth },
      row,
    );
    expect(done).toEqual({ stored: 2, refused: 1 });
    expect(box.events).toEqual(['seen 11', 'seen 12', 'seen 13', 'close']);
    expect(woken).toBe(1);
    const rows = await rowsOf(addressId);
    expect(rows.map((r) => [r.message_id, r.status])).toEqual([
      ['i1@city.test', 'received'],
      [null, 'refused'],
      ['i1@city.test', 'duplicate'],
    ]);
  });

  it('E-05: when storing fails the mail stays unseen (read again next time), the error is kept on the address', async () => {
    const box = fakeMailbox(new Map([[21, raw('anzen@city.test', 'i3')]]));
    const failing = {
      ...cipher,
      encryptBytes: () => {
        throw new Error('disk full (injected)');
      },
    };
    await makeDue();
    await pollDue(box.connect, failing);
    expect(box.seen.has(21)).toBe(false);
    expect(box.events).toEqual(['close']);
    const row = (await findAddress(server.db, addressId))!;
    expect(row.imap_error).toBe('disk full (injected)');
    expect(row.imap_polled_at).not.toBeNull();
    // Not due again before its interval.
    await pollDue(box.connect);
    expect(box.seen.has(21)).toBe(false);
    // Due again: stored, then seen.
    await makeDue();
    await pollDue(box.connect);
    expect(box.seen.has(21)).toBe(true);
    expect((await findAddress(server.db, addressId))!.imap_error).toBeNull();
    expect(
      (await rowsOf(addressId)).some((r) => r.message_id === 'i3@city.test' && r.status === 'received'),
    ).toBe(true);
  });

  it('E-05: an IMAP mail gets its DKIM and DMARC checked (SPF not_checked); an address requiring authentication refuses one without a passing signature', async () => {
    const strict = await createAddress(server.db, cipher, {
      channelId,
      address: 'imap-strict@madoguchi.city.example',
      allowedSenders: ['@city.test'],
      maxBytes: 1024 * 1024,
      enabled: true,
      requireAuth: true,
      imap: {
        host: 'imap.city.example',
        port: 993,
        tls: true,
        user: 'bousai',
        password: 'imap-secret-2',
        mailbox: 'INBOX',
        intervalSeconds: 300,
      },
    });
    const signedMail = Buffer.from(
      await dns.sign(plainMail({ from: '防災 <anzen@city.test>', to: 'bousai@city.example', id: 'k1' })),
    );
    const box = fakeMailbox(
      new Map([
        [31, signedMail],
        [32, raw('anzen@city.test', 'k2')],
      ]),
    );
    const done = await pollAddress(
      { db: server.db, cipher, connect: box.connect, maxBytes: 1 << 20, onStored() {}, auth },
      (await findAddress(server.db, strict.id))!,
    );
    expect(done).toEqual({ stored: 1, refused: 1 });
    expect(box.events).toEqual(['seen 31', 'seen 32', 'close']);
    const rows = await server.db
      .selectFrom('mail_messages')
      .select(['message_id', 'status', 'spf', 'dkim', 'dmarc', 'status_reason'])
      .where('address_id', '=', strict.id)
      .orderBy('received_at')
      .execute();
    expect(rows.map((r) => [r.message_id, r.status, r.spf, r.dkim, r.dmarc])).toEqual([
      ['k1@city.test', 'received', 'not_checked', 'pass', 'pass'],
      [null, 'refused', 'not_checked', 'not_checked', 'not_checked'],
    ]);
    expect(rows[1]!.status_reason).toContain('DKIM 署名を確認できません');
  });
});
