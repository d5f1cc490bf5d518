import { describe, expect, it } from 'vitest';
import { createRateLimit } from './rate-limit.ts';

describe('sign-in rate limit (S-04)', () => {
  it('S-04: allows the limit per window, refuses beyond it with 429, and resets after the window', () => {
    const hit = createRateLimit({ limit: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) hit('198.51.100.1', 0);
    expect(() => hit('198.51.100.1', 10)).toThrow(
      expect.objectContaining({ status: 429, code: 'RATE_LIMITED' }),
    );
    expect(() => hit('198.51.100.2', 10)).not.toThrow();
    expect(() => hit('198.51.100.1', 1000)).not.toThrow();
  });
});
