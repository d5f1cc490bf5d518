import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onSessionLost, setCsrfToken } from '../api/client.ts';
import type { PermissionKey, Session } from '../api/types.ts';

export type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason: 'initial' | 'loggedOut' | 'expired' | 'maintenance' }
  | { status: 'authenticated'; session: Session };

type AuthValue = {
  state: AuthState;
  login: (input: { loginId: string; password: string; totpCode?: string }) => Promise<void>;
  logout: () => Promise<void>;
  /** Re-reads GET /api/session (after password or TOTP changes). */
  refresh: () => Promise<void>;
};

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'authenticated', session });
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<Session>('/api/session', { skipSessionHandler: true }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        setState({ status: 'anonymous', reason: 'initial' });
      } else {
        throw error;
      }
    }
  }, [accept]);

  useEffect(() => {
    refresh().catch(() => setState({ status: 'anonymous', reason: 'initial' }));
    onSessionLost((code) => {
      setCsrfToken(null);
      // O-04: maintenance closes the staff API; the sign-in page shows why.
      setState({ status: 'anonymous', reason: code === 'MAINTENANCE' ? 'maintenance' : 'expired' });
    });
    return () => onSessionLost(null);
  }, [refresh]);

  const login = useCallback<AuthValue['login']>(
    async (input) => {
      accept(await api.post<Session>('/api/session', input, { skipSessionHandler: true }));
    },
    [accept],
  );

  const logout = useCallback(async () => {
    try {
      await api.delete('/api/session', { skipSessionHandler: true });
    } catch {
      // Already gone on the server: still sign out locally.
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', reason: 'loggedOut' });
    // The next person to sign in starts from their own default page.
    window.history.replaceState(null, '', window.location.pathname);
  }, []);

  const value = useMemo(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in session; only call below the authenticated part of the tree. */
export function useSession(): Session {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('Not signed in');
  return state.session;
}

/** Whether the account has the permission (a list: any one of them). */
export function useCan(): (permission: PermissionKey | readonly PermissionKey[]) => boolean {
  const session = useSession();
  return useCallback(
    (permission) =>
      typeof permission === 'string'
        ? session.account.permissions.includes(permission)
        : permission.some((p) => session.account.permissions.includes(p)),
    [session],
  );
}
