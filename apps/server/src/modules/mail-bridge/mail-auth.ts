import { Resolver } from 'node:dns/promises';
import { authenticate, type DNSResolver } from 'mailauth';
import type { Config } from '../../config.ts';

// SPF / DKIM / DMARC of a received mail (issue 14, mailauth by Postal Systems, MIT): run on the raw
// bytes with the SMTP session's client IP, HELO and MAIL FROM, before the 250 answer, bounded by
// MAIL_IN_AUTH_TIMEOUT_MS (after that every result is "temperror" and the mail is stored anyway).
// The DNS resolver comes from the caller (tests give a fake one: no network).

export type { DNSResolver };

export interface MailAuthResult {
  spf: string;
  /** The best DKIM result over the signatures (pass if one passed), "none" without a signature. */
  dkim: string;
  dmarc: string;
  /** The Authentication-Results lines (domains, selectors, reasons), for the console's detail. */
  detail: string;
}

export interface MailAuthInput {
  ip: string | null;
  helo: string | null;
  /** MAIL FROM ('' for the null sender). */
  sender: string;
  /** This host's name (what mailauth writes as the checking MTA). */
  mta: string;
}

const RANK = ['pass', 'fail', 'policy', 'neutral', 'softfail', 'permerror', 'temperror', 'none'];
const best = (results: string[]) =>
  results.length === 0 ? 'none' : [...results].sort((a, b) => rank(a) - rank(b))[0]!;
const rank = (r: string) => {
  const i = RANK.indexOf(r);
  return i < 0 ? RANK.length : i;
};

/** The system resolver with a short timeout and one try (MAIL_IN_DNS_SERVERS: which servers). */
export function systemResolver(config: Config): DNSResolver {
  const r = new Resolver({
    timeout: Math.max(500, Math.floor(config.MAIL_IN_AUTH_TIMEOUT_MS / 2)),
    tries: 1,
  });
  if (config.MAIL_IN_DNS_SERVERS) r.setServers(config.MAIL_IN_DNS_SERVERS);
  return (domain, rrtype) => r.resolve(domain, rrtype) as Promise<string[][] | string[]>;
}

export const authPassed = (a: Pick<MailAuthResult, 'spf' | 'dkim'>) => a.spf === 'pass' || a.dkim === 'pass';

export async function checkMailAuth(
  raw: Buffer,
  input: MailAuthInput,
  resolver: DNSResolver,
  timeoutMs: number,
): Promise<MailAuthResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const res = await Promise.race([
      authenticate(raw, {
        ...(input.ip ? { ip: input.ip } : {}),
        ...(input.helo ? { helo: input.helo } : {}),
        sender: input.sender,
        mta: input.mta,
        resolver,
        disableArc: true,
        disableBimi: true,
      }),
      timeout,
    ]);
    if (!res) {
      return {
        spf: 'temperror',
        dkim: 'temperror',
        dmarc: 'temperror',
        detail: `timeout after ${timeoutMs} ms`,
      };
    }
    const dkims = res.dkim.results.map((d) => d.status.result);
    const lines = [
      res.spf ? res.spf.info : '',
      ...res.dkim.results.map((d) => d.info),
      res.dmarc ? res.dmarc.info : '',
    ].filter(Boolean);
    return {
      spf: res.spf ? res.spf.status.result : 'none',
      dkim: best(dkims),
      dmarc: res.dmarc ? res.dmarc.status.result : 'none',
      detail: lines.join('\n').slice(0, 2000),
    };
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', detail: m.slice(0, 500) };
  } finally {
    clearTimeout(timer);
  }
}
