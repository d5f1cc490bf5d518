import { createI18n, type Locale, type Vars } from '@madoguchi/contracts/i18n.tsx';
import { en } from './en.ts';
import { ja, type MessageKey } from './ja.ts';

export type { Locale };
export type TFunction = (key: MessageKey, vars?: Vars) => string;

export const { I18nProvider, useI18n, useT, translate } = createI18n<MessageKey>({
  catalogs: { ja, en },
  storageKey: 'madoguchi.console.locale',
  defaultLocale: () => 'ja',
});

/** The messages of message keys, keyed alike (a form's field checks: field → message). */
export function translateEach(t: TFunction, keys: Record<string, MessageKey>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([field, key]) => [field, t(key)]));
}
