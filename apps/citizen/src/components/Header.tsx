import { useI18n } from '../i18n/i18n.tsx';
import { useCityName } from '../site.ts';

/** The city's name (from the server's settings) and the language switch. */
export function Header({ wide = false }: { wide?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const cityName = useCityName();
  const other = locale === 'ja' ? 'en' : 'ja';
  return (
    <header className="border-b border-solid-gray-200 bg-white">
      <div
        className={`mx-auto flex min-h-15 items-center justify-between gap-3 px-4 py-2 ${wide ? 'max-w-180' : 'max-w-2xl'}`}
      >
        <p data-testid="city-name" className="min-w-0 truncate text-std-20B-150 text-solid-gray-900">
          {cityName === undefined ? '' : cityName || t('app.title')}
        </p>
        <button
          type="button"
          lang={other}
          aria-label={t('language.switchLabel')}
          onClick={() => setLocale(other)}
          className="inline-flex min-h-11 min-w-11 shrink-0 items-center justify-center rounded-8 border border-solid-gray-420 bg-white px-3 text-oln-16N-100 text-blue-900 underline underline-offset-[3px] hover:bg-blue-50 active:bg-blue-100"
        >
          {t('language.switchTo')}
        </button>
      </div>
    </header>
  );
}
