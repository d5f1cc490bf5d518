import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import {
  insertTestChannel,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';
import { createAddress, createMailBridge } from './mail-bridge.service.ts';
import { createSmtpListener } from './smtp-listener.ts';
import { cityTestDns } from './testing/fake-dns.ts';
import { plainMail, sendRaw } from './testing/mail-world.ts';

// SPF / DKIM / DMARC of received mails, refusals counted per (address, sender, hour), processing
// retried with backoff (issue 14, E-05). Real SMTP (nodemailer → smtp-server) into real Postgres; the
// DNS is a fake resolver (no network): city.test publishes SPF for 127.0.0.1, a DKIM key and DMARC;
// other.test publishes SPF for another IP only.

const cipher = createCipher(TEST_ENCRYPTION_KEY);
const { resolver, sign: signed } = cityTestDns();

const OPEN = 'open@madoguchi.city.example';
const STRICT = 'strict@madoguchi.city.example';
let server: TestServer;
let listener: ReturnType<typeof createSmtpListener>;
let port: number;
let open: { id: string };
let strict: { id: string };

const mail = (from: string, id: string, body?: string) =>
  plainMail({ from, to: OPEN, id, ...(body ? { body } : {}) });

const stored = (messageId: string) =>
  server.db
    .selectFrom('mail_messages')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();

const refusals = (addressId: string, from: string) =>
  server.db
    .selectFrom('mail_messages')
    .select(['refused_count', 'status_reason'])
    .where('status', '=', 'refused')
    .where('address_id', '=', addressId)
    .where('from_address', '=', from)
    .execute();

beforeAll(async () => {
  server = await startTestServer();
  const channel = await insertTestChannel(server);
  const base = { channelId: channel.id, maxBytes: 1024 * 1024, enabled: true };
  open = await createAddress(server.db, cipher, {
    ...base,
    address: OPEN,
    allowedSenders: ['@city.test', '@other.test'],
    requireAuth: false,
  });
  strict = await createAddress(server.db, cipher, {
    ...base,
    address: STRICT,
    allowedSenders: ['@city.test', '@other.test'],
    requireAuth: true,
  });
  listener = createSmtpListener({
    config: { ...server.config, MAIL_IN_PORT: 0, MAIL_IN_HOST: '127.0.0.1' },
    db: server.db,
    cipher,
    onStored: () => {},
    resolver,
    log: { info() {}, warn() {}, error() {} },
  });
  port = (await listener.listen()).port;
}, 60_000);
afterAll(async () => {
  await listener?.close();
  await server?.close();
});

describe('mail authentication results (issue 14, E-05)', () => {
  it('E-05: a DKIM-signed mail from an SPF-listed IP is stored with spf=pass, dkim=pass, dmarc=pass', async () => {
    const a = await sendRaw(port, await signed(mail('防災 <anzen@city.test>', 'pass1')), {
      from: 'anzen@city.test',
      to: [OPEN],
    });
    expect(a.ok, a.response).toBe(true);
    const row = await stored('pass1@city.test');
    expect([row.spf, row.dkim, row.dmarc]).toEqual(['pass', 'pass', 'pass']);
    expect(row.auth_detail).toContain('header.s=sel');
  });

  it('E-05: a sender whose domain lists another IP is spf=fail; no signature is dkim=none', async () => {
    const a = await sendRaw(port, mail('x <info@other.test>', 'fail1'), {
      from: 'info@other.test',
      to: [OPEN],
    });
    expect(a.ok, a.response).toBe(true);
    const row = await stored('fail1@city.test');
    expect(row.spf).toBe('fail');
    expect(row.dkim).toBe('none');
  });

  it('E-05: a signed mail whose body was changed afterwards is not dkim=pass (mailauth: neutral, body hash did not verify)', async () => {
    const good = await signed(mail('防災 <anzen@city.test>', 'tamper1'));
    const tampered = good.replace('本日の訓練のお知らせです。', '本日の訓練は中止です。');
    expect(tampered).not.toBe(good);
    const a = await sendRaw(port, tampered, { from: 'anzen@city.test', to: [OPEN] });
    expect(a.ok, a.response).toBe(true);
    const row = await stored('tamper1@city.test');
    expect(row.dkim).toBe('neutral');
    expect(row.auth_detail).toContain('body hash did not verify');
  });

  it('E-05: "require SPF or DKIM pass" refuses (550 5.7.1) a mail failing both, counted in one row; a passing one is stored', async () => {
    for (const n of [1, 2, 3]) {
      const a = await sendRaw(port, mail('x <info@other.test>', `strict-fail${n}`), {
        from: 'info@other.test',
        to: [STRICT],
      });
      expect(a.ok).toBe(false);
      expect(a.code).toBe(550);
      expect(a.response).toContain('5.7.1');
    }
    const rows = await refusals(strict.id, 'info@other.test');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.refused_count).toBe(3);
    expect(rows[0]!.status_reason).toContain('spf=fail');
    const none = await server.db
      .selectFrom('mail_messages')
      .select('id')
      .where('message_id', 'like', 'strict-fail%')
      .execute();
    expect(none).toEqual([]);
    const ok = await sendRaw(port, mail('防災 <anzen@city.test>', 'strict-pass'), {
      from: 'anzen@city.test',
      to: [STRICT],
    });
    expect(ok.ok, ok.response).toBe(true);
    expect((await stored('strict-pass@city.test')).spf).toBe('pass');
  });

  it('E-05: a flood from a sender not allowed adds one row per (address, sender, hour) with the count', async () => {
    for (let n = 0; n < 5; n++) {
      const a = await sendRaw(port, mail('x <spam@evil.test>', `flood${n}`), {
        from: 'spam@evil.test',
        to: [OPEN],
      });
      expect(a.code).toBe(550);
    }
    const rows = await refusals(open.id, 'spam@evil.test');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.refused_count).toBe(5);
  });
});

describe('processing retries with backoff (issue 14)', () => {
  it('E-05: a mail whose processing throws waits base × 4^n before the next attempt, fails after 3 with the reason', async () => {
    const a = await sendRaw(port, mail('防災 <anzen@city.test>', 'retry1'), {
      from: 'anzen@city.test',
      to: [OPEN],
    });
    expect(a.ok, a.response).toBe(true);
    const id = (await stored('retry1@city.test')).id;
    // The injected failure: writing this mail's outcome raises (the processing transaction rolls back).
    await sql`
      create function mail_test_fail() returns trigger language plpgsql as $$
      begin
        if new.message_id = 'retry1@city.test' and new.status = 'unmatched' then
          raise exception 'injected failure for the test';
        end if;
        return new;
      end $$;
      create trigger mail_test_fail before update on mail_messages for each row execute function mail_test_fail();
    `.execute(server.db);
    const base = 60_000;
    const bridge = createMailBridge({
      db: server.db,
      cipher,
      retryBaseMs: base,
      wakeDeliveries: () => {},
      switchDisaster: async () => '',
      log: { warn() {}, error() {} },
    });
    const waitOf = async () => {
      const r = await server.db
        .selectFrom('mail_messages')
        .select([
          'status',
          'attempts',
          'status_reason',
          sql<number>`(extract(epoch from next_attempt_at - now()) * 1000)::float8`.as('waitMs'),
        ])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return r;
    };
    await bridge.processDue();
    let r = await waitOf();
    expect(r.status).toBe('received');
    expect(r.attempts).toBe(1);
    expect(r.status_reason).toContain('injected failure for the test');
    expect(r.waitMs).toBeGreaterThan(base * 0.5);
    expect(r.waitMs).toBeLessThanOrEqual(base);
    // Not due yet: another run leaves it alone.
    await bridge.processDue();
    expect((await waitOf()).attempts).toBe(1);
    // The wait is over (moved, not waited for): the second attempt fails → 4 × base.
    await sql`update mail_messages set next_attempt_at = now() where id = ${id}`.execute(server.db);
    await bridge.processDue();
    r = await waitOf();
    expect(r.attempts).toBe(2);
    expect(r.waitMs).toBeGreaterThan(base * 3);
    expect(r.waitMs).toBeLessThanOrEqual(base * 4);
    await sql`update mail_messages set next_attempt_at = now() where id = ${id}`.execute(server.db);
    await bridge.processDue();
    r = await waitOf();
    expect(r.status).toBe('failed');
    expect(r.attempts).toBe(3);
    expect(r.status_reason).toBe('処理に失敗しました: injected failure for the test');
    await sql`drop trigger mail_test_fail on mail_messages; drop function mail_test_fail();`.execute(
      server.db,
    );
  });
});
