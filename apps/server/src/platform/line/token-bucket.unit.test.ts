import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

// G-12: LINE's multicast limit (200 requests/s per channel) is honoured by the sender's token bucket.

describe('TokenBucket (G-12)', () => {
  it('G-12: a burst starts at once, then one request every 5 ms at 200/s', () => {
    let now = 1_000;
    const b = new TokenBucket({ ratePerSecond: 200, burst: 20, now: () => now });
    const waits = Array.from({ length: 25 }, () => b.reserve());
    expect(waits.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(waits.slice(20)).toEqual([5, 10, 15, 20, 25]);
    // After a quiet second the burst is available again.
    now += 1_000;
    expect(b.reserve()).toBe(0);
  });

  it('G-12: never more than rate × seconds + burst starts in any window', () => {
    let now = 0;
    const b = new TokenBucket({ ratePerSecond: 200, now: () => now });
    const starts: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      starts.push(now + b.reserve());
      if (i % 7 === 0) now += 3; // requests keep arriving while time passes
    }
    starts.sort((a, c) => a - c);
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((s) => s >= starts[i]! && s < starts[i]! + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(200 + 20);
    }
    // 2,000 requests at 200/s take about 10 s.
    expect(starts[starts.length - 1]).toBeGreaterThanOrEqual(9_000);
  });

  it('G-12: a 429 pause holds every later request back', () => {
    let now = 0;
    const b = new TokenBucket({ ratePerSecond: 200, burst: 1, now: () => now });
    expect(b.reserve()).toBe(0);
    b.pause(1_000);
    expect(b.reserve()).toBe(1_000);
    expect(b.reserve()).toBe(1_005);
    now = 2_000;
    expect(b.reserve()).toBe(0);
  });

  it('take() waits for the slot and can be aborted', async () => {
    const b = new TokenBucket({ ratePerSecond: 20, burst: 1 });
    const t0 = Date.now();
    await b.take();
    await b.take();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    const ac = new AbortController();
    b.pause(10_000);
    const waiting = b.take(ac.signal);
    ac.abort();
    await waiting;
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
