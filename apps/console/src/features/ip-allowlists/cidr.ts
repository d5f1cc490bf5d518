/** Loose client-side check of an IPv4/IPv6 address or CIDR; the server does the real validation. */
export function isCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
    return (
      address.split('.').every((octet) => Number(octet) <= 255) &&
      (prefix === undefined || Number(prefix) <= 32)
    );
  }
  if (address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address) && (address.match(/::/g) ?? []).length <= 1) {
    return prefix === undefined || Number(prefix) <= 128;
  }
  return false;
}

/** The single-address CIDR for an IP (`/32` or `/128`). */
export function hostCidr(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}
