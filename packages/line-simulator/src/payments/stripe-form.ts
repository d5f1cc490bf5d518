// Stripe's request bodies: application/x-www-form-urlencoded with bracketed keys, as its SDKs
// encode them (`line_items[0][price_data][unit_amount]=300`, `expand[]=x`). Decoded into nested
// objects; an object whose keys are all 0, 1, 2 … becomes an array.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

function keyPath(key: string): string[] | null {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) return null;
  const rest = [...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!);
  return [m[1]!, ...rest];
}

function arrayify(v: FormValue): FormValue {
  if (typeof v === 'string' || Array.isArray(v)) return Array.isArray(v) ? v.map(arrayify) : v;
  const keys = Object.keys(v);
  const out: Record<string, FormValue> = {};
  for (const k of keys) out[k] = arrayify(v[k]!);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => out[k]!);
  return out;
}

/** Decodes a Stripe form body; null when a key is malformed (answered 400). */
export function decodeStripeForm(body: string): Record<string, FormValue> | null {
  const root: Record<string, FormValue> = {};
  if (body.trim() === '') return root;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return null;
    }
    const path = keyPath(key);
    if (!path) return null;
    let node: Record<string, FormValue> = root;
    for (let i = 0; i < path.length; i++) {
      let seg = path[i]!;
      const last = i === path.length - 1;
      if (seg === '') {
        // `a[]=x`: the next index of `a`.
        seg = String(Object.keys(node).length);
      }
      if (last) {
        node[seg] = value;
      } else {
        const next = node[seg];
        if (next === undefined || typeof next === 'string' || Array.isArray(next)) node[seg] = {};
        node = node[seg] as Record<string, FormValue>;
      }
    }
  }
  return arrayify(root) as Record<string, FormValue>;
}

/** A canonical form of decoded params (key order ignored), to compare two requests. */
export function canonicalParams(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalParams).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalParams(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
