import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { readTlsPair } from '../../platform/tls-files.ts';
import { authPassed, checkMailAuth, type DNSResolver } from './mail-auth.ts';
import { findAddressByName, insertRefused, type MailAddressRow } from './mail-bridge.repository.ts';
import { storeReceived } from './mail-store.ts';

// The inbound SMTP listener (issue 14, smtp-server): the city's vendor system sends its 安全・安心メール
// here (MX or a forwarding rule). Per recipient address (mail_addresses): unknown addresses are
// refused at RCPT (550 5.1.1), a sender not allowed for the address too (550 5.7.1, recorded as
// refused), a mail over the address's size (or MAIL_IN_MAX_BYTES, announced as SIZE) at the end of
// DATA (552 5.3.4). An accepted mail is stored sealed (raw bytes, deps.cipher) with its Message-ID,
// sender, recipient, subject and time in one transaction BEFORE the 250 answer: once the sender is
// told "accepted", the mail is in the database. Processing is a job (`onStored` wakes it).
// SPF/DKIM/DMARC are checked before the 250 (mail-auth.ts, bounded by MAIL_IN_AUTH_TIMEOUT_MS) and
// stored with the mail; an address with require_auth refuses a mail whose SPF and DKIM both did
// not pass (550 5.7.1 after DATA, counted as refused). Refusals: one row per (address, sender, hour).

export interface SmtpListenerDeps {
  config: Config;
  db: Db;
  cipher: Cipher;
  onStored(): void;
  /** DNS for SPF/DKIM (systemResolver(config) in the product; a fake one in tests). */
  resolver: DNSResolver;
  log: {
    info(o: unknown, m?: string): void;
    warn(o: unknown, m?: string): void;
    error(o: unknown, m?: string): void;
  };
}

interface SessionState {
  addresses: MailAddressRow[];
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/** Whether `from` is allowed by the list (an address, or @domain for the whole domain). */
export function senderAllowed(allowed: readonly string[], from: string): boolean {
  const f = from.toLowerCase();
  const domain = f.slice(f.lastIndexOf('@'));
  return allowed.some((a) => (a.startsWith('@') ? a === domain : a === f));
}

/** Fails the start when the TLS settings are half given or cannot be read. */
const tlsOptions = (config: Config) =>
  readTlsPair(['MAIL_IN_TLS_CERT', 'MAIL_IN_TLS_KEY'], [config.MAIL_IN_TLS_CERT, config.MAIL_IN_TLS_KEY]);

export function createSmtpListener(deps: SmtpListenerDeps) {
  const { config, db, cipher, log } = deps;
  const tls = tlsOptions(config);
  const limit = config.MAIL_IN_MAX_BYTES;
  const states = new WeakMap<SMTPServerSession, SessionState>();
  const state = (s: SMTPServerSession) => {
    let st = states.get(s);
    if (!st) {
      st = { addresses: [] };
      states.set(s, st);
    }
    return st;
  };

  const serverName = new URL(config.PUBLIC_URL).hostname;
  const server = new SMTPServer({
    name: serverName,
    banner: 'Madoguchi mail bridge',
    size: limit,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { secure: false, key: tls.key, cert: tls.cert } : {}),
    logger: false,
    maxClients: 50,
    onMailFrom(_address, session, callback) {
      state(session).addresses = [];
      callback();
    },
    onRcptTo(address, session, callback) {
      const to = address.address.toLowerCase();
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '';
      findAddressByName(db, to)
        .then(async (row) => {
          if (!row?.enabled)
            return callback(smtpError(550, '5.1.1 Recipient address rejected: no such mailbox'));
          if (!senderAllowed(row.allowed_senders, from)) {
            await insertRefused(db, {
              address_id: row.id,
              recipient: to,
              from_address: from.slice(0, 254),
              remote_ip: session.remoteAddress ?? null,
              reason: '許可されていない差出人です（SMTP 550 で拒否）',
            });
            return callback(smtpError(550, '5.7.1 Sender not allowed for this address'));
          }
          state(session).addresses.push(row);
          callback();
        })
        .catch((err) => {
          log.error({ err }, 'mail bridge: RCPT lookup failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      const addresses = state(session).addresses;
      const max = Math.min(limit, ...addresses.map((a) => a.max_bytes));
      let over = false;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) over = true;
        else chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (over || (stream as { sizeExceeded?: boolean }).sizeExceeded) {
          log.warn({ size, max }, 'mail bridge: mail over the size limit refused');
          return callback(smtpError(552, `5.3.4 Message too big (limit ${max} bytes)`));
        }
        const raw = Buffer.concat(chunks);
        accept(session, addresses, raw)
          .then((refusal) => {
            if (refusal) return callback(smtpError(550, refusal));
            deps.onStored();
            callback();
          })
          .catch((err) => {
            log.error({ err }, 'mail bridge: storing a mail failed');
            callback(smtpError(451, '4.3.0 Could not store the message, try again later'));
          });
      });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'mail bridge: SMTP error'));

  /** Checks SPF/DKIM, then stores (answers the SMTP refusal text when the mail is refused). */
  async function accept(
    session: SMTPServerSession,
    addresses: MailAddressRow[],
    raw: Buffer,
  ): Promise<string | null> {
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '';
    const remoteIp = session.remoteAddress ?? null;
    const auth = await checkMailAuth(
      raw,
      { ip: remoteIp, helo: session.hostNameAppearsAs ?? null, sender: from, mta: serverName },
      deps.resolver,
      config.MAIL_IN_AUTH_TIMEOUT_MS,
    );
    const strict = addresses.filter((a) => a.require_auth);
    if (!authPassed(auth) && strict.length > 0) {
      for (const a of strict) {
        await insertRefused(db, {
          address_id: a.id,
          recipient: a.address,
          from_address: from.slice(0, 254),
          remote_ip: remoteIp,
          reason: `SPF・DKIM のどちらも pass ではありません（spf=${auth.spf}, dkim=${auth.dkim}、SMTP 550 で拒否）`,
        });
      }
      // One answer for the whole mail (SMTP has no per-recipient answer after DATA).
      if (strict.length === addresses.length) return '5.7.1 SPF or DKIM must pass for this address';
      addresses = addresses.filter((a) => !a.require_auth);
    }
    await storeReceived(db, cipher, { addresses, raw, from, remoteIp, auth });
    return null;
  }

  let bound: AddressInfo | null = null;
  return {
    async listen(): Promise<AddressInfo> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.MAIL_IN_PORT ?? 0, config.MAIL_IN_HOST, () => {
          server.off('error', reject);
          resolve();
        });
      });
      bound = server.server.address() as AddressInfo;
      log.info({ port: bound.port, tls: tls !== null }, 'mail bridge: SMTP listening');
      return bound;
    },
    address: () => bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
