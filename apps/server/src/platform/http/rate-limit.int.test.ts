import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../runtime.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

// The request rate limits are counted in PostgreSQL (rate-limit.ts): two server processes on one
// database together allow the limit, not twice it. The source address is set through
// X-Forwarded-For from the trusted test client.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1/32' });
});
afterAll(async () => {
  await server?.close();
});

const startConsultation = (url: string, ip: string) =>
  fetch(`${url}/api/consult/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ deskSlug: 'no-such-desk' }),
  });

describe('rate limits shared by every server process', () => {
  it('two server processes sharing one database together allow exactly the limit (30 a minute)', async () => {
    const other = await createRuntime(server.config, { workers: false });
    try {
      const otherUrl = await other.app.listen({ host: '127.0.0.1', port: 0 });
      const ip = '198.18.10.1';
      for (let i = 0; i < 30; i++) {
        const res = await startConsultation(i % 2 ? otherUrl : server.url, ip);
        expect(res.status).toBe(404);
      }
      for (const url of [server.url, otherUrl]) {
        const limited = await startConsultation(url, ip);
        expect(limited.status).toBe(429);
        expect(await limited.json()).toEqual({
          code: 'RATE_LIMITED',
          message: '短時間に操作が集中しています。しばらく待ってからお試しください',
        });
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
      // another address has its own window
      expect((await startConsultation(otherUrl, '198.18.10.2')).status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('the media routes share one window per address', async () => {
    const ip = '198.18.10.3';
    await server.db
      .insertInto('rate_limits')
      .values({ key: `media|${ip}media`, hits: 2999, expires_at: new Date(Date.now() + 60_000) })
      .execute();
    const id = '00000000-0000-4000-8000-000000000000';
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { 'x-forwarded-for': ip } });
    expect((await get(`/media/${id}`)).status).toBe(404);
    expect((await get(`/media/${id}/preview`)).status).toBe(429);
  });
});
