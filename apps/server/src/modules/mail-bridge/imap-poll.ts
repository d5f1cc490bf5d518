import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ImapFlow } from 'imapflow';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { checkMailAuth, type DNSResolver, type MailAuthResult } from './mail-auth.ts';
import {
  claimPollableAddresses,
  insertRefused,
  type MailAddressRow,
  setImapError,
} from './mail-bridge.repository.ts';
import { headerAddressOf } from './mail-parse.ts';
import { storeReceived } from './mail-store.ts';
import { senderAllowed } from './smtp-listener.ts';

// IMAP polling (issue 14) for a city that cannot point an MX record here: per address, the mailbox is
// read every imap_interval_s (the cron job MAIL_BRIDGE_IMAP_JOB); each unseen mail is stored exactly
// as the SMTP path stores it (storeReceived: sealed, Message-ID dedupe) and marked \Seen only AFTER
// that transaction committed: a crash between the two leaves it unseen, read again next time, and
// the duplicate is recognised by its Message-ID. The allowed-senders list and the size limit apply
// (checked on the mail's Return-Path, else From). DKIM and DMARC are checked on the mail's bytes as
// the SMTP path checks them (mail-auth.ts); SPF needs the connecting IP of an SMTP session, which an
// IMAP mailbox does not give: it is recorded not_checked, so an address that requires
// authentication takes an IMAP mail only with a passing DKIM signature.

/** What the poller needs of an IMAP connection (imapflow in the product, a fake in tests). */
export interface ImapSession {
  /** UIDs of the unseen mails in the mailbox (oldest first). */
  unseen(): Promise<number[]>;
  /** The raw bytes of one mail. */
  source(uid: number): Promise<Buffer | null>;
  markSeen(uid: number): Promise<void>;
  close(): Promise<void>;
}

export interface ImapSettings {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  mailbox: string;
}

export type ImapConnect = (s: ImapSettings) => Promise<ImapSession>;

/**
 * imapflow (Postal Systems, MIT); tested against hoodiecrow-imap, an in-memory IMAP server, in the
 * clear and over TLS (imap-hoodiecrow.int.test.ts). With `tls` the server's certificate is verified
 * (system CAs, plus `ca`: MAIL_IN_IMAP_CA_FILE, a city's own CA); a certificate that does not verify
 * fails the connection, the error is kept on the address.
 */
export function createImapflowConnect(opts: { ca?: Buffer } = {}): ImapConnect {
  const tlsOptions = opts.ca ? { ca: [...rootCertificates, opts.ca.toString()] } : {};
  return (s) => imapflowSession(s, tlsOptions);
}

/** MAIL_IN_IMAP_CA_FILE read at start: a missing or unreadable file stops the start. */
export function imapCaFile(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`MAIL_IN_IMAP_CA_FILE: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function imapflowSession(s: ImapSettings, tlsOptions: { ca?: string[] }): Promise<ImapSession> {
  const client = new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.tls,
    tls: { rejectUnauthorized: true, ...tlsOptions },
    auth: { user: s.user, pass: s.password },
    logger: false,
    connectionTimeout: 15_000,
    socketTimeout: 60_000,
  });
  await client.connect();
  const lock = await client.getMailboxLock(s.mailbox);
  return {
    async unseen() {
      const uids = await client.search({ seen: false }, { uid: true });
      return (uids || []).sort((a, b) => a - b);
    },
    async source(uid) {
      const m = await client.fetchOne(String(uid), { source: true }, { uid: true });
      return m ? (m.source ?? null) : null;
    },
    async markSeen(uid) {
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    },
    async close() {
      lock.release();
      await client.logout().catch(() => client.close());
    },
  };
}

export interface PollDeps {
  db: Db;
  cipher: Cipher;
  connect: ImapConnect;
  maxBytes: number;
  onStored(): void;
  /** DKIM/DMARC of each mail: the resolver, MAIL_IN_AUTH_TIMEOUT_MS, this host's name. */
  auth: { resolver: DNSResolver; timeoutMs: number; mta: string };
}

/** DKIM and DMARC of an IMAP mail; SPF not_checked (no SMTP session, no client IP). */
async function imapMailAuth(raw: Buffer, from: string, auth: PollDeps['auth']): Promise<MailAuthResult> {
  const r = await checkMailAuth(
    raw,
    { ip: null, helo: null, sender: from, mta: auth.mta },
    auth.resolver,
    auth.timeoutMs,
  );
  return {
    ...r,
    spf: 'not_checked',
    detail: [
      'spf=not_checked (IMAP: no SMTP client IP)',
      ...r.detail.split('\n').filter((l) => l && !/^spf=/i.test(l.trim())),
    ].join('\n'),
  };
}

/** One address's mailbox read once: how many mails were stored and refused. */
export async function pollAddress(deps: PollDeps, address: MailAddressRow) {
  const { db, cipher } = deps;
  const session = await deps.connect({
    host: address.imap_host!,
    port: address.imap_port ?? 993,
    tls: address.imap_tls,
    user: address.imap_user ?? '',
    password: address.imap_password_enc ? cipher.decrypt(address.imap_password_enc) : '',
    mailbox: address.imap_mailbox,
  });
  const done = { stored: 0, refused: 0 };
  try {
    const max = Math.min(deps.maxBytes, address.max_bytes);
    for (const uid of await session.unseen()) {
      const raw = await session.source(uid);
      if (!raw) continue;
      const from = (headerAddressOf(raw, 'return-path') ?? headerAddressOf(raw, 'from') ?? '').toLowerCase();
      if (!senderAllowed(address.allowed_senders, from) || raw.length > max) {
        await insertRefused(db, {
          address_id: address.id,
          recipient: address.address,
          from_address: from.slice(0, 254),
          remote_ip: null,
          reason:
            raw.length > max
              ? `上限サイズ（${max} バイト）を超えています（IMAP、既読にしました）`
              : '許可されていない差出人です（IMAP、既読にしました）',
        });
        done.refused++;
      } else {
        const auth = await imapMailAuth(raw, from, deps.auth);
        if (address.require_auth && auth.dkim !== 'pass') {
          await insertRefused(db, {
            address_id: address.id,
            recipient: address.address,
            from_address: from.slice(0, 254),
            remote_ip: null,
            reason: `DKIM 署名を確認できません（dkim=${auth.dkim}。IMAP では SPF を確認できないため DKIM が必要です。既読にしました）`,
          });
          done.refused++;
        } else {
          await storeReceived(db, cipher, { addresses: [address], raw, from, remoteIp: null, auth });
          done.stored++;
        }
      }
      // Only after the store (or the refusal) committed.
      await session.markSeen(uid);
    }
  } finally {
    await session.close();
  }
  if (done.stored > 0) deps.onStored();
  return done;
}

/** The cron job: every address whose interval is over, one after the other; errors kept per address. */
export async function pollDueAddresses(deps: PollDeps & { log: { warn(o: unknown, m?: string): void } }) {
  for (const address of await claimPollableAddresses(deps.db)) {
    let error: string | null = null;
    try {
      await pollAddress(deps, address);
    } catch (err) {
      error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      deps.log.warn({ err, addressId: address.id }, 'mail bridge: IMAP poll failed');
    }
    await setImapError(deps.db, address.id, error);
  }
}
