import http from 'node:http';

// The load generator's clients for the consultation benchmark: JSON over keep-alive node:http
// connections (one agent per counselor, like one browser), and WebSockets (Node's global WebSocket,
// which takes a cookie header) with every text frame handed to a callback.

export interface JsonAnswer {
  status: number;
  body: string;
  setCookie: string[];
}

/** One request with an optional JSON body; resolves with status 0 when it failed. */
export function requestJson(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<JsonAnswer> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: Number(base.port),
        path,
        method,
        headers: {
          ...headers,
          ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => resolve({ status: 0, body: 'response error', setCookie: [] }));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: String(err), setCookie: [] }));
    req.end(data);
  });
}

/** `name=value` of the cookie `name` among Set-Cookie headers. */
export function cookieFrom(setCookie: string[], name: string): string {
  const c = setCookie.find((v) => v.startsWith(`${name}=`));
  if (!c) throw new Error(`no ${name} cookie in the answer`);
  return c.split(';')[0]!;
}

/**
 * Opens a WebSocket with a cookie; `onText` gets every text frame with the time it arrived
 * (performance.now()); `onClose` is called when the socket closes after it opened.
 */
export function openSocket(
  url: string,
  cookie: string,
  onText: (data: string, at: number) => void,
  onClose: (code: number) => void,
  timeoutMs = 15_000,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // Node's WebSocket (undici) accepts headers; the DOM type does not know them.
    const ws = new WebSocket(url, { headers: { cookie } } as unknown as string[]);
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error(`socket ${url} did not open within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.addEventListener('message', (e) => onText(e.data as string, performance.now()));
    ws.addEventListener('open', () => {
      clearTimeout(timer);
      ws.addEventListener('close', (e) => onClose(e.code));
      resolve(ws);
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error(`socket ${url} refused`));
    });
  });
}

/** Runs `fn` over `items` with at most `limit` calls at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
