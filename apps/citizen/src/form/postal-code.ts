import type { PostalAddress } from '@madoguchi/contracts/surveys.ts';
import { request } from '../api/client.ts';

// The address of a postal code, to fill a form's address item (offline Japan Post data on the server).

/** GET /api/citizen/postal-codes/:code (7 digits) → the addresses; empty for an unknown code. */
export const lookUpPostalCode = (digits: string) =>
  request<PostalAddress[]>('GET', `/api/citizen/postal-codes/${encodeURIComponent(digits)}`);

/**
 * The address text for a code's addresses: prefecture, city and town; when the code covers several
 * towns, only what they share (prefecture and city). Null when there is none.
 */
export function addressText(addresses: PostalAddress[]): string | null {
  const [first] = addresses;
  if (!first) return null;
  const sameTown = addresses.every(
    (a) => a.prefecture === first.prefecture && a.city === first.city && a.town === first.town,
  );
  const sameCity = addresses.every((a) => a.prefecture === first.prefecture && a.city === first.city);
  if (sameTown) return `${first.prefecture}${first.city}${first.town}`;
  return sameCity ? `${first.prefecture}${first.city}` : null;
}
