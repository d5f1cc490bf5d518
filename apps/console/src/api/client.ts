/**
 * Small fetch wrapper for the Madoguchi REST API.
 * - JSON in/out, cookies sent same-origin.
 * - Sends the session's CSRF token as `x-csrf-token` on state-changing requests.
 * - Maps `{code, message, details?}` error bodies to ApiError.
 */

import { ApiError, readApiError } from '@madoguchi/contracts/api-error.ts';

export { ApiError, type ApiErrorDetail } from '@madoguchi/contracts/api-error.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let sessionLostHandler: ((code: string) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request fails because the session is gone (401 UNAUTHENTICATED / SESSION_EXPIRED). */
export function onSessionLost(handler: ((code: string) => void) | null): void {
  sessionLostHandler = handler;
}

/** Builds `?a=1&b=2`, leaving out empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

type RequestOptions = {
  signal?: AbortSignal;
  skipSessionHandler?: boolean;
  /** Extra request headers (e.g. an upload's x-file-name). */
  headers?: Record<string, string>;
};

async function send(method: Method, path: string, body: unknown, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  // A Blob (file upload) is sent as the raw body with its own type; anything else as JSON.
  const raw = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? body.type : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', error instanceof Error ? error.message : String(error));
  }
}

async function refreshCsrfToken(): Promise<boolean> {
  try {
    const response = await send('GET', '/api/session', undefined, {});
    if (!response.ok) return false;
    const session = (await response.json()) as { csrfToken?: string };
    if (!session.csrfToken) return false;
    csrfToken = session.csrfToken;
    return true;
  } catch {
    return false;
  }
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  let response = await send(method, path, body, options);
  let error = response.ok ? null : await readApiError(response);

  // A stale CSRF token (e.g. after the server rotated the session): fetch a fresh one and retry once.
  if (error?.code === 'CSRF_INVALID' && method !== 'GET' && (await refreshCsrfToken())) {
    response = await send(method, path, body, options);
    error = response.ok ? null : await readApiError(response);
  }

  if (error) {
    if (
      ((error.status === 401 && (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED')) ||
        // maintenance mode (O-04) closes the staff API until it ends: back to the sign-in page
        (error.status === 503 && error.code === 'MAINTENANCE')) &&
      !options.skipSessionHandler
    ) {
      sessionLostHandler?.(error.code);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T = void>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body ?? {}, options),
  put: <T = void>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, body, options),
  patch: <T = void>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  delete: <T = void>(path: string, options?: RequestOptions) =>
    request<T>('DELETE', path, undefined, options),
};
