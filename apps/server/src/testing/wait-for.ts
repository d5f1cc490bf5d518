// The one polling helper of the tests and benchmarks: read until a condition holds, or fail.

export interface WaitOptions {
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  /** Pause between reads (default 50 ms). */
  everyMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

/**
 * Calls `read` until `done` holds for its value and returns that value; throws after `timeoutMs`
 * with `what` and the last value read.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, everyMs = 50, what = 'a condition' }: WaitOptions = {},
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** waitFor a value: `probe` answers undefined, null or false until the awaited thing is there. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  return (await waitFor(probe, (v) => Boolean(v), { timeoutMs, what })) as T;
}
