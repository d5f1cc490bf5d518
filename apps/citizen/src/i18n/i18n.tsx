import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en.ts';
import { ja, type MessageKey, type Messages } from './ja.ts';

export type Locale = 'ja' | 'en';
export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

const catalogs: Record<Locale, Messages> = { ja, en };
const STORAGE_KEY = 'madoguchi.citizen.locale';

/** A saved choice wins; otherwise English for English-preferring browsers, Japanese for everyone else. */
function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    // Storage may be unavailable; fall back to the browser language.
  }
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'ja';
  return preferred.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = catalogs[locale][key] ?? ja[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** True when `key` exists in the catalogs (for codes coming from the server). */
export function isMessageKey(key: string): key is MessageKey {
  return key in ja;
}

type I18nValue = { locale: Locale; setLocale: (locale: Locale) => void; t: TFunction };

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // The choice then lasts for this page only.
    }
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
