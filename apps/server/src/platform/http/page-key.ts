// The page keys of keyset-paged staff lists (survey answers, reports, bookings): the sort columns of
// a page's last row — timestamps as PostgreSQL writes them (`::text`, to the microsecond, which a
// JavaScript Date would drop) and the row's UUID — as one opaque URL-safe string the client hands
// back for the next page. A key that is not one of ours reads as null; the list answers 400.

export type PageKeyPart = 'stamp' | 'uuid';

const PATTERNS: Record<PageKeyPart, RegExp> = {
  stamp: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
};

const valid = (part: PageKeyPart, value: unknown): value is string =>
  typeof value === 'string' &&
  PATTERNS[part].test(value) &&
  (part !== 'stamp' || !Number.isNaN(Date.parse(value.slice(0, 10))));

export const encodePageKey = (parts: readonly string[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The parts of a key made by encodePageKey with this shape, or null for anything else. */
export function decodePageKey(key: string, shape: readonly PageKeyPart[]): string[] | null {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== shape.length) return null;
  return shape.every((part, i) => valid(part, parts[i])) ? (parts as string[]) : null;
}
