import { HTTPFetchError } from '@line/bot-sdk';

// How one call to LINE's Messaging API ended (G-12), for every sender of the product (deliveries,
// the LINE outbox): 2xx sent · 409 "retry key already accepted" sent · 429 wait (Retry-After) unless
// the monthly quota is used up · 5xx and network errors retried · other 4xx failed with LINE's answer.

const ERROR_MAX = 2000;

export type Outcome =
  | { kind: 'sent'; httpStatus: number; requestId: string | null }
  | { kind: 'failed'; httpStatus: number | null; error: string }
  | { kind: 'rateLimited'; waitMs: number | null; error: string }
  | { kind: 'retry'; httpStatus: number | null; error: string };

/** Seconds or an HTTP date, as LINE (or a proxy) may send it. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** How one multicast attempt ended. */
export function classify(err: unknown): Outcome {
  if (err instanceof HTTPFetchError) {
    const body = (err.body ?? '').slice(0, ERROR_MAX);
    const error = `${err.status} ${body}`.trim();
    if (err.status === 409) {
      const accepted = err.headers.get('x-line-accepted-request-id');
      if (accepted || /retry key is already accepted/i.test(body)) {
        return { kind: 'sent', httpStatus: 409, requestId: accepted };
      }
      return { kind: 'failed', httpStatus: 409, error };
    }
    if (err.status === 429) {
      // The monthly message quota does not come back by waiting.
      if (/monthly limit/i.test(body)) return { kind: 'failed', httpStatus: 429, error };
      return { kind: 'rateLimited', waitMs: retryAfterMs(err.headers.get('retry-after')), error };
    }
    if (err.status >= 500) return { kind: 'retry', httpStatus: err.status, error };
    return { kind: 'failed', httpStatus: err.status, error };
  }
  const cause = (err as { cause?: { code?: string } })?.cause?.code;
  return {
    kind: 'retry',
    httpStatus: null,
    error: `network: ${String(err)}${cause ? ` (${cause})` : ''}`.slice(0, ERROR_MAX),
  };
}
