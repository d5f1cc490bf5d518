import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { lockDueMail, markMailAttemptFailed, markMailSent, nextDueMailAt } from './mail.repository.ts';
import { mailSendErrors, mailSent } from './mail-metrics.ts';

// The product's mails (fault report notifications R-02, booking confirmations V-03). A mail is a row
// of mail_outbox written in its report's or booking's own transaction; this sender takes the due ones
// one at a time (locked, so two workers never send the same row), sends each over SMTP (nodemailer)
// and records the outcome: sent, or pending again with attempts + 1 and a doubling delay, or failed
// after MAIL_MAX_ATTEMPTS (shown to staff, who can try again). Unset SMTP_URL: nothing is sent, the
// mails wait.

export const MAIL_JOB = 'mail.send';
export const MAIL_SWEEP_JOB = 'mail.sweep';

/** One timer per process: the earliest wake-up asked for wins. */
export function wakeUpTimer(run: () => void): (at: Date) => void {
  let timer: NodeJS.Timeout | null = null;
  let due = Number.POSITIVE_INFINITY;
  return (at) => {
    const t = at.getTime();
    if (timer && t >= due) return;
    if (timer) clearTimeout(timer);
    due = t;
    timer = setTimeout(
      () => {
        timer = null;
        due = Number.POSITIVE_INFINITY;
        run();
      },
      Math.max(50, t - Date.now()),
    );
    timer.unref();
  };
}

export interface Mailer {
  configured: boolean;
  send(mail: { to: string; subject: string; text: string }): Promise<void>;
}

export function createMailer(config: Config): Mailer {
  if (!config.SMTP_URL) return { configured: false, send: () => Promise.reject(new Error('SMTP_URL unset')) };
  const url = new URL(config.SMTP_URL);
  for (const [k, v] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '30000'],
  ])
    if (!url.searchParams.has(k!)) url.searchParams.set(k!, v!);
  const transport = createTransport(url.toString());
  return {
    configured: true,
    async send(mail) {
      await transport.sendMail({ from: config.MAIL_FROM, ...mail });
    },
  };
}

export interface MailSenderDeps {
  db: Db;
  /** Run the sender again at `at` (or soon, when it is past). */
  wakeAt(at: Date): void;
  mailer: Mailer;
  config: Pick<Config, 'MAIL_MAX_ATTEMPTS' | 'MAIL_RETRY_BASE_MS'>;
  log: FastifyBaseLogger;
}

const MAX_DELAY_MS = 3_600_000;

/** Sends every due mail; answers how many were sent. Schedules itself for the next retry. */
export async function sendDueMails(deps: MailSenderDeps, limit = 200): Promise<number> {
  if (!deps.mailer.configured) return 0;
  let sent = 0;
  for (let i = 0; i < limit; i++) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const row = await lockDueMail(trx, new Date());
      if (!row) return null;
      const attempts = row.attempts + 1;
      try {
        await deps.mailer.send({ to: row.to_address, subject: row.subject, text: row.body });
        await markMailSent(trx, row.id, attempts);
        mailSent.inc();
        return true;
      } catch (err) {
        const givenUp = attempts >= deps.config.MAIL_MAX_ATTEMPTS;
        const delay = Math.min(deps.config.MAIL_RETRY_BASE_MS * 2 ** (attempts - 1), MAX_DELAY_MS);
        const error = err instanceof Error ? err.message : String(err);
        await markMailAttemptFailed(trx, row.id, {
          attempts,
          error,
          next: new Date(Date.now() + delay),
          givenUp,
        });
        mailSendErrors.inc({ given_up: String(givenUp) });
        deps.log.warn({ mailId: row.id, attempts, givenUp, err: error }, 'mail not sent');
        return false;
      }
    });
    if (done === null) break;
    if (done) sent += 1;
  }
  // The next retry: a wake-up in this process at its time (pg-boss would see a deferred job only at
  // its backstop poll, 30 s with LISTEN/NOTIFY); the sweep cron covers a restart in between.
  const next = await nextDueMailAt(deps.db);
  if (next) deps.wakeAt(next);
  return sent;
}
