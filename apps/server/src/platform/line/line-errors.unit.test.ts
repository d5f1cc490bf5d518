import { HTTPFetchError } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { classify, retryAfterMs } from './line-errors.ts';

// G-12: how the sender reads LINE's answers to a multicast.

const lineError = (status: number, body: object, headers: Record<string, string> = {}) =>
  new HTTPFetchError(`${status}`, {
    status,
    statusText: '',
    headers: new Headers(headers),
    body: JSON.stringify(body),
  });

describe('classify (G-12)', () => {
  it('G-12: 409 "retry key already accepted" counts as sent, with the accepted request ID', () => {
    expect(
      classify(
        lineError(
          409,
          { message: 'The retry key is already accepted' },
          { 'x-line-accepted-request-id': 'req-1' },
        ),
      ),
    ).toEqual({ kind: 'sent', httpStatus: 409, requestId: 'req-1' });
    expect(classify(lineError(409, { message: 'Conflict' }))).toMatchObject({
      kind: 'failed',
      httpStatus: 409,
    });
  });

  it('G-12: 429 waits (Retry-After when given); the monthly limit fails at once', () => {
    expect(
      classify(
        lineError(
          429,
          { message: 'The API rate limit has been exceeded. Try again later.' },
          { 'retry-after': '2' },
        ),
      ),
    ).toMatchObject({ kind: 'rateLimited', waitMs: 2000 });
    expect(
      classify(lineError(429, { message: 'The API rate limit has been exceeded. Try again later.' })),
    ).toMatchObject({
      kind: 'rateLimited',
      waitMs: null,
    });
    expect(classify(lineError(429, { message: 'You have reached your monthly limit.' }))).toMatchObject({
      kind: 'failed',
      httpStatus: 429,
    });
  });

  it("G-12: 5xx and network errors are retried; other 4xx fail with LINE's answer", () => {
    expect(classify(lineError(500, { message: 'Internal server error' }))).toEqual({
      kind: 'retry',
      httpStatus: 500,
      error: '500 {"message":"Internal server error"}',
    });
    expect(classify(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toMatchObject({
      kind: 'retry',
      httpStatus: null,
      error: expect.stringContaining('ECONNREFUSED'),
    });
    expect(classify(lineError(400, { message: 'The request body has 1 error(s)' }))).toEqual({
      kind: 'failed',
      httpStatus: 400,
      error: '400 {"message":"The request body has 1 error(s)"}',
    });
    expect(classify(lineError(401, { message: 'Authentication failed.' }))).toMatchObject({
      kind: 'failed',
      httpStatus: 401,
    });
  });

  it('retryAfterMs reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});
