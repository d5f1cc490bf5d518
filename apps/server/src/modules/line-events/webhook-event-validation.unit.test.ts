import { describe, expect, it } from 'vitest';
import { followEvent, lineUserId, postbackEvent, textEvent } from '../../testing/line-webhook.ts';
import {
  boundedJson,
  checkEnvelope,
  checkEvent,
  MAX_EVENT_DEPTH,
  MAX_EVENTS_PER_BODY,
  storableText,
} from './webhook-event-validation.ts';

const reasonOf = (value: unknown) => {
  const r = checkEvent(value);
  return r.ok ? 'ok' : r.reason;
};

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { v };
  return v;
}

describe('webhook event validation against webhook.yml and bounds (D-03, S-04)', () => {
  it('D-03: the events LINE sends pass (follow, text message, postback, group source)', () => {
    const user = lineUserId();
    expect(reasonOf(followEvent(user))).toBe('ok');
    expect(reasonOf(textEvent(user, 'こんにちは 👋'))).toBe('ok');
    expect(reasonOf(postbackEvent(user, 'action=menu&tab=1'))).toBe('ok');
    const group = {
      ...textEvent(user, 'x'),
      source: { type: 'group', groupId: `C${'a'.repeat(32)}`, userId: user },
    };
    expect(reasonOf(group)).toBe('ok');
  });

  it('S-04: nesting deeper than the bound is TOO_DEEP; just within it passes', () => {
    const base = textEvent(lineUserId(), 'x');
    // The event is depth 1, so its property may hold MAX_EVENT_DEPTH - 1 levels.
    expect(reasonOf({ ...base, extra: nested(MAX_EVENT_DEPTH - 2) })).toBe('ok');
    expect(reasonOf({ ...base, extra: nested(MAX_EVENT_DEPTH) })).toBe('TOO_DEEP');
    expect(reasonOf({ ...base, extra: nested(200_000) })).toBe('TOO_DEEP');
  });

  it('S-04: NUL and lone surrogates in values or names, numbers out of range, and IDs of the wrong shape', () => {
    const base = () => textEvent(lineUserId(), 'x');
    expect(reasonOf({ ...base(), 'k\u0000': 1 })).toBe('INVALID_TEXT');
    expect(reasonOf({ ...base(), replyToken: '\udc00' })).toBe('INVALID_TEXT');
    expect(reasonOf({ ...base(), n: 1e20 })).toBe('NUMBER_OUT_OF_RANGE');
    expect(reasonOf({ ...base(), timestamp: Date.UTC(2100, 0, 1) })).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(reasonOf({ ...base(), timestamp: 1.5 })).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(reasonOf({ ...base(), source: { type: 'user', userId: `U${'A'.repeat(32)}` } })).toBe(
      'INVALID_ID',
    );
    expect(
      reasonOf({
        ...base(),
        type: 'memberJoined',
        joined: { members: [{ type: 'user', userId: 'nobody' }] },
      }),
    ).toBe('INVALID_ID');
    expect(reasonOf({ ...base(), type: 'message; drop table' })).toBe('SCHEMA');
    expect(reasonOf({ ...base(), mode: 'sleeping' })).toBe('SCHEMA');
    expect(reasonOf(null)).toBe('NOT_AN_OBJECT');
    expect(reasonOf([base()])).toBe('NOT_AN_OBJECT');
  });

  it('S-04: the envelope needs a destination U… and an events array of at most MAX_EVENTS_PER_BODY', () => {
    const destination = `U${'0'.repeat(32)}`;
    expect(checkEnvelope({ destination, events: [] }).ok).toBe(true);
    expect(checkEnvelope({ events: [] })).toMatchObject({ ok: false, code: 'INVALID_WEBHOOK_BODY' });
    expect(checkEnvelope({ destination, events: 'x' })).toMatchObject({
      ok: false,
      code: 'INVALID_WEBHOOK_BODY',
    });
    expect(checkEnvelope(null)).toMatchObject({ ok: false, code: 'INVALID_WEBHOOK_BODY' });
    expect(checkEnvelope({ destination, events: new Array(MAX_EVENTS_PER_BODY + 1).fill({}) })).toMatchObject(
      {
        ok: false,
        code: 'TOO_MANY_EVENTS',
      },
    );
  });

  it('a rejected event is kept as JSON that never throws, and reason texts are safe for PostgreSQL', () => {
    const json = boundedJson({ a: nested(300_000), s: 'x'.repeat(50_000) });
    expect(json.length).toBeLessThan(30_000);
    expect(JSON.parse(json).a.v.v).toBeDefined();
    expect(storableText('a\u0000b\ud800', 10)).toBe('ab\ufffd');
  });
});
