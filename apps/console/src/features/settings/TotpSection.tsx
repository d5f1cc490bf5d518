import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, hasCode } from '../../api/errors.ts';
import { useAuth, useSession } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';

type Setup = { secret: string; otpauthUrl: string };

/** Two-factor authentication: setup (secret + otpauth URL as text, no QR) → enable; disable with password. */
export function TotpSection() {
  const t = useT();
  const { refresh } = useAuth();
  const { account } = useSession();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setFieldError(null);
    setMessage(null);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      try {
        setSetup(await api.post<Setup>('/api/session/totp/setup'));
        setCode('');
      } catch (err) {
        setError(errorMessage(t, err));
      }
    });

  const enable = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.replace(/\s/g, '');
    if (!/^\d{6,8}$/.test(trimmed)) {
      setFieldError(
        trimmed ? t('errors.INVALID_TOTP') : t('common.fieldRequired', { label: t('totp.code') }),
      );
      return;
    }
    void run(async () => {
      try {
        await api.post('/api/session/totp/enable', { code: trimmed });
        setSetup(null);
        setCode('');
        await refresh();
        setMessage(t('totp.enabled'));
      } catch (err) {
        if (hasCode(err, 'INVALID_TOTP')) setFieldError(errorMessage(t, err));
        else setError(errorMessage(t, err));
      }
    });
  };

  const disable = (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setFieldError(t('common.fieldRequired', { label: t('totp.disablePassword') }));
      return;
    }
    void run(async () => {
      try {
        await api.post('/api/session/totp/disable', { password });
        setPassword('');
        await refresh();
        setMessage(t('totp.disabled'));
      } catch (err) {
        if (hasCode(err, 'INVALID_CREDENTIALS'))
          setFieldError(errorMessage(t, err, { INVALID_CREDENTIALS: 'errors.currentPasswordWrong' }));
        else setError(errorMessage(t, err));
      }
    });
  };

  return (
    <Section title={t('totp.title')} description={t('totp.lead')}>
      <div className="flex max-w-2xl flex-col gap-5">
        <p className="flex items-center gap-3 text-std-16N-170">
          {t('totp.status')}:
          {account.totpEnabled ? (
            <Badge tone="success">{t('totp.statusOn')}</Badge>
          ) : (
            <Badge tone="neutral">{t('totp.statusOff')}</Badge>
          )}
        </p>
        {message && <Alert tone="success">{message}</Alert>}
        {error && <Alert tone="error">{error}</Alert>}

        {!account.totpEnabled && !setup && (
          <div>
            <Button disabled={busy} onClick={() => void start()}>
              {t('totp.start')}
            </Button>
          </div>
        )}

        {!account.totpEnabled && setup && (
          <form noValidate onSubmit={enable} className="flex flex-col gap-5">
            <div className="flex flex-col gap-2">
              <p className="text-std-16N-170">{t('totp.step1')}</p>
              <dl className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-4">
                <div>
                  <dt className="text-std-16B-170">{t('totp.secret')}</dt>
                  <dd
                    className="font-mono text-mono-17B-150 tracking-wider break-all"
                    data-testid="totp-secret"
                    data-value={setup.secret}
                  >
                    {setup.secret.replace(/(.{4})/g, '$1 ').trim()}
                  </dd>
                </div>
                <div>
                  <dt className="text-std-16B-170">{t('totp.otpauthUrl')}</dt>
                  <dd className="font-mono text-mono-14N-150 break-all" data-testid="totp-url">
                    {setup.otpauthUrl}
                  </dd>
                </div>
              </dl>
            </div>
            <p className="text-std-16N-170">{t('totp.step2')}</p>
            <TextField
              label={t('totp.code')}
              hint={t('totp.codeHint')}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={8}
              value={code}
              onChange={setCode}
              error={fieldError}
              inputClassName="max-w-48 font-mono tracking-widest"
            />
            <div>
              <Button type="submit" disabled={busy}>
                {t('totp.enable')}
              </Button>
            </div>
          </form>
        )}

        {account.totpEnabled && (
          <form noValidate onSubmit={disable} className="flex flex-col gap-4">
            <h3 className="text-std-17B-170">{t('totp.disableTitle')}</h3>
            <TextField
              label={t('totp.disablePassword')}
              hint={t('totp.disableLead')}
              required
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={fieldError}
              inputClassName="max-w-96"
            />
            <div>
              <Button type="submit" variant="secondary" disabled={busy}>
                {t('totp.disable')}
              </Button>
            </div>
          </form>
        )}
      </div>
    </Section>
  );
}
