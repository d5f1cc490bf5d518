import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { MailAuthResult } from './mail-auth.ts';
import { insertAccepted, type MailAddressRow } from './mail-bridge.repository.ts';
import { messageIdOf, rawSubjectOf } from './mail-parse.ts';

// Storing one received mail (issue 14): the one way for both the SMTP listener (before its 250) and
// the IMAP poller (before it marks the mail seen). Raw bytes sealed once, one row per address, in one
// transaction; the same Message-ID at an address again → a duplicate row (insertAccepted).

export interface ReceivedMail {
  addresses: MailAddressRow[];
  raw: Buffer;
  /** The envelope sender (SMTP MAIL FROM, or the IMAP mail's Return-Path / From). */
  from: string;
  remoteIp: string | null;
  auth: MailAuthResult | null;
}

export async function storeReceived(db: Db, cipher: Cipher, m: ReceivedMail): Promise<void> {
  // No Message-ID: the content's hash (the same mail sent twice is still recognised).
  const messageId = messageIdOf(m.raw) ?? `sha256:${createHash('sha256').update(m.raw).digest('hex')}`;
  const subject = rawSubjectOf(m.raw);
  const sealed = cipher.encryptBytes(m.raw);
  await db.transaction().execute(async (trx) => {
    for (const a of m.addresses) {
      await insertAccepted(trx, {
        address_id: a.id,
        recipient: a.address,
        from_address: m.from.toLowerCase().slice(0, 254),
        message_id: messageId,
        subject_enc: subject ? cipher.encrypt(subject) : null,
        raw_enc: sealed,
        size_bytes: m.raw.length,
        remote_ip: m.remoteIp,
        ...(m.auth
          ? { spf: m.auth.spf, dkim: m.auth.dkim, dmarc: m.auth.dmarc, auth_detail: m.auth.detail }
          : {}),
      });
    }
  });
}
