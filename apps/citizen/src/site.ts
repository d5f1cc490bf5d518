import { useEffect, useState } from 'react';
import { citizenApi } from './api/client.ts';
import { useI18n } from './i18n/i18n.tsx';

// The city's name (from the server's settings) for the header and the tab title. Asked once per
// page load; until it arrives, or when it cannot be had, the pages go without it.

let cityName: Promise<string | null> | null = null;

function loadCityName(): Promise<string | null> {
  cityName ??= citizenApi.site().then(
    (site) => site.cityName,
    (err: unknown) => {
      console.warn('City name unavailable', err);
      cityName = null; // try again on the next page
      return null;
    },
  );
  return cityName;
}

/** The city's name; `undefined` while it loads, `null` when there is none. */
export function useCityName(): string | null | undefined {
  const [name, setName] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let active = true;
    void loadCityName().then((n) => active && setName(n));
    return () => {
      active = false;
    };
  }, []);
  return name;
}

/**
 * Sets the tab title: "<page> | <city>" (the generic title while the city's name is unknown);
 * `null` leaves it to another component.
 */
export function useDocumentTitle(title: string | null): void {
  const { t } = useI18n();
  const city = useCityName();
  useEffect(() => {
    if (title !== null) document.title = `${title} | ${city || t('app.title')}`;
  }, [title, city, t]);
}
