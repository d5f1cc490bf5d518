import type { ReportLinePoint } from '@madoguchi/contracts/reports.ts';
import { type ChangeEvent, type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { errorText } from '../api/error-text.ts';
import { Button } from '../components/Button.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { ErrorSummary, type FieldError, focusFirstError } from '../components/form/ErrorSummary.tsx';
import { fieldId } from '../components/form/ItemField.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { isMessageKey, useI18n } from '../i18n/i18n.tsx';
import { tokyoTimeText } from '../i18n/tokyo-time.ts';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';
import {
  type CitizenReportCategory,
  type CitizenReportView,
  type ReportAccepted,
  reportsApi,
} from '../reports/api.ts';
import { LineLocationRequest } from '../reports/LineLocationRequest.tsx';
import { homeHref } from '../router.ts';
import { useDocumentTitle } from '../site.ts';

// `/citizen/reports`: a fault report (R-01 … R-03), opened from LINE. The category, up to 5 photos
// (each sent as soon as it is chosen, shown as a preview that can be removed), the place (the phone's
// location or typed latitude/longitude, with a map link to check it), date and time, and the text.
// Checked here first (an error summary with links to the fields), then by the server (its messages
// at the fields, e.g. a place outside the city). A retried send keeps its request key: one report.

const MAX_PHOTOS = 5;
const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_TEXT = 2000;

const control =
  'block w-full min-h-12 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-17N-170 text-solid-gray-900 hover:border-black aria-[invalid=true]:border-2 aria-[invalid=true]:border-error-1';
const note = 'text-std-16N-170 text-solid-gray-700';
const labelText = 'text-std-17B-170 text-solid-gray-900';
const linkClass =
  'inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2';

type Photo = { localId: string; url: string; photoId: string | null; error: string | null };
type Fields = 'category' | 'photos' | 'location' | 'date' | 'time' | 'text';

/** Now in Tokyo as the date and time inputs want it: ['2026-12-02', '14:05']. */
function tokyoNow(): [string, string] {
  const s = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date());
  const [date = '', time = ''] = s.split(' ');
  return [date, time.slice(0, 5)];
}

const randomKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, '0')).join('');

function Required() {
  const { t } = useI18n();
  return <span className="ml-2 text-std-16N-170 text-error-1">{t('form.required')}</span>;
}

function ErrorLine({ id, text }: { id: string; text: string | undefined }) {
  const { t } = useI18n();
  if (!text) return null;
  return (
    <p id={id} className="text-std-16B-170 text-error-1">
      {t('form.errorMark')}
      {text}
    </p>
  );
}

const described = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

export function ReportPage({ channelId, liff }: { channelId: string | null; liff: Liff | null }) {
  const { t, locale } = useI18n();
  const [categories, setCategories] = useState<CitizenReportCategory[] | null>(null);
  const [mine, setMine] = useState<CitizenReportView[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [categoryId, setCategoryId] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [locating, setLocating] = useState(false);
  const [locateNote, setLocateNote] = useState<string | null>(null);
  const [[date, time], setWhen] = useState<[string, string]>(tokyoNow);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const [summary, setSummary] = useState<{ message: string; errors: FieldError[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<ReportAccepted | null>(null);
  const requestKey = useRef<{ key: string; body: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    Promise.all([reportsApi.categories(), reportsApi.mine()]).then(
      ([c, m]) => {
        if (!active) return;
        setCategories(c);
        setMine(m);
      },
      (err: unknown) => {
        console.error('Could not load the report page', err);
        if (active) setLoadError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [attempt]);

  useDocumentTitle(accepted ? t('report.thanksTitle') : t('report.title'));
  useEffect(() => {
    if (accepted) doneRef.current?.focus();
  }, [accepted]);
  // The previews' object URLs are freed with the page.
  const urls = useRef<string[]>([]);
  useEffect(
    () => () => {
      for (const u of urls.current) URL.revokeObjectURL(u);
    },
    [],
  );

  if (loadError)
    return (
      <ErrorView
        heading={t('error.title')}
        message={errorText(t, loadError)}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  if (!categories) return <StatusView message={t('status.loading')} />;

  const canClose = isInLineClient(liff);
  const back = (
    <p className="pt-4">
      <Link href={homeHref(channelId)} className={linkClass}>
        {t('report.back')}
      </Link>
    </p>
  );

  const mineList = (
    <section aria-labelledby="report-mine" className="flex flex-col gap-3">
      <h2 id="report-mine" className="text-std-20B-160 text-solid-gray-900">
        {t('report.mineHeading')}
      </h2>
      {mine.length === 0 ? (
        <p className={note}>{t('report.mineEmpty')}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="report-mine">
          {mine.map((r) => (
            <li key={r.id} className="flex flex-col gap-1 rounded-8 border border-solid-gray-300 p-3">
              <p className="flex flex-wrap items-center gap-2">
                <span className="rounded-4 bg-blue-50 px-2 text-std-16B-170 text-blue-1000">
                  {t(`report.status.${r.status}`)}
                </span>
                <span className="text-std-16B-170">{r.category}</span>
                <span className={note}>
                  {tokyoTimeText(r.receivedAt, locale, { dateStyle: 'medium', timeStyle: 'short' })}
                </span>
              </p>
              <p className="line-clamp-2 whitespace-pre-line text-std-16N-170">{r.text}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );

  if (accepted) {
    return (
      <section aria-labelledby="report-done" className="flex flex-col gap-5 py-6">
        <div
          role="status"
          className="flex flex-col gap-3 rounded-12 border-2 border-success-1 bg-green-50 p-4"
        >
          <h1 id="report-done" ref={doneRef} tabIndex={-1} className="text-std-24B-150 text-solid-gray-900">
            {t('report.thanksTitle')}
          </h1>
          <p className="text-std-17N-170">{t('report.thanksBody')}</p>
          <p className={`${note} break-all`}>{t('report.thanksNumber', { id: accepted.reportId })}</p>
        </div>
        <Button
          variant="secondary"
          onClick={() => {
            setAccepted(null);
            setCategoryId('');
            setPhotos([]);
            setText('');
            setWhen(tokyoNow());
            window.scrollTo(0, 0);
          }}
        >
          {t('report.another')}
        </Button>
        {liff && canClose && <Button onClick={() => liff.closeWindow()}>{t('report.close')}</Button>}
        {mineList}
        {back}
      </section>
    );
  }

  const labels: Record<Fields, string> = {
    category: t('report.category'),
    photos: t('report.photos'),
    location: t('report.location'),
    date: t('report.date'),
    time: t('report.time'),
    text: t('report.text'),
  };
  const show = (message: string, found: Partial<Record<Fields, string>>) => {
    setErrors(found);
    setSummary({
      message,
      errors: (Object.keys(labels) as Fields[]).flatMap((k) =>
        found[k] ? [{ key: k, label: labels[k], message: found[k]! }] : [],
      ),
    });
  };

  const addPhotos = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    let room = MAX_PHOTOS - photos.length;
    for (const file of files) {
      if (room <= 0) {
        setErrors((e) => ({ ...e, photos: t('report.photoLimit') }));
        break;
      }
      if (!TYPES.includes(file.type) && file.type !== '') {
        setErrors((e) => ({ ...e, photos: t('report.photoType') }));
        continue;
      }
      if (file.size > MAX_BYTES) {
        setErrors((e) => ({ ...e, photos: t('report.photoSize') }));
        continue;
      }
      room -= 1;
      const url = URL.createObjectURL(file);
      urls.current.push(url);
      const localId = url;
      setPhotos((p) => [...p, { localId, url, photoId: null, error: null }]);
      setErrors((e) => ({ ...e, photos: undefined }));
      try {
        const { photoId } = await reportsApi.uploadPhoto(file);
        setPhotos((p) => p.map((x) => (x.localId === localId ? { ...x, photoId } : x)));
      } catch (err) {
        console.error('Could not send the photo', err);
        setPhotos((p) => p.filter((x) => x.localId !== localId));
        setErrors((e) => ({ ...e, photos: errorText(t, err) }));
      }
    }
  };

  const locateMe = () => {
    if (!('geolocation' in navigator)) {
      setLocateNote(t('report.locateUnsupported'));
      return;
    }
    setLocating(true);
    setLocateNote(t('report.locating'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLat(pos.coords.latitude.toFixed(6));
        setLng(pos.coords.longitude.toFixed(6));
        setLocating(false);
        setLocateNote(null);
        setErrors((e) => ({ ...e, location: undefined }));
      },
      () => {
        setLocating(false);
        setLocateNote(t('report.locateFailed'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  // The place sent in the LINE talk; one from before the page opened only fills empty fields.
  const takeLinePoint = (point: ReportLinePoint, earlier: boolean) => {
    if (earlier && (lat.trim() !== '' || lng.trim() !== '')) return;
    setLat(point.lat.toFixed(6));
    setLng(point.lng.toFixed(6));
    setErrors((e) => ({ ...e, location: undefined }));
  };

  const latN = Number(lat);
  const lngN = Number(lng);
  const hasPlace = lat.trim() !== '' && lng.trim() !== '' && Number.isFinite(latN) && Number.isFinite(lngN);

  const check = (): Partial<Record<Fields, string>> => {
    const found: Partial<Record<Fields, string>> = {};
    if (!categoryId) found.category = t('report.categoryRequired');
    if (lat.trim() === '' || lng.trim() === '') found.location = t('report.locationRequired');
    else if (!Number.isFinite(latN) || latN < -90 || latN > 90) found.location = t('report.latInvalid');
    else if (!Number.isFinite(lngN) || lngN < -180 || lngN > 180) found.location = t('report.lngInvalid');
    if (!date) found.date = t('report.dateRequired');
    if (!time) found.time = t('report.timeRequired');
    if (date && time && new Date(`${date}T${time}:00+09:00`).getTime() > Date.now() + 10 * 60_000)
      found.date = t('report.dateFuture');
    if (!text.trim()) found.text = t('report.textRequired');
    else if (text.length > MAX_TEXT) found.text = t('report.textTooLong');
    return found;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = check();
    const n = Object.keys(found).length;
    if (n > 0) {
      show(t('form.errorSummary', { count: n }), found);
      focusFirstError(formRef.current);
      return;
    }
    const body = {
      categoryId,
      text: text.trim(),
      occurredAt: `${date}T${time}:00+09:00`,
      location: { lat: latN, lng: lngN },
      photoIds: photos.flatMap((p) => (p.photoId ? [p.photoId] : [])),
    };
    // The same report sent again (after a failure) keeps its request key: one report.
    const same = JSON.stringify(body);
    if (requestKey.current?.body !== same) requestKey.current = { key: randomKey(), body: same };
    setBusy(true);
    try {
      const result = await reportsApi.send({ ...body, requestKey: requestKey.current.key });
      requestKey.current = null;
      setErrors({});
      setSummary(null);
      setAccepted(result);
      reportsApi.mine().then(setMine, () => {});
      window.scrollTo(0, 0);
    } catch (err) {
      console.error('Could not send the report', err);
      const fieldErrors: Partial<Record<Fields, string>> = {};
      if (err instanceof ApiError) {
        for (const d of err.details) {
          const top = d.path.split('.')[0];
          const field: Fields | undefined =
            top === 'categoryId'
              ? 'category'
              : top === 'photoIds'
                ? 'photos'
                : top === 'location'
                  ? 'location'
                  : top === 'occurredAt'
                    ? 'date'
                    : top === 'text'
                      ? 'text'
                      : undefined;
          if (field) fieldErrors[field] = d.message;
        }
        if (err.code === 'REPORT_OUTSIDE_CITY') fieldErrors.location = t('error.REPORT_OUTSIDE_CITY');
      }
      const count = Object.keys(fieldErrors).length;
      const message =
        err instanceof ApiError && err.code === 'NETWORK'
          ? t('report.sendFailedNetwork')
          : count > 0 && !(err instanceof ApiError && isMessageKey(`error.${err.code}`))
            ? t('form.errorSummary', { count })
            : errorText(t, err);
      show(message, fieldErrors);
      if (count > 0) focusFirstError(formRef.current);
      else requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const uploading = photos.some((p) => p.photoId === null);
  const mapUrl = hasPlace
    ? `https://www.openstreetmap.org/?mlat=${latN}&mlon=${lngN}#map=18/${latN}/${lngN}`
    : null;
  const field = (key: Fields, children: ReactNode) => (
    <div data-item={key} className="flex flex-col gap-2">
      {children}
    </div>
  );
  const id = (k: Fields) => fieldId(k);

  return (
    <>
      {back}
      <div className="flex flex-col gap-7 pt-2 pb-6">
        <div className="flex flex-col gap-3">
          <h1 className="text-std-24B-150 text-solid-gray-900">{t('report.title')}</h1>
          <p className="text-std-17N-170">{t('report.lead')}</p>
          <p className={note}>{t('report.leadRequired')}</p>
        </div>
        {categories.length === 0 ? (
          <p className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 p-4 text-std-17N-170">
            {t('report.noCategories')}
          </p>
        ) : (
          <form
            ref={formRef}
            noValidate
            onSubmit={onSubmit}
            aria-label={t('report.title')}
            className="flex flex-col gap-7"
          >
            {summary && (
              <div ref={summaryRef} tabIndex={-1} className="outline-offset-4">
                <ErrorSummary message={summary.message} errors={summary.errors} />
              </div>
            )}

            {field(
              'category',
              <fieldset
                aria-describedby={described(errors.category && `${id('category')}-error`)}
                className="flex flex-col gap-2"
              >
                <legend className={`${labelText} mb-2`}>
                  {t('report.category')}
                  <Required />
                </legend>
                <ErrorLine id={`${id('category')}-error`} text={errors.category} />
                {categories.map((c, i) => (
                  <label
                    key={c.id}
                    className="flex min-h-11 cursor-pointer items-center gap-3 rounded-8 px-2 py-1.5 text-std-17N-170 hover:bg-solid-gray-50"
                  >
                    <input
                      type="radio"
                      name="category"
                      value={c.id}
                      id={i === 0 ? id('category') : undefined}
                      checked={categoryId === c.id}
                      onChange={() => {
                        setCategoryId(c.id);
                        setErrors((e) => ({ ...e, category: undefined }));
                      }}
                      aria-invalid={errors.category ? true : undefined}
                      className="size-6 shrink-0 cursor-pointer accent-blue-900"
                    />
                    {c.name}
                  </label>
                ))}
              </fieldset>,
            )}

            {field(
              'photos',
              <>
                <p className={labelText} id={`${id('photos')}-label`}>
                  {t('report.photos')}
                </p>
                <p id={`${id('photos')}-help`} className={note}>
                  {t('report.photosHelp')}
                </p>
                <ErrorLine id={`${id('photos')}-error`} text={errors.photos} />
                {photos.length > 0 && (
                  <ul
                    className="grid grid-cols-2 gap-3 sm:grid-cols-3"
                    aria-labelledby={`${id('photos')}-label`}
                  >
                    {photos.map((p, i) => (
                      <li key={p.localId} className="flex flex-col gap-1">
                        <img
                          src={p.url}
                          alt={t('report.photoAlt', { n: i + 1 })}
                          className="aspect-square w-full rounded-8 border border-solid-gray-300 object-cover"
                        />
                        {p.photoId === null ? (
                          <p className={note} role="status">
                            {t('report.photoUploading')}
                          </p>
                        ) : (
                          <button
                            type="button"
                            onClick={() => setPhotos((all) => all.filter((x) => x.localId !== p.localId))}
                            className="min-h-11 rounded-8 border-2 border-blue-900 bg-white px-3 text-std-16B-170 text-blue-900 hover:bg-blue-50"
                          >
                            {t('report.removePhoto', { n: i + 1 })}
                          </button>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {photos.length < MAX_PHOTOS && (
                  <label className="inline-flex min-h-12 w-full cursor-pointer items-center justify-center rounded-8 border-2 border-blue-900 bg-white px-5 text-oln-17B-100 text-blue-900 focus-within:outline-2 focus-within:outline-offset-2 hover:bg-blue-50">
                    {t('report.addPhoto')}
                    <input
                      ref={fileRef}
                      id={id('photos')}
                      type="file"
                      accept="image/jpeg,image/png,image/webp"
                      multiple
                      onChange={addPhotos}
                      aria-invalid={errors.photos ? true : undefined}
                      aria-describedby={described(
                        `${id('photos')}-help`,
                        errors.photos && `${id('photos')}-error`,
                      )}
                      className="sr-only"
                      data-testid="report-photo-input"
                    />
                  </label>
                )}
              </>,
            )}

            {field(
              'location',
              <fieldset
                aria-describedby={described(
                  `${id('location')}-help`,
                  errors.location && `${id('location')}-error`,
                )}
                className="flex flex-col gap-3"
              >
                <legend className={`${labelText} mb-2`}>
                  {t('report.location')}
                  <Required />
                </legend>
                <p id={`${id('location')}-help`} className={note}>
                  {t('report.locationHelp')}
                </p>
                <ErrorLine id={`${id('location')}-error`} text={errors.location} />
                <Button variant="secondary" onClick={locateMe} disabled={locating}>
                  {t('report.useCurrent')}
                </Button>
                <LineLocationRequest describedBy={`${id('location')}-help`} onPoint={takeLinePoint} />
                {locateNote && (
                  <p role="status" className={note}>
                    {locateNote}
                  </p>
                )}
                <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                  <label className="flex flex-col gap-1">
                    <span className="text-std-16B-170">{t('report.lat')}</span>
                    <input
                      id={id('location')}
                      type="text"
                      inputMode="decimal"
                      autoComplete="off"
                      value={lat}
                      onChange={(e) => setLat(e.target.value)}
                      aria-invalid={errors.location ? true : undefined}
                      className={control}
                    />
                  </label>
                  <label className="flex flex-col gap-1">
                    <span className="text-std-16B-170">{t('report.lng')}</span>
                    <input
                      id={`${id('location')}-lng`}
                      type="text"
                      inputMode="decimal"
                      autoComplete="off"
                      value={lng}
                      onChange={(e) => setLng(e.target.value)}
                      aria-invalid={errors.location ? true : undefined}
                      className={control}
                    />
                  </label>
                </div>
                {mapUrl && (
                  <a href={mapUrl} target="_blank" rel="noopener noreferrer" className={linkClass}>
                    {t('report.mapLink')}
                  </a>
                )}
              </fieldset>,
            )}

            <div className="grid grid-cols-1 gap-5 sm:grid-cols-2">
              {field(
                'date',
                <>
                  <label htmlFor={id('date')} className={labelText}>
                    {t('report.date')}
                    <Required />
                  </label>
                  <ErrorLine id={`${id('date')}-error`} text={errors.date} />
                  <input
                    id={id('date')}
                    type="date"
                    value={date}
                    max={tokyoNow()[0]}
                    onChange={(e) => setWhen([e.target.value, time])}
                    aria-invalid={errors.date ? true : undefined}
                    aria-describedby={described(errors.date && `${id('date')}-error`)}
                    className={control}
                  />
                </>,
              )}
              {field(
                'time',
                <>
                  <label htmlFor={id('time')} className={labelText}>
                    {t('report.time')}
                    <Required />
                  </label>
                  <ErrorLine id={`${id('time')}-error`} text={errors.time} />
                  <input
                    id={id('time')}
                    type="time"
                    value={time}
                    onChange={(e) => setWhen([date, e.target.value])}
                    aria-invalid={errors.time ? true : undefined}
                    aria-describedby={described(errors.time && `${id('time')}-error`)}
                    className={control}
                  />
                </>,
              )}
            </div>

            {field(
              'text',
              <>
                <label htmlFor={id('text')} className={labelText}>
                  {t('report.text')}
                  <Required />
                </label>
                <p id={`${id('text')}-help`} className={note}>
                  {t('report.textHelp')}
                </p>
                <ErrorLine id={`${id('text')}-error`} text={errors.text} />
                <textarea
                  id={id('text')}
                  rows={6}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  aria-invalid={errors.text ? true : undefined}
                  aria-describedby={described(
                    `${id('text')}-help`,
                    `${id('text')}-count`,
                    errors.text && `${id('text')}-error`,
                  )}
                  className={control}
                />
                <p id={`${id('text')}-count`} className={note} aria-live="polite">
                  {t('report.textCount', { n: text.length })}
                </p>
              </>,
            )}

            <Button type="submit" disabled={busy || uploading}>
              {busy ? t('report.sending') : t('report.submit')}
            </Button>
          </form>
        )}
        {mineList}
        {liff && canClose && (
          <Button variant="secondary" onClick={() => liff.closeWindow()}>
            {t('report.close')}
          </Button>
        )}
      </div>
    </>
  );
}
