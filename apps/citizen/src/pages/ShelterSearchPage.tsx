import {
  DISASTER_TYPE_LABELS,
  DISASTER_TYPES,
  type DisasterType,
  SHELTER_KIND_LABELS,
  SHELTER_STATUS_LABELS,
} from '@madoguchi/contracts/shelter-constants.ts';
import type { NearbyShelter } from '@madoguchi/contracts/shelters.ts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { Button } from '../components/Button.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { tokyoTimeText } from '../i18n/tokyo-time.ts';
import { nearbyShelters } from '../shelters/api.ts';
import { useDocumentTitle } from '../site.ts';

// 近くの避難所をさがす: from the browser's location or a point typed in; nearest first, with
// distance, status and the time it was last changed, the hazards, and a map link. No sign-in needed.

type Point = { lat: number; lon: number };

const statusStyle: Record<NearbyShelter['status'], string> = {
  open: 'border-green-900 bg-green-50 text-green-1000',
  full: 'border-orange-900 bg-orange-50 text-orange-1100',
  shut: 'border-red-900 bg-red-50 text-red-1000',
  closed_not_opened: 'border-solid-gray-600 bg-solid-gray-50 text-solid-gray-800',
};

function distanceText(m: number): string {
  if (m < 1000) return `${Math.round(m / 10) * 10} m`;
  return `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}

function timeText(iso: string, locale: 'ja' | 'en'): string {
  return tokyoTimeText(iso, locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function ShelterSearchPage() {
  const { t, locale } = useI18n();
  const id = useId();
  useDocumentTitle(t('shelters.title'));
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [openOnly, setOpenOnly] = useState(true);
  const [types, setTypes] = useState<DisasterType[]>([]);
  const [point, setPoint] = useState<Point | null>(null);
  const [items, setItems] = useState<NearbyShelter[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function search(p: Point, filters = { openOnly, types }) {
    setPoint(p);
    setError(null);
    setStatus(t('shelters.searching'));
    try {
      const r = await nearbyShelters({ ...p, ...filters });
      setItems(r.items);
      setStatus('');
    } catch (err) {
      setItems(null);
      setStatus('');
      setError(err instanceof ApiError && err.message ? err.message : t('error.NETWORK'));
    }
  }

  function useHere() {
    setError(null);
    if (!('geolocation' in navigator)) {
      setError(t('shelters.geoUnsupported'));
      return;
    }
    setStatus(t('shelters.locating'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLat(pos.coords.latitude.toFixed(5));
        setLon(pos.coords.longitude.toFixed(5));
        void search({ lat: pos.coords.latitude, lon: pos.coords.longitude });
      },
      () => {
        setStatus('');
        setError(t('shelters.geoDenied'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  function onManual(event: FormEvent) {
    event.preventDefault();
    const a = Number(lat.normalize('NFKC').trim());
    const b = Number(lon.normalize('NFKC').trim());
    if (!lat.trim() || !lon.trim() || !Number.isFinite(a) || !Number.isFinite(b)) {
      setError(t('shelters.badPoint'));
      return;
    }
    void search({ lat: a, lon: b });
  }

  function refilter(next: { openOnly: boolean; types: DisasterType[] }) {
    setOpenOnly(next.openOnly);
    setTypes(next.types);
    if (point) void search(point, next);
  }

  const input =
    'block min-h-12 w-full rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-17N-170 text-solid-gray-900';
  const check = 'size-6 shrink-0 accent-blue-900';
  return (
    <div className="flex flex-col gap-6 py-6">
      <h1 className="text-std-24B-150 text-solid-gray-900">{t('shelters.title')}</h1>
      <p className="text-std-17N-170 text-solid-gray-800">{t('shelters.lead')}</p>

      <fieldset className="flex flex-col gap-2 rounded-12 border border-solid-gray-420 p-4">
        <legend className="px-1 text-std-17B-170">{t('shelters.filters')}</legend>
        <label className="flex min-h-11 items-center gap-3 text-std-17N-170">
          <input
            type="checkbox"
            className={check}
            checked={openOnly}
            onChange={(e) => refilter({ openOnly: e.target.checked, types })}
          />
          {t('shelters.openOnly')}
        </label>
        <fieldset className="mt-2 flex flex-col gap-1">
          <legend className="text-std-16B-170">{t('shelters.types')}</legend>
          <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
            {DISASTER_TYPES.map((d) => (
              <label key={d} className="flex min-h-11 items-center gap-3 text-std-17N-170">
                <input
                  type="checkbox"
                  className={check}
                  checked={types.includes(d)}
                  onChange={(e) =>
                    refilter({
                      openOnly,
                      types: e.target.checked ? [...types, d] : types.filter((x) => x !== d),
                    })
                  }
                />
                {DISASTER_TYPE_LABELS[d][locale]}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <Button onClick={useHere}>{t('shelters.useHere')}</Button>

      <details className="rounded-12 border border-solid-gray-420">
        <summary className="flex min-h-12 cursor-pointer items-center px-4 text-std-17B-170 text-blue-1000 underline">
          {t('shelters.manual')}
        </summary>
        <form noValidate onSubmit={onManual} className="flex flex-col gap-3 p-4 pt-0">
          <div className="flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-lat`} className="text-std-17B-170">
                {t('shelters.lat')}
              </label>
              <input
                id={`${id}-lat`}
                inputMode="decimal"
                autoComplete="off"
                value={lat}
                onChange={(e) => setLat(e.target.value)}
                className={input}
              />
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-lon`} className="text-std-17B-170">
                {t('shelters.lon')}
              </label>
              <input
                id={`${id}-lon`}
                inputMode="decimal"
                autoComplete="off"
                value={lon}
                onChange={(e) => setLon(e.target.value)}
                className={input}
              />
            </div>
            <Button type="submit" variant="secondary">
              {t('shelters.usePoint')}
            </Button>
          </div>
        </form>
      </details>

      <p aria-live="polite" className="text-std-17N-170">
        {status}
      </p>
      {error && (
        <p
          role="alert"
          className="rounded-8 border-2 border-red-900 bg-red-50 px-4 py-3 text-std-17B-170 text-red-1000"
        >
          {error}
        </p>
      )}

      {items && (
        <section aria-labelledby={`${id}-results`} className="flex flex-col gap-3">
          <h2 id={`${id}-results`} className="text-std-20B-150">
            {t('shelters.results')}
          </h2>
          {items.length === 0 ? (
            <p className="text-std-17N-170">{openOnly ? t('shelters.noneOpen') : t('shelters.none')}</p>
          ) : (
            <ol className="flex flex-col gap-3">
              {items.map((s) => (
                <li
                  key={s.id}
                  className="flex flex-col gap-1 rounded-12 border border-solid-gray-420 bg-white p-4"
                >
                  <h3 className="text-std-18B-160 text-solid-gray-900">{s.name}</h3>
                  <p className="text-std-16N-170 text-solid-gray-800">
                    {SHELTER_KIND_LABELS[s.kind][locale]}
                  </p>
                  <p className="text-std-17N-170">
                    {t('shelters.distance', { distance: distanceText(s.distanceMeters) })}
                  </p>
                  <p className="flex flex-wrap items-center gap-2 text-std-17N-170">
                    <span
                      className={`rounded-4 border px-2 py-0.5 text-std-16B-170 ${statusStyle[s.status]}`}
                    >
                      {t('shelters.status', { status: SHELTER_STATUS_LABELS[s.status][locale] })}
                    </span>
                    <span>
                      {s.statusChangedAt
                        ? t('shelters.updated', { at: timeText(s.statusChangedAt, locale) })
                        : t('shelters.noUpdate')}
                    </span>
                  </p>
                  <p className="text-std-16N-170 text-solid-gray-800">
                    {s.disasterTypes.length
                      ? t('shelters.hazards', {
                          types: s.disasterTypes
                            .map((d) => DISASTER_TYPE_LABELS[d][locale])
                            .join(t('shelters.hazardsSeparator')),
                        })
                      : t('shelters.noHazards')}
                  </p>
                  <p className="text-std-16N-170 text-solid-gray-800">
                    {t('shelters.address', { address: s.address })}
                  </p>
                  <a
                    href={s.mapUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="mt-1 inline-flex min-h-11 items-center text-std-17B-170 text-blue-1000 underline"
                  >
                    {t('shelters.map', { name: s.name })}
                  </a>
                </li>
              ))}
            </ol>
          )}
          <p className="text-std-16N-170 text-solid-gray-700">{t('shelters.notice')}</p>
        </section>
      )}
    </div>
  );
}
