// What an audit row is hashed over must be exactly what PostgreSQL stores and gives back:
// - text: PostgreSQL holds UTF-8 without NUL, so a lone UTF-16 surrogate (which node-postgres would
//   silently turn into U+FFFD) and NUL (which PostgreSQL refuses) become U+FFFD before storing;
// - jsonb: keys come back reordered and numbers normalised, so the detail is stored as the plain JSON
//   value it reads back as, and hashed as canonical JSON with sorted keys.

/** The string as PostgreSQL will store it: lone surrogates and NUL replaced by U+FFFD. */
export function storableText(s: string): string {
  return s.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

export const storableOrNull = (s: string | null): string | null => (s === null ? null : storableText(s));

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The value a jsonb column gives back for `value`: what JSON.stringify keeps (toJSON applied,
 * undefined dropped, non-finite numbers null), with every string and key storable.
 */
export function storableJson(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return clean(JSON.parse(text) as JsonValue);
}

function clean(v: JsonValue): JsonValue {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) out[storableText(k)] = clean(x);
    return out;
  }
  return v;
}

/** JSON with object keys sorted at every level (by UTF-16 code units), no whitespace. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
