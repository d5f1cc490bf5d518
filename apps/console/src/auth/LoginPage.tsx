import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { Alert } from '../components/Alert.tsx';
import { Button } from '../components/Button.tsx';
import { Checkbox } from '../components/Checkbox.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { TextField } from '../components/TextField.tsx';
import { useT } from '../i18n/i18n.tsx';
import { focusFirstInvalid } from '../lib/focus.ts';
import { useAuth } from './AuthContext.tsx';

type Errors = { loginId?: string; password?: string; totpCode?: string };

export function LoginPage() {
  const t = useT();
  const { state, login } = useAuth();
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [totpRequired, setTotpRequired] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  const reason = state.status === 'anonymous' && !attempted ? state.reason : 'initial';

  useEffect(() => {
    document.title = `${t('login.title')} | ${t('app.name')} ${t('app.consoleName')}`;
  }, [t]);

  useEffect(() => {
    if (totpRequired) totpRef.current?.focus();
  }, [totpRequired]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const next: Errors = {};
    if (!loginId.trim()) next.loginId = t('common.fieldRequired', { label: t('login.loginId') });
    if (!password) next.password = t('common.fieldRequired', { label: t('login.password') });
    if (totpRequired && !totpCode.trim()) next.totpCode = t('errors.TOTP_REQUIRED');
    setErrors(next);
    setFormError(null);
    setAttempted(true);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(formElement);
      return;
    }

    setSubmitting(true);
    try {
      await login({
        loginId: loginId.trim(),
        password,
        ...(totpRequired ? { totpCode: totpCode.replace(/\s/g, '') } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TOTP_REQUIRED') {
        if (totpRequired) setErrors({ totpCode: t('errors.TOTP_REQUIRED') });
        setTotpRequired(true);
      } else if (error instanceof ApiError && error.code === 'INVALID_TOTP') {
        setErrors({ totpCode: t('errors.INVALID_TOTP') });
        setTotpCode('');
        totpRef.current?.focus();
      } else {
        setFormError(errorMessage(t, error));
        focusFirstInvalid(formElement);
      }
    } finally {
      setSubmitting(false);
    }
  }

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

          <form noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-5">
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
