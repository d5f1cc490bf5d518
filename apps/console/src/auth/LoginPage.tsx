import { useEffect, useRef, useState } from 'react';
import { errorMessage, hasCode } from '../api/errors.ts';
import { Alert } from '../components/Alert.tsx';
import { Button } from '../components/Button.tsx';
import { Checkbox } from '../components/Checkbox.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { TextField } from '../components/TextField.tsx';
import { MaintenanceNotice } from '../features/operations/MaintenanceNotice.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useSubmit } from '../lib/useFormSubmit.ts';
import { useAuth } from './AuthContext.tsx';

export function LoginPage() {
  const t = useT();
  const { state, login } = useAuth();
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [totpRequired, setTotpRequired] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  const reason = state.status === 'anonymous' && !attempted ? state.reason : 'initial';

  useEffect(() => {
    document.title = `${t('login.title')} | ${t('app.name')} ${t('app.consoleName')}`;
  }, [t]);

  useEffect(() => {
    if (totpRequired) totpRef.current?.focus();
  }, [totpRequired]);

  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      if (!loginId.trim()) next.loginId = t('common.fieldRequired', { label: t('login.loginId') });
      if (!password) next.password = t('common.fieldRequired', { label: t('login.password') });
      if (totpRequired && !totpCode.trim()) next.totpCode = t('errors.TOTP_REQUIRED');
      return next;
    },
    save: async () => {
      try {
        await login({
          loginId: loginId.trim(),
          password,
          ...(totpRequired ? { totpCode: totpCode.replace(/\s/g, '') } : {}),
        });
      } catch (error) {
        // The first TOTP_REQUIRED is the next step (the code field, focused), not a failure.
        if (hasCode(error, 'TOTP_REQUIRED') && !totpRequired) {
          setTotpRequired(true);
          return;
        }
        if (hasCode(error, 'INVALID_TOTP')) setTotpCode('');
        throw error;
      }
    },
    serverFieldErrors: (error): Record<string, string> =>
      hasCode(error, 'TOTP_REQUIRED') || hasCode(error, 'INVALID_TOTP')
        ? { totpCode: errorMessage(t, error) }
        : {},
  });

  return (
    <div className="min-h-screen bg-solid-gray-50">
      <header className="border-b border-solid-gray-420 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-3">
          <p className="text-std-20B-150 text-solid-gray-900">
            {t('app.name')}
            <span className="ml-3 text-std-16N-170 text-solid-gray-700">{t('app.consoleName')}</span>
          </p>
          <LanguageSwitch />
        </div>
      </header>
      <main className="mx-auto flex max-w-5xl justify-center px-6 py-12">
        <div className="w-full max-w-md rounded-16 border border-solid-gray-420 bg-white p-8">
          <h1 className="text-std-28B-150 text-solid-gray-900">{t('login.title')}</h1>
          <p className="mt-2 text-std-16N-170 text-solid-gray-700">{t('login.lead')}</p>

          <div className="mt-6 flex flex-col gap-4">
            <MaintenanceNotice />
            {reason === 'loggedOut' && !formError && <Alert tone="success">{t('login.loggedOut')}</Alert>}
            {reason === 'expired' && !formError && (
              <Alert tone="warning">{t('errors.SESSION_EXPIRED')}</Alert>
            )}
            {formError && (
              <Alert tone="error" title={t('login.failedTitle')}>
                {formError}
              </Alert>
            )}
            {totpRequired && !errors.totpCode && <Alert tone="info">{t('login.totpPrompt')}</Alert>}
          </div>

          <form
            noValidate
            onSubmit={(event) => {
              setAttempted(true);
              void onSubmit(event);
            }}
            className="mt-6 flex flex-col gap-5"
          >
            <TextField
              label={t('login.loginId')}
              name="loginId"
              autoComplete="username"
              required
              value={loginId}
              onChange={setLoginId}
              error={errors.loginId}
            />
            <div className="flex flex-col gap-1">
              <TextField
                label={t('login.password')}
                name="password"
                type={showPassword ? 'text' : 'password'}
                autoComplete="current-password"
                required
                value={password}
                onChange={setPassword}
                error={errors.password}
              />
              {!totpRequired && (
                <Checkbox
                  label={t('common.showPassword')}
                  checked={showPassword}
                  onChange={setShowPassword}
                />
              )}
            </div>
            {totpRequired && (
              <TextField
                ref={totpRef}
                label={t('login.totpCode')}
                hint={t('login.totpHint')}
                name="totpCode"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={8}
                required
                value={totpCode}
                onChange={setTotpCode}
                error={errors.totpCode}
                inputClassName="max-w-48 font-mono tracking-widest"
              />
            )}
            <Button type="submit" disabled={submitting} className="w-full">
              {submitting ? t('login.submitting') : t('login.submit')}
            </Button>
          </form>
        </div>
      </main>
    </div>
  );
}
