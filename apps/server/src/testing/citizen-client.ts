import { expect } from 'vitest';
import type { LineWorld } from './line-world.ts';
import { until } from './wait-for.ts';

// A citizen as the citizen pages are one: a simulator user who follows the channel, signed in
// through LIFF (the product's /api/citizen/session), calling the citizen API with the session cookie.

/** The answer's JSON after checking its status (the body's start is shown when it differs). */
export async function expectJson<T>(res: Promise<Response> | Response, status: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect([r.status, text.slice(0, 400)]).toEqual([status, expect.anything()]);
  return (text ? JSON.parse(text) : null) as T;
}

/** A new friend of the world's channel with their LINE profile fetched, signed in on the citizen pages. */
export async function citizenOf(w: LineWorld, displayName: string) {
  const { userId } = (await w.sim$('POST', '/_sim/users', { displayName })) as { userId: string };
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  await until('the friend with their LINE profile', () =>
    w.server.db
      .selectFrom('friends')
      .select('id')
      .where('line_user_id', '=', userId)
      .where('display_name', 'is not', null)
      .executeTakeFirst(),
  );
  const { idToken } = await w.idTokenFor(userId);
  const res = await fetch(`${w.server.url}/api/citizen/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken, channelId: w.channelId }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${w.server.url}${path}`, {
      method,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
    });
  return { userId, cookie, call };
}
