import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ipInCidrs, type ParsedCidr, parseCidr } from '../../platform/security/cidr.ts';

// Where a forwarding target may point (W-01, SSRF): https only in production; the host's every
// address must be public unicast — private, loopback, link-local, unique-local, CGNAT, multicast,
// broadcast, unspecified (0.0.0.0, ::), reserved and IPv4-mapped or -embedded IPv6 addresses are
// refused unless the operator allow-listed them (FORWARDING_ALLOWED_CIDRS). Checked when a target is
// saved and again at every connection: the sender connects through `guardedLookup`, which resolves
// the host, checks what it got and hands exactly that address to the socket, so a DNS answer that
// changes between the check and the connection (rebinding) is never used unchecked.

export interface AddressPolicy {
  production: boolean;
  allowed: ParsedCidr[];
}

export function addressPolicy(config: { NODE_ENV: string; FORWARDING_ALLOWED_CIDRS: readonly string[] }) {
  return {
    production: config.NODE_ENV === 'production',
    allowed: config.FORWARDING_ALLOWED_CIDRS.map((c) => parseCidr(c)).filter((c) => c !== null),
  } satisfies AddressPolicy;
}

/** Whether the sender may connect to this address. */
export function addressAllowed(address: string, policy: AddressPolicy): boolean {
  if (ipInCidrs(address, policy.allowed)) return true;
  try {
    return ipaddr.parse(address).range() === 'unicast';
  } catch {
    return false;
  }
}

export type UrlProblem = { code: string; message: string };

const problem = (code: string, message: string): UrlProblem => ({ code, message });

/** The URL's host without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Protocol and form of a target URL (no DNS): a problem, or null. */
export function urlFormProblem(text: string, policy: AddressPolicy): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return problem('FORWARDING_URL_INVALID', 'URL の形式が正しくありません');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return problem('FORWARDING_URL_INVALID', 'URL は https:// で始めてください');
  }
  if (policy.production && url.protocol !== 'https:') {
    return problem('FORWARDING_URL_NOT_HTTPS', '本番環境では https:// の URL だけを転送先にできます');
  }
  if (url.username || url.password) {
    return problem('FORWARDING_URL_INVALID', 'URL に利用者名やパスワードを含めないでください');
  }
  if (url.hash) return problem('FORWARDING_URL_INVALID', 'URL に # 以降を含めないでください');
  return null;
}

const privateAddress = (address: string) =>
  problem(
    'FORWARDING_URL_PRIVATE_ADDRESS',
    `転送先の ${address} は内部向けのアドレスのため使えません（運用者が FORWARDING_ALLOWED_CIDRS で許可した場合を除く）`,
  );

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });
}

/** The whole check of a target URL at save time: its form, then every address its host resolves to. */
export async function targetUrlProblem(text: string, policy: AddressPolicy): Promise<UrlProblem | null> {
  const form = urlFormProblem(text, policy);
  if (form) return form;
  const host = hostOf(new URL(text));
  if (isIP(host)) return addressAllowed(host, policy) ? null : privateAddress(host);
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch {
    return problem('FORWARDING_URL_UNRESOLVABLE', `転送先のホスト名 ${host} を解決できません`);
  }
  if (addresses.length === 0) {
    return problem('FORWARDING_URL_UNRESOLVABLE', `転送先のホスト名 ${host} を解決できません`);
  }
  const refused = addresses.find((a) => !addressAllowed(a.address, policy));
  return refused ? privateAddress(refused.address) : null;
}

export class RefusedAddressError extends Error {
  readonly code = 'FORWARDING_URL_PRIVATE_ADDRESS';
}

/**
 * A `lookup` for http(s).request: resolves, refuses the connection when any answer is not allowed,
 * and gives the socket exactly the checked addresses (IP literals never reach a lookup: the sender
 * checks those itself with `addressAllowed`).
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const refused = addresses.find((a) => !addressAllowed(a.address, policy));
        if (refused || addresses.length === 0) {
          const err = new RefusedAddressError(
            refused
              ? `address ${refused.address} of ${hostname} is not allowed`
              : `${hostname} did not resolve`,
          );
          return (callback as (e: Error) => void)(err);
        }
        const family = typeof options === 'object' ? options.family : undefined;
        const usable = addresses.filter(
          (a) =>
            !family || family === 0 || a.family === (family === 'IPv6' ? 6 : family === 'IPv4' ? 4 : family),
        );
        const list = usable.length > 0 ? usable : addresses;
        if (typeof options === 'object' && options.all) {
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        } else {
          (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
        }
      },
      (err: Error) => (callback as (e: Error) => void)(err),
    );
  };
}
