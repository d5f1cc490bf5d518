import type { TFunction } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/ja.ts';
import { ApiError } from './client.ts';

const KNOWN_CODES = new Set([
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'TOTP_REQUIRED',
  'INVALID_TOTP',
  'LOGIN_THROTTLED',
  'RATE_LIMITED',
  'IP_NOT_ALLOWED',
  'WEAK_PASSWORD',
  'CHANNEL_EXISTS',
  'LOGIN_ID_TAKEN',
  'ROLE_IN_USE',
  'ROLE_BUILTIN',
  'INVALID_CIDR',
  'IP_LIST_WOULD_LOCK_OUT',
  'VALIDATION_FAILED',
  'FORBIDDEN',
  'CSRF_INVALID',
  'NOT_FOUND',
  'SESSION_EXPIRED',
  'NETWORK',
  'AT_CAPACITY',
  'ALREADY_ASSIGNED',
  'HISTORY_NOT_CONFIRMED',
  'NOT_ASSIGNED',
  'NOT_DESK_MEMBER',
  'CONSULTATION_CLOSED',
  'RECORD_INCOMPLETE',
]);

/**
 * A user-facing message for any thrown error: known API codes are translated,
 * unknown codes fall back to the server's message.
 */
export function errorMessage(
  t: TFunction,
  error: unknown,
  overrides: Partial<Record<string, MessageKey>> = {},
) {
  if (error instanceof ApiError) {
    const override = overrides[error.code];
    if (override) return t(override);
    if (KNOWN_CODES.has(error.code)) return t(`errors.${error.code}` as MessageKey);
    return error.message || t('errors.UNKNOWN', { code: error.code });
  }
  return t('errors.UNKNOWN', { code: error instanceof Error ? error.message : String(error) });
}

/** Per-field messages from a VALIDATION_FAILED error, keyed by field path (e.g. `name`, `entries.0.cidr`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.details.length === 0) return {};
  const result: Record<string, string> = {};
  for (const detail of error.details) {
    const key = detail.path.replace(/^body\./, '');
    if (key && !(key in result)) result[key] = detail.message;
  }
  return result;
}

export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ApiError && error.code === code;
}
