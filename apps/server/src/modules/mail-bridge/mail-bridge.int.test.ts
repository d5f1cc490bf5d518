import type {
  MailAddressView,
  MailMessageView,
  MailPreview,
  MailRuleView,
} from '@madoguchi/contracts/mail-bridge.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createTabGroup, twoCellTab } from '../../testing/rich-menu-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { mailInAddress } from './mail-bridge.module.ts';
import { fixture, multicasts, phonesInWards, sendRaw } from './testing/mail-world.ts';

// The mail bridge end to end (issue 14): the sample ISO-2022-JP mail sent over real SMTP (nodemailer)
// to the running product's listener → the rule picks the 区 segment, cuts the footer, appends the
// fixed text → exactly the virtual phones registered in 中央区 receive exactly that text (the LINE
// simulator's multicast requests). 「緊急」 → everyone and disaster mode on. Refusals, duplicates,
// sizes, bad regexes and bad input on every endpoint.

const CITY = 'anzen@mail.city.chiba.example';
const TO = 'bousai@madoguchi.city.example';
const APPEND = '※このメッセージは千葉市からの自動配信です。';

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
let port: number;
let address: MailAddressView;
let phones: Awaited<ReturnType<typeof phonesInWards>>;
let disasterGroupId: string;

const json = async <T>(r: Response, status = 200): Promise<T> => {
  const body = await r.text();
  expect(r.status, body).toBe(status);
  return (body ? JSON.parse(body) : null) as T;
};

const messages = async (status?: string) =>
  json<MailMessageView[]>(
    await admin.request(
      'GET',
      `/api/mail-bridge/messages?addressId=${address.id}${status ? `&status=${status}` : ''}`,
    ),
  );

const settled = (messageIdHeader: string) =>
  waitFor(
    async () => (await messages()).filter((m) => m.messageId === messageIdHeader),
    (ms) => ms.length > 0 && ms.every((m) => m.status !== 'received'),
    { what: `mail ${messageIdHeader} processed` },
  );

beforeAll(async () => {
  // No DNS in tests: a server that is not there (SPF/DKIM → temperror, stored anyway; mail-auth.int.test.ts
  // checks the results with a fake resolver).
  w = await startLineWorld('2700000611', {
    env: { MAIL_IN_PORT: '0', MAIL_IN_HOST: '127.0.0.1', MAIL_IN_DNS_SERVERS: '127.0.0.1:9' },
  });
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  general = await staffClient(w.server, (await createStaff(w.server.db, 'general')).loginId);
  port = mailInAddress(w.server.app)!.port;
  phones = await phonesInWards(w, ['中央区', '美浜区', '緑区'], 3, 2);
  disasterGroupId = (
    await createTabGroup(w, admin, {
      channelId: w.channelId,
      name: '災害',
      kind: 'disaster',
      tabs: [twoCellTab('避難', 0, 2), twoCellTab('情報', 1, 2)],
    })
  ).id;
  address = await json<MailAddressView>(
    await admin.request('POST', '/api/mail-bridge/addresses', {
      channelId: w.channelId,
      address: TO,
      allowedSenders: [CITY, '@bousai.city.chiba.example'],
      maxBytes: 1024 * 1024,
    }),
    201,
  );
  const area = phones.seeded.area;
  await json<MailRuleView>(
    await admin.request('POST', '/api/mail-bridge/rules', {
      addressId: address.id,
      name: 'ちばし安全・安心メール → 区ごと',
      definition: {
        conditions: [
          { field: 'from', op: 'contains', value: 'city.chiba.example' },
          // Full-width in the mail, half-width here: NFKC on both sides.
          { field: 'subject', op: 'regex', value: '^【(ちばし安全・安心メール|緊急)】' },
        ],
        cutFrom: ['──────'],
        appendText: APPEND,
        audience: {
          kind: 'fromMail',
          itemId: area.itemId,
          choiceIds: area.wards.map((x) => x.id),
          whenNone: 'none',
        },
        urgentKeywords: ['緊急'],
        disaster: { groupId: disasterGroupId, when: 'urgent' },
      },
    }),
    201,
  );
}, 120_000);
afterAll(async () => w?.close());

describe('mail bridge (issue 14)', () => {
  it('E-01, E-03, E-04: the ISO-2022-JP sample over SMTP reaches exactly the 中央区 phones with the footer cut and the fixed text appended', async () => {
    const before = (await multicasts(w)).length;
    const answer = await sendRaw(port, fixture('mail-2-raw-iso2022jp.eml'), { from: CITY, to: [TO] });
    expect(answer.ok, answer.response).toBe(true);
    const [mail] = await settled('20261203140211.A1@mail.city.chiba.example');
    expect(mail!.status).toBe('delivered');
    expect(mail!.subject).toBe('【ちばし安全・安心メール】大雨警報（中央区）');
    expect(mail!.spf).toBe('temperror');
    const expected = [
      '【ちばし安全・安心メール】大雨警報（中央区）',
      '',
      '千葉市危機管理課からのお知らせです。',
      '',
      '令和８年１２月３日　１４時００分　気象庁発表',
      '千葉市中央区に大雨警報（浸水害）が発表されました。',
      '低い土地の浸水に警戒してください。',
      '',
      '詳しくは市ホームページをご覧ください。',
      'https://www.city.chiba.example/bousai/',
      '',
      APPEND,
    ].join('\n');
    const sent = await waitFor(
      async () => (await multicasts(w)).slice(before),
      (rs) => rs.flatMap((r) => r.body.to).length >= 3,
      { what: 'the multicast to 中央区' },
    );
    const to = sent.flatMap((r) => r.body.to).sort();
    expect(to).toEqual([...phones.byWard.get('中央区')!].sort());
    // The pipeline's click tracking (analytics) rewrote the link to /r/<token>, which leads back to it.
    for (const r of sent) expect(r.body.messages).toHaveLength(1);
    const text = sent[0]!.body.messages[0]!.text!;
    const link = text.match(/http:\/\/127\.0\.0\.1:3000(\/r\/[A-Za-z0-9_-]+)/)!;
    expect(text.replace(link[0], 'https://www.city.chiba.example/bousai/')).toBe(expected);
    for (const r of sent) expect(r.body.messages[0]!.text).toBe(text);
    const redirect = await fetch(`${w.server.url}${link[1]}`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe('https://www.city.chiba.example/bousai/');
    // The delivery is marked as coming from the mail and links back to it.
    const delivery = await w.server.db
      .selectFrom('deliveries')
      .select(['source', 'mail_message_id', 'status'])
      .where('id', '=', mail!.deliveryId!)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ source: 'mail', mail_message_id: mail!.id });
    // The raw mail is stored sealed, not readable as text.
    const stored = await w.server.db
      .selectFrom('mail_messages')
      .select(['raw_enc', 'subject_enc'])
      .where('id', '=', mail!.id)
      .executeTakeFirstOrThrow();
    expect(stored.raw_enc!.includes(Buffer.from('Message-ID'))).toBe(false);
    expect(stored.subject_enc).not.toContain('大雨');
  });

  it('E-05: the same Message-ID twice is delivered once (the second kept as a duplicate)', async () => {
    const before = (await multicasts(w)).length;
    const again = await sendRaw(port, fixture('mail-2-raw-iso2022jp.eml'), { from: CITY, to: [TO] });
    expect(again.ok).toBe(true);
    const copies = await waitFor(
      async () =>
        (await messages()).filter((m) => m.messageId === '20261203140211.A1@mail.city.chiba.example'),
      (ms) => ms.length === 2,
      { what: 'the second copy stored' },
    );
    const dup = copies.find((m) => m.status === 'duplicate')!;
    expect(dup.duplicateOf).toBe(copies.find((m) => m.status === 'delivered')!.id);
    expect(dup.deliveryId).toBeNull();
    const deliveries = await w.server.db
      .selectFrom('deliveries')
      .select('id')
      .where(
        'mail_message_id',
        'in',
        copies.map((c) => c.id),
      )
      .execute();
    expect(deliveries).toHaveLength(1);
    expect((await multicasts(w)).length).toBe(before);
  });

  it('E-02, E-07, X-01: a 「緊急」 mail goes to every friend and switches disaster mode on', async () => {
    const before = (await multicasts(w)).length;
    const answer = await sendRaw(port, fixture('mail-urgent-iso2022jp.eml'), { from: CITY, to: [TO] });
    expect(answer.ok).toBe(true);
    const [mail] = await settled('20261203150000.B2@mail.city.chiba.example');
    expect(mail!.status).toBe('delivered');
    const everyone = [...phones.byWard.values()].flat().concat(phones.unregistered).sort();
    const sent = await waitFor(
      async () => (await multicasts(w)).slice(before),
      (rs) => rs.flatMap((r) => r.body.to).length >= everyone.length,
      { what: 'the multicast to everyone' },
    );
    expect(sent.flatMap((r) => r.body.to).sort()).toEqual(everyone);
    expect(sent[0]!.body.messages[0]!.text).toContain('直ちに安全な場所へ避難してください。');
    expect(sent[0]!.body.messages[0]!.text).not.toContain('送信専用');
    const status = await waitFor(
      async () =>
        json<{ active: boolean; groupId?: string }>(
          await admin.request('GET', `/api/disaster/status?channelId=${w.channelId}`),
        ),
      (s) => s.active,
      { what: 'disaster mode on' },
    );
    expect(status.groupId).toBe(disasterGroupId);
    // The mail's row gets the switch's answer after the switch returned (disaster mode may be seen on
    // a moment before).
    const switched = await waitFor(
      async () => json<MailMessageView>(await admin.request('GET', `/api/mail-bridge/messages/${mail!.id}`)),
      (m) => m.disasterResult !== null,
      { what: 'the disaster switch result on the mail' },
    );
    expect(switched.disasterResult).toContain('災害モードに切り替えました');
  });

  it('E-05: a sender not allowed is refused at RCPT (550) and nothing deliverable is stored', async () => {
    const answer = await sendRaw(port, fixture('mail-2-raw-iso2022jp.eml'), {
      from: 'someone@evil.example',
      to: [TO],
    });
    expect(answer.ok).toBe(false);
    expect(answer.code).toBe(550);
    const refused = await messages('refused');
    expect(refused.some((m) => m.from === 'someone@evil.example')).toBe(true);
    const stored = await w.server.db
      .selectFrom('mail_messages')
      .select(['status', 'raw_enc'])
      .where('from_address', '=', 'someone@evil.example')
      .execute();
    expect(stored.every((s) => s.status === 'refused' && s.raw_enc === null)).toBe(true);
    // An address nobody registered: 550 too, nothing stored.
    const unknown = await sendRaw(port, fixture('mail-2-raw-iso2022jp.eml'), {
      from: CITY,
      to: ['nobody@madoguchi.city.example'],
    });
    expect(unknown.code).toBe(550);
  });

  it('a 20 MB mail is refused by size (552) and not stored', async () => {
    const big = Buffer.concat([
      Buffer.from(
        `From: ${CITY}\r\nTo: ${TO}\r\nSubject: big\r\nMessage-ID: <big@mail.city.chiba.example>\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
      ),
      Buffer.from(`${'QUFB'.repeat(19)}\r\n`.repeat(Math.ceil((20 * 1024 * 1024) / 78))),
    ]);
    const answer = await sendRaw(port, big, { from: CITY, to: [TO] });
    expect(answer.ok).toBe(false);
    expect(answer.code).toBe(552);
    expect((await messages()).some((m) => m.messageId === 'big@mail.city.chiba.example')).toBe(false);
  });

  it('E-05: a mail matching no rule is kept as unmatched; not-MIME and unknown charsets are parse_failed; none delivered', async () => {
    const before = (await multicasts(w)).length;
    const other = Buffer.from(
      `From: ${CITY}\r\nTo: ${TO}\r\nSubject: =?UTF-8?B?${Buffer.from('お知らせ').toString('base64')}?=\r\nMessage-ID: <other@mail.city.chiba.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhello\r\n`,
    );
    expect((await sendRaw(port, other, { from: CITY, to: [TO] })).ok).toBe(true);
    expect((await sendRaw(port, fixture('mail-unknown-charset.eml'), { from: CITY, to: [TO] })).ok).toBe(
      true,
    );
    expect((await settled('other@mail.city.chiba.example'))[0]!.status).toBe('unmatched');
    const bad = (await settled('20261203190000.F6@mail.city.chiba.example'))[0]!;
    expect(bad.status).toBe('parse_failed');
    expect(bad.statusReason).toContain('x-madoguchi-unknown');
    expect((await multicasts(w)).length).toBe(before);
  });

  it('the test panel shows the exact texts and the audience count without delivering; replay makes a new delivery', async () => {
    const before = (await multicasts(w)).length;
    const raw = fixture('mail-utf8-qp.eml').toString('latin1');
    const preview = await json<MailPreview>(
      await admin.request('POST', '/api/mail-bridge/test', { addressId: address.id, raw }),
    );
    // Subject has no 【…】 prefix: no rule matches.
    expect(preview.status).toBe('unmatched');
    const delivered = (await messages('delivered'))[0]!;
    const picked = await json<MailPreview>(
      await admin.request('POST', '/api/mail-bridge/test', {
        addressId: address.id,
        messageId: delivered.id,
      }),
    );
    expect(picked.status).toBe('matched');
    expect(picked.messages[0]).toContain(APPEND);
    expect(picked.recipients).toBeGreaterThan(0);
    expect((await multicasts(w)).length).toBe(before);

    const replayed = await json<MailMessageView>(
      await admin.request('POST', `/api/mail-bridge/messages/${delivered.id}/replay`),
    );
    expect(replayed.deliveryId).not.toBe(delivered.deliveryId);
    const audit = await w.server.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'mailbridge.message.replay')
      .execute();
    expect(audit.length).toBe(1);
  });

  it('an invalid regex rule is refused with 400 MAIL_RULE_REGEX_INVALID; a catastrophic one fails the mail, nothing delivered', async () => {
    const invalid = await admin.request('POST', '/api/mail-bridge/rules', {
      addressId: address.id,
      name: 'bad',
      definition: { conditions: [{ field: 'subject', op: 'regex', value: '([a-z' }] },
    });
    const body = await json<{ code: string; details: { path: string }[] }>(invalid, 400);
    expect(body.code).toBe('MAIL_RULE_REGEX_INVALID');
    expect(body.details[0]!.path).toBe('definition.conditions.0.value');

    const slow = await json<MailPreview>(
      await admin.request('POST', '/api/mail-bridge/test', {
        addressId: address.id,
        raw: `From: ${CITY}\r\nSubject: ${'a'.repeat(40)}!\r\nMessage-ID: <slow@x.example>\r\n\r\nbody\r\n`,
        rules: [
          { name: 'slow', definition: { conditions: [{ field: 'subject', op: 'regex', value: '^(a+)+$' }] } },
        ],
      }),
    );
    expect(slow.status).toBe('failed');
    expect(slow.reason).toContain('ms で終わりませんでした');
  });

  it('bad input on every endpoint: 400 with a code, 403 without the permission, 404 for unknown IDs', async () => {
    const zero = '00000000-0000-4000-8000-000000000000';
    const cases: [string, string, unknown, number][] = [
      ['GET', '/api/mail-bridge/addresses?channelId=x', undefined, 400],
      [
        'POST',
        '/api/mail-bridge/addresses',
        { channelId: w.channelId, address: 'not-an-address', allowedSenders: [] },
        400,
      ],
      [
        'POST',
        '/api/mail-bridge/addresses',
        { channelId: w.channelId, address: TO, allowedSenders: [CITY] },
        409,
      ],
      ['PATCH', `/api/mail-bridge/addresses/${address.id}`, { maxBytes: 10 }, 400],
      ['PATCH', `/api/mail-bridge/addresses/${zero}`, { enabled: false }, 404],
      ['PATCH', `/api/mail-bridge/addresses/${address.id}`, { requireAuth: 'yes' }, 400],
      [
        'PATCH',
        `/api/mail-bridge/addresses/${address.id}`,
        { imap: { host: 'imap example', user: 'u', password: 'p', port: 70000 } },
        400,
      ],
      // The first IMAP setting needs its password (it is write-only afterwards).
      [
        'PATCH',
        `/api/mail-bridge/addresses/${address.id}`,
        { imap: { host: 'imap.city.example', user: 'u' } },
        400,
      ],
      ['DELETE', '/api/mail-bridge/addresses/x', undefined, 400],
      ['GET', '/api/mail-bridge/rules?addressId=x', undefined, 400],
      ['POST', '/api/mail-bridge/rules', { addressId: address.id, name: '', definition: {} }, 400],
      ['POST', '/api/mail-bridge/rules', { addressId: zero, name: 'x', definition: {} }, 404],
      ['PATCH', `/api/mail-bridge/rules/${zero}`, { name: 'x' }, 404],
      ['DELETE', `/api/mail-bridge/rules/${zero}`, undefined, 404],
      ['PUT', '/api/mail-bridge/rules/order', { addressId: address.id, ruleIds: [zero] }, 400],
      ['POST', '/api/mail-bridge/test', { addressId: address.id }, 400],
      ['GET', `/api/mail-bridge/messages?addressId=${address.id}&status=nope`, undefined, 400],
      ['GET', `/api/mail-bridge/messages/${zero}`, undefined, 404],
      ['POST', '/api/mail-bridge/messages/x/replay', undefined, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const r = await admin.request(method, path, body);
      const answer = (await r.json()) as { code?: string; message?: string };
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(answer.code, `${method} ${path}`).toMatch(/^[A-Z_]+$/);
      expect(answer.message).toBeTruthy();
    }
    const denied = await general.request('GET', `/api/mail-bridge/addresses?channelId=${w.channelId}`);
    expect(denied.status).toBe(403);
  });

  it('E-05: the IMAP password is write-only: saved sealed, answered as passwordSet, kept when omitted, never in the audit log', async () => {
    const secret = 'imap-pass-0611';
    const imap = {
      host: '127.0.0.1',
      port: 9,
      tls: false,
      user: 'bousai',
      mailbox: 'INBOX',
      intervalSeconds: 3600,
    };
    const set = await json<MailAddressView>(
      await admin.request('PATCH', `/api/mail-bridge/addresses/${address.id}`, {
        imap: { ...imap, password: secret },
      }),
    );
    expect(set.imap).toMatchObject({ host: '127.0.0.1', passwordSet: true });
    expect(JSON.stringify(set)).not.toContain(secret);
    const kept = await json<MailAddressView>(
      await admin.request('PATCH', `/api/mail-bridge/addresses/${address.id}`, {
        imap: { ...imap, user: 'bousai2' },
      }),
    );
    expect(kept.imap).toMatchObject({ user: 'bousai2', passwordSet: true });
    const row = await w.server.db
      .selectFrom('mail_addresses')
      .select('imap_password_enc')
      .where('id', '=', address.id)
      .executeTakeFirstOrThrow();
    expect(row.imap_password_enc).toBeTruthy();
    expect(row.imap_password_enc).not.toContain(secret);
    const audit = await w.server.db.selectFrom('audit_log').select('detail').execute();
    expect(JSON.stringify(audit)).not.toContain(secret);
    const off = await json<MailAddressView>(
      await admin.request('PATCH', `/api/mail-bridge/addresses/${address.id}`, { imap: null }),
    );
    expect(off.imap).toBeNull();
  });
});
