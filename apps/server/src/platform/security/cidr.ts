import ipaddr from 'ipaddr.js';

// IPv4 / IPv6 CIDR parsing and matching. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 ranges.

export type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function parseCidr(text: string): ParsedCidr | null {
  const value = text.trim();
  try {
    if (value.includes('/')) return ipaddr.parseCIDR(value);
    const addr = ipaddr.parse(value);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

export function normalizeIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const addr = ipaddr.parse(ip);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (addr as ipaddr.IPv6).toIPv4Address();
    }
    return addr;
  } catch {
    return null;
  }
}

export function ipInCidrs(ip: string, cidrs: ParsedCidr[]): boolean {
  const addr = normalizeIp(ip);
  if (!addr) return false;
  return cidrs.some(([range, bits]) => range.kind() === addr.kind() && addr.match([range, bits] as never));
}
