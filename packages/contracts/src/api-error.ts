// The error every API call of the web apps throws: the `{code, message, details?}` body of a failed
// response (or NETWORK / HTTP_<status> when there is none).

export type ApiErrorDetail = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function normalizeDetails(raw: unknown): ApiErrorDetail[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item): ApiErrorDetail[] => {
    if (!item || typeof item !== 'object') return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    const pathText = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
    return [{ path: pathText.replace(/^\/+/, '').replace(/\//g, '.'), message: String(message ?? '') }];
  });
}

/** The ApiError of a failed response: its `{code, message, details?}` body, or HTTP_<status>. */
export async function readApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page etc.)
  }
  if (body && typeof body === 'object' && 'code' in body) {
    const { code, message, details } = body as { code: unknown; message?: unknown; details?: unknown };
    return new ApiError(response.status, String(code), String(message ?? ''), normalizeDetails(details));
  }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
}
