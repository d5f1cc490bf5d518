import type { ErrorDetail } from './openapi-validator.ts';

// LINE Platform error bodies, worded as LINE words them.

export interface LineError {
  status: number;
  body: { message: string; details?: ErrorDetail[]; [key: string]: unknown };
  headers?: Record<string, string>;
}

export const AUTH_FAILED =
  'Authentication failed. Confirm that the access token in the authorization header is valid.';
export const AUTH_HEADER_REQUIRED =
  "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'";

export function lineError(status: number, message: string, extra?: Record<string, unknown>): LineError {
  return { status, body: { message, ...extra } };
}

export function invalidBody(details: ErrorDetail[]): LineError {
  return { status: 400, body: { message: `The request body has ${details.length} error(s)`, details } };
}

export const errors = {
  notFound: () => lineError(404, 'Not found'),
  rateLimited: () => lineError(429, 'The API rate limit has been exceeded. Try again later.'),
  invalidReplyToken: () => lineError(400, 'Invalid reply token'),
  failedToSend: () => lineError(400, 'Failed to send messages'),
  invalidRetryKey: () => lineError(400, 'The retry key must be a UUID (X-Line-Retry-Key header)'),
  invalidTo: () => lineError(400, "The property, 'to', in the request body is invalid (line: -, column: -)"),
  unparsableJson: () => lineError(400, 'The request body could not be parsed as JSON'),
  richMenuNotFound: () => lineError(404, 'richmenu not found'),
} as const;

/** Thrown inside handlers; the error handler turns it into the LINE error response. */
export class LineHttpError extends Error {
  readonly error: LineError;

  constructor(error: LineError) {
    super(error.body.message);
    this.error = error;
  }
}
