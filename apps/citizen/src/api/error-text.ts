import type { TFunction } from '../i18n/i18n.tsx';
import { isMessageKey } from '../i18n/i18n.tsx';
import { ApiError } from './client.ts';

/** The text for an error the server answered (its own Japanese message when the page has none). */
export function errorText(t: TFunction, err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.UNKNOWN');
  const key = `error.${err.code}`;
  if (isMessageKey(key)) return t(key);
  return err.status > 0 && err.message ? err.message : t('error.UNKNOWN');
}
