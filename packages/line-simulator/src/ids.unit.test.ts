import { describe, expect, it } from 'vitest';
import {
  MessageIdGenerator,
  newReplyToken,
  newRichMenuId,
  newUlid,
  newUserId,
  USER_ID_PATTERN,
} from './ids.ts';
import { joinLiffPath, parseLiffUrl } from './liff.ts';

describe('LINE-shaped identifiers', () => {
  it('user IDs are U + 32 lowercase hex', () => {
    expect(newUserId()).toMatch(USER_ID_PATTERN);
  });

  it('webhook event IDs are 26-character ULIDs ordered by time', () => {
    const a = newUlid(1_700_000_000_000);
    const b = newUlid(1_700_000_000_001);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a.slice(0, 10) < b.slice(0, 10)).toBe(true);
  });

  it('reply tokens, rich menu IDs and message IDs', () => {
    expect(newReplyToken()).toMatch(/^[0-9a-f]{32}$/);
    expect(newRichMenuId()).toMatch(/^richmenu-[0-9a-f]{32}$/);
    const ids = new MessageIdGenerator(1_700_000_000_000);
    const [x, y] = [ids.next(), ids.next()];
    expect(x).toMatch(/^\d{18}$/);
    expect(BigInt(y) - BigInt(x)).toBe(1n);
  });
});

describe('LIFF URLs', () => {
  it('parses liff.line.me and line://app URLs', () => {
    expect(parseLiffUrl('https://liff.line.me/1234-abcd/forms/3?x=1')).toEqual({
      liffId: '1234-abcd',
      path: '/forms/3?x=1',
    });
    expect(parseLiffUrl('line://app/1234-abcd')).toEqual({ liffId: '1234-abcd', path: '' });
    expect(parseLiffUrl('https://example.com/')).toBeUndefined();
  });

  it('appends the path and query to the endpoint URL', () => {
    expect(joinLiffPath('http://localhost:3000/liff', '/forms/3?x=1')).toBe(
      'http://localhost:3000/liff/forms/3?x=1',
    );
    expect(joinLiffPath('http://localhost:3000/liff/', '/forms')).toBe('http://localhost:3000/liff/forms');
    expect(joinLiffPath('http://localhost:3000/app?a=1', '?b=2')).toBe('http://localhost:3000/app?a=1&b=2');
    expect(joinLiffPath('http://localhost:3000/app', '')).toBe('http://localhost:3000/app');
  });
});
