import type { Locale } from './i18n.tsx';

// Dates and times on the citizen pages: always Tokyo time (the city's), in the page's locale.

const LOCALE_TAGS: Record<Locale, string> = { ja: 'ja-JP', en: 'en-GB' };

/** `iso` as Tokyo time in the page's locale; `parts` picks the fields (default: hour and minute). */
export function tokyoTimeText(
  iso: string,
  locale: Locale,
  parts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' },
): string {
  return new Intl.DateTimeFormat(LOCALE_TAGS[locale], { timeZone: 'Asia/Tokyo', ...parts }).format(
    new Date(iso),
  );
}
