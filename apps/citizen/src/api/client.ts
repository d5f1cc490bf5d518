/**
 * JSON fetch for the citizen API (`/api/citizen/*`, `/api/consult/*`). The session is an HttpOnly cookie, so requests go
 * same-origin with credentials; `{code, message}` error bodies become an ApiError.
 */

export type ApiErrorDetail = { path: string; message: string; code?: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Per-field problems (e.g. `answers.<key>` of the registration form). */
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type CitizenUser = { lineUserId: string; displayName: string; pictureUrl: string | null };
export type CitizenSession = { user: CitizenUser; channelId: string };
export type CitizenConfig = { channelId: string; liffId: string; liffSdkUrl: string };
/** A service on マイページ, as the city has enabled it for the channel. */
export type CitizenService =
  | { kind: 'consult'; slug: string; name: string; description: string }
  | { kind: 'register' };
export type CitizenSite = { cityName: string | null };

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page etc.)
  }
  if (body && typeof body === 'object' && 'code' in body) {
    const { code, message, details } = body as { code: unknown; message?: unknown; details?: unknown };
    return new ApiError(
      response.status,
      String(code),
      String(message ?? ''),
      Array.isArray(details) ? (details as ApiErrorDetail[]) : [],
    );
  }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const citizenApi = {
  config: (channelId: string) =>
    request<CitizenConfig>('GET', `/api/citizen/config?${new URLSearchParams({ ch: channelId })}`),
  signIn: (idToken: string, channelId: string) =>
    request<CitizenSession>('POST', '/api/citizen/session', { idToken, channelId }),
  me: () => request<CitizenSession>('GET', '/api/citizen/me'),
  services: (channelId: string) =>
    request<{ services: CitizenService[] }>(
      'GET',
      `/api/citizen/services?${new URLSearchParams({ ch: channelId })}`,
    ),
  site: () => request<CitizenSite>('GET', '/api/citizen/site'),
};
