import { describe, expect, it } from 'vitest';
import { decodePageKey, encodePageKey } from './page-key.ts';

// The page keys of the keyset-paged staff lists (survey answers, reports, bookings; issue 13).

describe('page keys (V-05, Q-02, R-01 lists)', () => {
  const at = '2026-12-03 14:00:00.123456+00';
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('a key made from a page’s last row reads back as its parts, in the shape asked for', () => {
    const key = encodePageKey([at, at, id]);
    expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageKey(key, ['stamp', 'stamp', 'uuid'])).toEqual([at, at, id]);
    expect(decodePageKey(encodePageKey(['2026-12-03 14:00:00+09', id]), ['stamp', 'uuid'])).toEqual([
      '2026-12-03 14:00:00+09',
      id,
    ]);
  });

  it('anything else is null: another shape, bad parts, not JSON, not an array', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const key of [
      encodePageKey([at, id]),
      b64([at, at, 'x']),
      b64(['2026-13-45 99:00:00+00', at, id]),
      b64([at, 12, id]),
      b64({ 0: at, 1: at, 2: id }),
      'not base64 json',
      '',
    ])
      expect([key, decodePageKey(key, ['stamp', 'stamp', 'uuid'])]).toEqual([key, null]);
  });
});
