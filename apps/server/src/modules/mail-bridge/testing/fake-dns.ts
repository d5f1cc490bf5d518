import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import type { DNSResolver } from '../mail-auth.ts';

// Sender authentication without a network (issue 14): city.test publishes SPF for 127.0.0.1, a DKIM
// key (selector "sel", generated per run) and DMARC p=reject; other.test publishes SPF for another IP
// only. `sign` adds city.test's DKIM-Signature to a raw mail.

export function cityTestDns() {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const txt: Record<string, string> = {
    'city.test': 'v=spf1 ip4:127.0.0.1 -all',
    'other.test': 'v=spf1 ip4:192.0.2.1 -all',
    'sel._domainkey.city.test': `v=DKIM1; k=rsa; p=${publicKey}`,
    '_dmarc.city.test': 'v=DMARC1; p=reject',
  };
  const resolver: DNSResolver = async (domain, rrtype) => {
    const record = txt[domain.toLowerCase()];
    if (rrtype === 'TXT' && record) return [[record]];
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${domain}`), { code: 'ENOTFOUND' });
  };
  const key = { signingDomain: 'city.test', selector: 'sel', privateKey };
  async function sign(raw: string): Promise<string> {
    // mailauth signs with signatureData (its .d.ts names the fields of one signature at the top).
    const { signatures } = await dkimSign(raw, { ...key, signatureData: [key] } as Parameters<
      typeof dkimSign
    >[1]);
    return signatures + raw;
  }
  return { resolver, sign };
}
