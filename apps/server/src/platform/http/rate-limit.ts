import { AppError } from '../errors.ts';

// A fixed-window limit per key (client IP) for sign-in endpoints, in memory per process.
// Account lockout stops guessing one account's password; this stops one address trying many.

export function createRateLimit(opts: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return function hit(key: string, now = Date.now()): void {
    if (windows.size > 10_000) {
      for (const [k, w] of windows) if (now - w.start >= opts.windowMs) windows.delete(k);
    }
    const w = windows.get(key);
    if (!w || now - w.start >= opts.windowMs) {
      windows.set(key, { start: now, count: 1 });
      return;
    }
    w.count++;
    if (w.count > opts.limit) {
      throw new AppError(
        429,
        'RATE_LIMITED',
        '短時間に操作が集中しています。しばらく待ってからお試しください',
      );
    }
  };
}
