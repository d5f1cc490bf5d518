import { createI18n, type Locale, type Vars } from '@madoguchi/contracts/i18n.tsx';
import { en } from './en.ts';
import { ja, type MessageKey } from './ja.ts';

export type { Locale };
export type TFunction = (key: MessageKey, vars?: Vars) => string;

export const { I18nProvider, useI18n, useT, translate } = createI18n<MessageKey>({
  catalogs: { ja, en },
  storageKey: 'madoguchi.citizen.locale',
  // English for English-preferring browsers, Japanese for everyone else.
  defaultLocale: () =>
    (navigator.languages?.[0] ?? navigator.language ?? 'ja').toLowerCase().startsWith('en') ? 'en' : 'ja',
});

/** True when `key` exists in the catalogs (for codes coming from the server). */
export function isMessageKey(key: string): key is MessageKey {
  return key in ja;
}
