import { loadOpenApiValidator, type OpenApiValidator } from '@madoguchi/line-simulator/openapi-validator.ts';
import type { LineWebhookEvent } from './line-event.ts';

// Checks a LINE webhook body before anything is stored (D-03, S-04): the envelope (destination,
// events array) against LINE's webhook.yml, then each event on its own — bounds first (nesting
// depth, sizes, NUL and lone surrogates, numbers, IDs, timestamp), then LINE's schema. A malformed
// event is set aside with a reason; it never fails the events next to it.

/** LINE's webhook.yml, vendored in packages/line-openapi. */
export const WEBHOOK_SCHEMA_FILE = new URL(
  '../../../../../packages/line-openapi/webhook.yml',
  import.meta.url,
);

/** LINE sends at most 100 per body in practice; more than this is refused as a whole. */
export const MAX_EVENTS_PER_BODY = 10_000;
/** The event object is depth 1; LINE's deepest events (message emojis, mentions) are about 5. */
export const MAX_EVENT_DEPTH = 16;
/** Strings and property names, in UTF-16 code units (LINE's longest, a text message, is 5,000). */
export const MAX_STRING_LENGTH = 20_000;
/** Objects, arrays and scalars in one event. */
export const MAX_EVENT_NODES = 5_000;
/** 2000-01-01 ≤ timestamp < 2100-01-01 (epoch ms). */
export const MIN_TIMESTAMP = Date.UTC(2000, 0, 1);
export const MAX_TIMESTAMP = Date.UTC(2100, 0, 1);

export type RejectReason =
  | 'NOT_AN_OBJECT'
  | 'TOO_DEEP'
  | 'TOO_LARGE'
  | 'STRING_TOO_LONG'
  | 'INVALID_TEXT'
  | 'NUMBER_OUT_OF_RANGE'
  | 'INVALID_ID'
  | 'TIMESTAMP_OUT_OF_RANGE'
  | 'INVALID_EVENT_ID'
  | 'SCHEMA';

export type EventCheck =
  | { ok: true; event: LineWebhookEvent }
  | { ok: false; reason: RejectReason; detail: string };

export type EnvelopeCheck =
  | { ok: true; destination: string; events: unknown[] }
  | { ok: false; code: 'INVALID_WEBHOOK_BODY' | 'TOO_MANY_EVENTS'; message: string };

const ID_PATTERNS: Record<string, RegExp> = {
  userId: /^U[0-9a-f]{32}$/,
  groupId: /^C[0-9a-f]{32}$/,
  roomId: /^R[0-9a-f]{32}$/,
};
const EVENT_TYPE = /^[A-Za-z]{1,64}$/;
/** ULID in practice; any printable ASCII up to 100 characters is kept as the unique key. */
const WEBHOOK_EVENT_ID = /^[\x21-\x7e]{1,100}$/;
const DESTINATION = /^U[0-9a-f]{32}$/;

let schema: OpenApiValidator | undefined;
const KNOWN_TYPES = new Set<string>();

/** Compiles the webhook.yml validators (once per process); called at start so no request pays for it. */
export function warmUpWebhookSchema(): OpenApiValidator {
  if (!schema) {
    schema = loadOpenApiValidator(WEBHOOK_SCHEMA_FILE);
    schema.validateSchema('Event', {});
    schema.validateSchema('Event__base', {});
    // The event types webhook.yml maps; others (added by LINE later) are checked as a base Event.
    for (const t of schema.discriminatorValues('Event')) KNOWN_TYPES.add(t);
  }
  return schema;
}

export function checkEnvelope(body: unknown): EnvelopeCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, code: 'INVALID_WEBHOOK_BODY', message: 'Webhook の本文はオブジェクトではありません' };
  }
  const { destination, events } = body as { destination?: unknown; events?: unknown };
  if (typeof destination !== 'string' || !DESTINATION.test(destination)) {
    return { ok: false, code: 'INVALID_WEBHOOK_BODY', message: 'destination の形式が正しくありません' };
  }
  if (!Array.isArray(events)) {
    return { ok: false, code: 'INVALID_WEBHOOK_BODY', message: 'events 配列がありません' };
  }
  if (events.length > MAX_EVENTS_PER_BODY) {
    return {
      ok: false,
      code: 'TOO_MANY_EVENTS',
      message: `1 回の Webhook のイベントは ${MAX_EVENTS_PER_BODY} 件までです`,
    };
  }
  return { ok: true, destination, events };
}

const reject = (reason: RejectReason, detail: string): EventCheck => ({ ok: false, reason, detail });

/** `['source', 'userId']` → `source.userId`; array indexes as `[0]`. */
function pathText(path: (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(event)';
}

function badText(s: string): boolean {
  return s.includes('\u0000') || !s.isWellFormed();
}

/** Walks the event without recursion; stops at the first bound it breaks. */
function checkBounds(event: object): EventCheck | undefined {
  const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [
    { value: event, depth: 1, path: [] },
  ];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (++nodes > MAX_EVENT_NODES) return reject('TOO_LARGE', `more than ${MAX_EVENT_NODES} values`);
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_LENGTH) return reject('STRING_TOO_LONG', pathText(path));
      if (badText(value)) return reject('INVALID_TEXT', pathText(path));
      const key = path.at(-1);
      const idPattern = typeof key === 'string' ? ID_PATTERNS[key] : undefined;
      if (idPattern && !idPattern.test(value)) return reject('INVALID_ID', pathText(path));
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        return reject('NUMBER_OUT_OF_RANGE', pathText(path));
      }
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth > MAX_EVENT_DEPTH)
      return reject('TOO_DEEP', `deeper than ${MAX_EVENT_DEPTH} at ${pathText(path)}`);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], depth: depth + 1, path: [...path, i] });
      }
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.length > MAX_STRING_LENGTH) return reject('STRING_TOO_LONG', `${pathText(path)} (name)`);
      if (badText(key)) return reject('INVALID_TEXT', `${pathText(path)} (name)`);
      stack.push({ value: child, depth: depth + 1, path: [...path, key] });
    }
  }
  return undefined;
}

/** Checks one element of a webhook body's events array. */
export function checkEvent(value: unknown): EventCheck {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return reject('NOT_AN_OBJECT', 'the event is not an object');
  }
  const bounds = checkBounds(value);
  if (bounds) return bounds;
  const event = value as LineWebhookEvent;
  if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) return reject('SCHEMA', 'type');
  if (typeof event.webhookEventId !== 'string' || !WEBHOOK_EVENT_ID.test(event.webhookEventId)) {
    return reject('INVALID_EVENT_ID', 'webhookEventId');
  }
  if (
    typeof event.timestamp !== 'number' ||
    !Number.isInteger(event.timestamp) ||
    event.timestamp < MIN_TIMESTAMP ||
    event.timestamp >= MAX_TIMESTAMP
  ) {
    return reject('TIMESTAMP_OUT_OF_RANGE', 'timestamp');
  }
  const validator = warmUpWebhookSchema();
  const details = validator.validateSchema(KNOWN_TYPES.has(event.type) ? 'Event' : 'Event__base', event);
  if (details.length > 0) {
    const detail = details
      .slice(0, 5)
      .map((d) => `${d.property}: ${d.message}`)
      .join('; ');
    return reject('SCHEMA', detail.slice(0, 500));
  }
  return { ok: true, event };
}

/**
 * A JSON text of any value that never throws: nesting beyond `maxDepth`, strings beyond
 * MAX_STRING_LENGTH and more than MAX_EVENT_NODES values are cut (a rejected event is kept as
 * received, within bounds).
 */
export function boundedJson(value: unknown, maxDepth = MAX_EVENT_DEPTH): string {
  let nodes = 0;
  const copy = (v: unknown, depth: number): unknown => {
    if (++nodes > MAX_EVENT_NODES) return '[…]';
    if (typeof v === 'string') return v.length > MAX_STRING_LENGTH ? `${v.slice(0, MAX_STRING_LENGTH)}…` : v;
    if (!v || typeof v !== 'object') return v;
    if (depth > maxDepth) return '[…]';
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k.slice(0, MAX_STRING_LENGTH)] = copy(x, depth + 1);
    return out;
  };
  return JSON.stringify(copy(value, 1)) ?? 'null';
}

/** Text safe for a PostgreSQL text column: no NUL, no lone surrogates, bounded. */
export function storableText(s: string, max: number): string {
  return s.replaceAll('\u0000', '').toWellFormed().slice(0, max);
}
