import { useCallback, useEffect, useState } from 'react';
import { ApiError, type CitizenConfig, type CitizenSession, citizenApi } from '../api/client.ts';
import type { Liff } from '../liff/liff-types.ts';
import { initLiff, LiffError } from '../liff/load-liff.ts';
import { liffReturnUrl } from '../router.ts';

// Sign-in for the citizen pages. The browser never names the user: it hands LINE's ID token to the
// server, which verifies it and sets an HttpOnly session cookie.
//   1. GET /api/citizen/me — a still-valid session for the same channel skips LIFF entirely.
//   2. GET /api/citizen/config?ch= → LIFF ID and SDK URL; load the SDK, liff.init, liff.login if needed.
//   3. POST /api/citizen/session {idToken, channelId} → the signed-in user.

export type SessionState =
  | { status: 'loading' }
  | { status: 'redirecting' }
  | { status: 'error'; code: string }
  | { status: 'signed-in'; session: CitizenSession; liff: Liff | null };

/** Codes of failures found in the browser (the server's codes come through ApiError). */
export type ClientErrorCode = 'MISSING_CHANNEL' | 'NO_ID_TOKEN';

class ClientError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode) {
    super(code);
    this.code = code;
  }
}

function channelFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('ch')?.trim() || null;
}

async function currentSession(): Promise<CitizenSession | null> {
  try {
    return await citizenApi.me();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

type Update = (state: SessionState) => void;

async function signIn(update: Update): Promise<void> {
  const ch = channelFromUrl();
  // Ask for the config while checking the session; both are needed on a first visit.
  const configRequest = ch ? citizenApi.config(ch) : null;
  configRequest?.catch(() => {}); // handled below when used

  const existing = await currentSession();
  if (existing && (!ch || existing.channelId === ch)) {
    update({ status: 'signed-in', session: existing, liff: null });
    // LIFF is still wanted for "close", but the page does not wait for it.
    void (configRequest ?? citizenApi.config(existing.channelId))
      .then((config) => initLiff(config.liffSdkUrl, config.liffId))
      .then((liff) => update({ status: 'signed-in', session: existing, liff }))
      .catch((err: unknown) => console.warn('LIFF unavailable; continuing without it', err));
    return;
  }
  if (!configRequest) throw new ClientError('MISSING_CHANNEL');

  const config: CitizenConfig = await configRequest;
  const liff = await initLiff(config.liffSdkUrl, config.liffId);
  if (!liff.isLoggedIn()) {
    update({ status: 'redirecting' });
    // Back to this page (through the LIFF endpoint URL), without old credentials in the fragment.
    liff.login({ redirectUri: liffReturnUrl() });
    return;
  }
  const idToken = liff.getIDToken();
  if (!idToken) throw new ClientError('NO_ID_TOKEN');
  const session = await citizenApi.signIn(idToken, config.channelId);
  update({ status: 'signed-in', session, liff });
}

function errorCode(err: unknown): string {
  if (err instanceof ApiError || err instanceof LiffError || err instanceof ClientError) return err.code;
  return 'UNKNOWN';
}

/**
 * The signed-in citizen, or why not yet; `retry` runs the sign-in again. With `enabled` false (a web
 * consultee's chat page, which needs no sign-in) nothing runs and the state stays `loading`.
 */
export function useCitizenSession(enabled = true): { state: SessionState; retry: () => void } {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the sign-in.
  useEffect(() => {
    if (!enabled) return;
    let active = true;
    const update: Update = (next) => {
      if (active) setState(next);
    };
    signIn(update).catch((err: unknown) => {
      console.error('Citizen sign-in failed', err);
      update({ status: 'error', code: errorCode(err) });
    });
    return () => {
      active = false;
    };
  }, [attempt, enabled]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, retry };
}
