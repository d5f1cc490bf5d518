import { describe, expect, it } from 'vitest';
import { LINE_RATE_LIMITS } from './options.ts';
import { RateLimiter, TokenBucket } from './rate-limiter.ts';

describe('token bucket rate limits (G-12: multicast 200 req/s)', () => {
  it('allows a burst of the bucket size, then refills continuously', () => {
    const bucket = new TokenBucket({ requests: 200, perMs: 1000 }, 0);
    let allowed = 0;
    for (let i = 0; i < 250; i++) if (bucket.take(0)) allowed++;
    expect(allowed).toBe(200);
    expect(bucket.take(4)).toBe(false); // 4 ms refill 0.8 tokens
    expect(bucket.take(5)).toBe(true); // 5 ms refill 1 token
    let later = 0;
    for (let i = 0; i < 300; i++) if (bucket.take(1005)) later++;
    expect(later).toBe(200); // never more than the bucket size
  });

  it('is kept per channel and per endpoint group', () => {
    let now = 0;
    const limiter = new RateLimiter(
      { ...LINE_RATE_LIMITS, multicast: { requests: 2, perMs: 1000 } },
      () => now,
    );
    expect([1, 2, 3].map(() => limiter.allow('A', 'multicast'))).toEqual([true, true, false]);
    expect(limiter.allow('B', 'multicast')).toBe(true);
    expect(limiter.allow('A', 'push')).toBe(true);
    now = 500;
    expect(limiter.allow('A', 'multicast')).toBe(true);
  });

  it('allows everything when disabled', () => {
    const limiter = new RateLimiter(null, () => 0);
    for (let i = 0; i < 10_000; i++) expect(limiter.allow('A', 'narrowcast')).toBe(true);
  });

  it('uses LINE figures by default', () => {
    expect(LINE_RATE_LIMITS.multicast).toEqual({ requests: 200, perMs: 1000 });
    expect(LINE_RATE_LIMITS.push).toEqual({ requests: 2000, perMs: 1000 });
    expect(LINE_RATE_LIMITS.reply).toEqual({ requests: 2000, perMs: 1000 });
  });
});
