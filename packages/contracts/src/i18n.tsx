import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

// The i18n of the web apps (Japanese first, English second): catalogs, the saved choice, the <html
// lang> attribute and {name} placeholders. Each app calls createI18n once with its own catalogs.
// (Imported as '@madoguchi/contracts/i18n.tsx' by the web apps only; the server never loads React.)

export type Locale = 'ja' | 'en';
export type Vars = Record<string, string | number>;

export function createI18n<Key extends string>(options: {
  catalogs: Record<Locale, Partial<Record<Key, string>>> & { ja: Record<Key, string> };
  storageKey: string;
  /** The locale when nothing was saved. */
  defaultLocale: () => Locale;
}) {
  type TFunction = (key: Key, vars?: Vars) => string;
  type I18nValue = { locale: Locale; setLocale: (locale: Locale) => void; t: TFunction };
  const { catalogs, storageKey } = options;

  function initialLocale(): Locale {
    try {
      const saved = localStorage.getItem(storageKey);
      if (saved === 'ja' || saved === 'en') return saved;
    } catch {
      // Storage may be unavailable (private mode); fall back to the default.
    }
    return options.defaultLocale();
  }

  function translate(locale: Locale, key: Key, vars?: Vars): string {
    const template = catalogs[locale][key] ?? catalogs.ja[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in vars ? String(vars[name]) : whole,
    );
  }

  const I18nContext = createContext<I18nValue | null>(null);

  function I18nProvider({ children }: { children: ReactNode }) {
    const [locale, setLocaleState] = useState<Locale>(initialLocale);
    useEffect(() => {
      document.documentElement.lang = locale;
    }, [locale]);
    const setLocale = useCallback((next: Locale) => {
      setLocaleState(next);
      try {
        localStorage.setItem(storageKey, next);
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

  function useI18n(): I18nValue {
    const value = useContext(I18nContext);
    if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
    return value;
  }

  return { I18nProvider, useI18n, useT: (): TFunction => useI18n().t, translate };
}
