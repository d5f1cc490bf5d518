/**
 * JSON fetch for the citizen API (`/api/citizen/*`, `/api/consult/*`). The session is an HttpOnly cookie, so requests go
 * same-origin with credentials; `{code, message}` error bodies become an ApiError.
 */

import { ApiError, readApiError } from '@madoguchi/contracts/api-error.ts';

export { ApiError, type ApiErrorDetail } from '@madoguchi/contracts/api-error.ts';

export type CitizenUser = { lineUserId: string; displayName: string; pictureUrl: string | null };
export type CitizenSession = { user: CitizenUser; channelId: string };
export type CitizenConfig = { channelId: string; liffId: string; liffSdkUrl: string };
/** A service on マイページ, as the city has enabled it for the channel. */
export type CitizenService =
  | { kind: 'consult'; slug: string; name: string; description: string }
  | { kind: 'booking' }
  | { kind: 'applications' }
  | { kind: 'survey'; id: string; surveyKind: 'survey' | 'public_comment'; title: string }
  | { kind: 'register' };
export type CitizenSite = { cityName: string | null };

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
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
  if (!response.ok) throw await readApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Uploads one file as the raw request body (the server decides its type by the bytes). */
export async function upload<T>(path: string, file: Blob, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': file.type || 'application/octet-stream',
        ...headers,
      },
      credentials: 'same-origin',
      cache: 'no-store',
      body: file,
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) throw await readApiError(response);
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
