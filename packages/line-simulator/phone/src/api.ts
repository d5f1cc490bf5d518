import type {
  Channel,
  InboxEntry,
  LineMessage,
  RichMenuState,
  RichMenuTapResult,
  SimUser,
  WebhookResult,
} from './types.ts';

/** An error from the simulator, with a message fit to show to the user. */
export class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('シミュレーターに接続できません', 0);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (res.ok)
        throw new ApiError('シミュレーターの応答を読み取れません（JSONではありません）', res.status);
      data = null;
    }
  }
  if (!res.ok) {
    const message = isRecord(data) && typeof data.message === 'string' ? data.message : `HTTP ${res.status}`;
    throw new ApiError(message, res.status);
  }
  return data as T;
}

const enc = encodeURIComponent;

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

export const api = {
  channels: async () => list(await request<Channel[]>('GET', '/_sim/channels')),
  users: async () => list(await request<SimUser[]>('GET', '/_sim/users')),
  createUser: (displayName: string) => request<SimUser>('POST', '/_sim/users', { displayName }),
  follow: (userId: string, channelId: string) =>
    request<WebhookResult>('POST', `/_sim/users/${enc(userId)}/follow`, { channelId }),
  unfollow: (userId: string, channelId: string) =>
    request<WebhookResult>('POST', `/_sim/users/${enc(userId)}/unfollow`, { channelId }),
  sendMessage: (userId: string, channelId: string, message: LineMessage) =>
    request<WebhookResult>('POST', `/_sim/users/${enc(userId)}/messages`, { channelId, message }),
  postback: (
    userId: string,
    channelId: string,
    data: string,
    params?: Record<string, string>,
    displayText?: string,
  ) =>
    request<WebhookResult>('POST', `/_sim/users/${enc(userId)}/postback`, {
      channelId,
      data,
      ...(params ? { params } : {}),
      ...(displayText ? { displayText } : {}),
    }),
  richMenuTap: (userId: string, channelId: string, areaIndex: number, params?: Record<string, string>) =>
    request<RichMenuTapResult>('POST', `/_sim/users/${enc(userId)}/richmenu-tap`, {
      channelId,
      areaIndex,
      ...(params ? { params } : {}),
    }),
  inbox: async (userId: string, channelId: string, signal?: AbortSignal) => {
    const res = await request<{ messages?: InboxEntry[] } | null>(
      'GET',
      `/_sim/users/${enc(userId)}/inbox?channelId=${enc(channelId)}`,
      undefined,
      signal,
    );
    return { messages: list(res?.messages).filter((m) => isRecord(m) && isRecord(m.message)) };
  },
  /** The user's rich menu, or null when none is shown (404). */
  richMenu: async (
    userId: string,
    channelId: string,
    signal?: AbortSignal,
  ): Promise<RichMenuState | null> => {
    try {
      const state = await request<RichMenuState | null>(
        'GET',
        `/_sim/users/${enc(userId)}/richmenu?channelId=${enc(channelId)}`,
        undefined,
        signal,
      );
      return state?.richMenu ? state : null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  openLiff: (userId: string, liffId: string, path: string) =>
    request<{ url: string }>('POST', '/_sim/liff/open', { userId, liffId, ...(path ? { path } : {}) }),
};

/** A Japanese description of an error for display. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    return err.status === 0 ? err.message : `エラーが発生しました: ${err.message}`;
  }
  return `エラーが発生しました: ${err instanceof Error ? err.message : String(err)}`;
}
