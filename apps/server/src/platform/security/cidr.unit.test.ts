import { describe, expect, it } from 'vitest';
import { ipInCidrs, type ParsedCidr, parseCidr } from './cidr.ts';

const list = (...c: string[]) => c.map((x) => parseCidr(x)).filter((x): x is ParsedCidr => !!x);

describe('IP allow-list matching (S-07, C-03)', () => {
  it('S-07: matches IPv4 CIDRs and single addresses', () => {
    const l = list('192.168.10.0/24', '10.1.2.3');
    expect(ipInCidrs('192.168.10.200', l)).toBe(true);
    expect(ipInCidrs('192.168.11.1', l)).toBe(false);
    expect(ipInCidrs('10.1.2.3', l)).toBe(true);
    expect(ipInCidrs('10.1.2.4', l)).toBe(false);
  });

  it('S-07: matches IPv6 and IPv4-mapped IPv6 addresses', () => {
    const l = list('2001:db8::/32', '127.0.0.1/32');
    expect(ipInCidrs('2001:db8:1::5', l)).toBe(true);
    expect(ipInCidrs('2001:db9::1', l)).toBe(false);
    expect(ipInCidrs('::ffff:127.0.0.1', l)).toBe(true);
  });

  it('C-03: rejects malformed entries and addresses', () => {
    expect(parseCidr('300.1.1.1')).toBeNull();
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr("1.1.1.1' or 1=1")).toBeNull();
    expect(ipInCidrs('not-an-ip', list('0.0.0.0/0'))).toBe(false);
  });
});
