import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { consultApi, type PublicDesk, type StartedConsultation } from '../../consult/api.ts';
import { isMessageKey, useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../Button.tsx';
import { DeskHours } from './DeskHours.tsx';
import { EmergencyContacts } from './EmergencyContacts.tsx';

/**
 * Before the chat: the desk, whether it is open now, the emergency contacts (open out of hours), the
 * notice that the consultation is recorded by the city (and, for LINE consultees, not by LINE), the access code when the desk needs one, and
 * "相談をはじめる". Then the reception hours.
 */
export function DeskIntro({
  desk,
  slug,
  viaLine,
  onStarted,
}: {
  desk: PublicDesk;
  slug: string;
  /** A LINE consultee (signed in through LIFF); otherwise a web consultee. */
  viaLine: boolean;
  onStarted: (started: StartedConsultation) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const codeRef = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canStart = viaLine || desk.webEnabled;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setCodeError(null);
    const accessCode = code.trim();
    if (desk.requiresAccessCode && !accessCode) {
      setCodeError(t('consult.accessCodeRequired'));
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      onStarted(await consultApi.start(slug, desk.requiresAccessCode ? accessCode : undefined));
    } catch (err) {
      const codeName = err instanceof ApiError ? err.code : 'UNKNOWN';
      if (codeName === 'ACCESS_CODE_INVALID') {
        setCodeError(t('consult.error.ACCESS_CODE_INVALID'));
        codeRef.current?.focus();
      } else {
        const key = [`consult.error.${codeName}`, `error.${codeName}`].find(isMessageKey) ?? 'error.UNKNOWN';
        setError(t(isMessageKey(key) ? key : 'error.UNKNOWN'));
      }
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col gap-6 py-6">
      <section aria-labelledby="desk-heading" className="flex flex-col gap-3">
        <h1 id="desk-heading" className="text-std-24B-150 text-solid-gray-900">
          {desk.name}
        </h1>
        {desk.description && <p className="whitespace-pre-wrap text-std-16N-170">{desk.description}</p>}
        {desk.openNow ? (
          <p className="flex items-center gap-2 text-std-16B-170 text-green-900">
            <span aria-hidden="true" className="size-2.5 shrink-0 rounded-full bg-green-700" />
            {t('consult.openNow')}
          </p>
        ) : (
          <p className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 px-3 py-2 text-std-16N-170 text-solid-gray-900">
            {t('consult.closedNow')}
          </p>
        )}
        {/* Out of hours the numbers are shown at once: they are the way to talk now. */}
        <EmergencyContacts contacts={desk.emergencyContacts} defaultOpen={!desk.openNow} />
      </section>

      {canStart ? (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          {desk.greeting && (
            <p className="whitespace-pre-wrap rounded-12 bg-blue-50 px-4 py-3 text-std-16N-170 text-solid-gray-900">
              {desk.greeting}
            </p>
          )}
          {desk.requiresAccessCode && (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-code`} className="text-std-17B-170 text-solid-gray-900">
                {t('consult.accessCode')}
              </label>
              <p id={`${id}-code-hint`} className="text-std-16N-170 text-solid-gray-700">
                {t('consult.accessCodeHint')}
              </p>
              <input
                id={`${id}-code`}
                ref={codeRef}
                value={code}
                onChange={(event) => setCode(event.target.value)}
                autoComplete="off"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                aria-invalid={codeError ? true : undefined}
                aria-describedby={`${id}-code-hint${codeError ? ` ${id}-code-error` : ''}`}
                className="min-h-14 w-full rounded-8 border-2 border-solid-gray-600 bg-white px-4 text-std-18N-160 text-solid-gray-900 hover:border-black aria-invalid:border-error-2 sm:max-w-80"
              />
              {codeError && (
                <p id={`${id}-code-error`} className="flex items-center gap-1 text-std-16B-170 text-error-2">
                  <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 shrink-0 fill-current">
                    <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 13.5a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5ZM12 6a1 1 0 0 0-1 1v6a1 1 0 1 0 2 0V7a1 1 0 0 0-1-1Z" />
                  </svg>
                  {codeError}
                </p>
              )}
            </div>
          )}
          <p className="text-std-16N-170 text-solid-gray-800">
            {t(viaLine ? 'consult.notice' : 'consult.noticeWeb')}
          </p>
          {error && (
            <p
              role="alert"
              className="rounded-8 border-2 border-error-2 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
            >
              {error}
            </p>
          )}
          <Button type="submit" disabled={busy} aria-busy={busy || undefined} className="sm:max-w-80">
            {busy ? t('consult.starting') : t('consult.start')}
          </Button>
        </form>
      ) : (
        <p className="rounded-8 border-2 border-solid-gray-420 bg-solid-gray-50 p-4 text-std-17N-170 text-solid-gray-900">
          {t('consult.lineOnly')}
        </p>
      )}

      <DeskHours desk={desk} />
    </div>
  );
}
